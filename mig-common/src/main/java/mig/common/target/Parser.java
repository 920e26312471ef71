package mig.common.target;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import mig.common.target.Token.Kind;

/**
 * Recursive-descent parser for targets, with SQL's precedence (NOT over AND over OR):
 *
 * <pre>
 * or        := and (OR and)*
 * and       := not (AND not)*
 * not       := NOT not | primary
 * primary   := '(' or ')' | TRUE | FALSE | predicate
 * predicate := operand ( cmp operand | [NOT] (LIKE|ILIKE) operand | (~|~*|!~|!~*) operand
 *                      | [NOT] IN '(' literal (',' literal)* ')' | [NOT] IN '(' result-chain ')'
 *                      | IS [NOT] NULL )
 * operand   := column [json-step*] | 'string' | [-]number | NOW() [(+|-) INTERVAL 'n unit']
 * </pre>
 *
 * Each '(' and NOT counts towards {@link Target#MAX_DEPTH}, which bounds the recursion.
 */
final class Parser {

    /** Words that only appear in SQL that is more than one boolean expression over agents. */
    private static final Set<String> STATEMENT_KEYWORDS = Set.of(
            "select",
            "insert",
            "update",
            "delete",
            "merge",
            "drop",
            "create",
            "alter",
            "truncate",
            "grant",
            "revoke",
            "copy",
            "union",
            "intersect",
            "except",
            "with",
            "from",
            "where",
            "into",
            "values",
            "returning",
            "execute",
            "call",
            "do",
            "set",
            "reset",
            "show",
            "begin",
            "commit",
            "rollback",
            "savepoint",
            "vacuum",
            "analyze",
            "explain",
            "listen",
            "notify",
            "lock",
            "prepare",
            "deallocate",
            "declare",
            "fetch",
            "load",
            "discard",
            "comment",
            "order",
            "group",
            "having",
            "limit",
            "offset",
            "join",
            "table",
            "exists",
            "case",
            "when",
            "then",
            "else",
            "end");

    /** Words with a meaning in conditions that can never start a value. */
    private static final Set<String> CONDITION_KEYWORDS = Set.of(
            "and",
            "or",
            "not",
            "in",
            "is",
            "like",
            "ilike",
            "between",
            "similar",
            "escape",
            "any",
            "all",
            "some",
            "cast",
            "distinct",
            "collate",
            "at");

    private static final String COMPARISONS = "=, <>, !=, <, <=, >, >=, LIKE, ILIKE, ~, ~*, !~, !~*, IN or IS";

    private final TokenCursor in;
    private int depth;

    private Parser(TokenCursor in) {
        this.in = in;
    }

    static Target parse(String source) {
        Parser p = new Parser(new TokenCursor(Tokenizer.tokenize(source)));
        Target target = p.or();
        p.expectEnd();
        return target;
    }

    private Target or() {
        List<Target> terms = new ArrayList<>(List.of(and()));
        while (in.nextIfKeyword("OR")) {
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Target.Or(terms);
    }

    private Target and() {
        List<Target> terms = new ArrayList<>(List.of(not()));
        while (in.nextIfKeyword("AND")) {
            terms.add(not());
        }
        return terms.size() == 1 ? terms.get(0) : new Target.And(terms);
    }

    private Target not() {
        if (!in.peek().isKeyword("NOT")) {
            return primary();
        }
        enter(in.next());
        Target negated = new Target.Not(not());
        depth--;
        return negated;
    }

    private Target primary() {
        Token t = in.peek();
        if (t.is(Kind.LPAREN)) {
            enter(in.next());
            Target inner = or();
            if (!in.peek().is(Kind.RPAREN)) {
                throw TokenCursor.unexpected(
                        in.peek(), "expected AND, OR or ')' to close the '(' at position " + t.position());
            }
            in.next();
            depth--;
            return inner;
        }
        if (t.isKeyword("TRUE") || t.isKeyword("FALSE")) {
            in.next();
            Token after = in.peek();
            if (isComparison(after)
                    || after.isKeyword("IN")
                    || after.isKeyword("LIKE")
                    || after.isKeyword("ILIKE")
                    || after.isKeyword("IS")) {
                throw TokenCursor.error(
                        t,
                        "unexpected " + t.describe(),
                        "TRUE and FALSE are whole conditions, "
                                + "not values; compare json text with a string, e.g. environment->>'isproxied' = 'true'");
            }
            return new Target.Constant(t.isKeyword("TRUE"));
        }
        return predicate();
    }

    private Target predicate() {
        Operand left = operand();
        Token op = in.next();
        if (isComparison(op)) {
            Operand right = operand();
            return build(op, () -> new Target.Comparison(left, comparisonOp(op), right));
        }
        boolean negated = op.isKeyword("NOT");
        Token what = negated ? in.next() : op;
        if (what.isKeyword("LIKE") || what.isKeyword("ILIKE")) {
            Target.MatchOp kind = what.isKeyword("LIKE") ? Target.MatchOp.LIKE : Target.MatchOp.ILIKE;
            Operand pattern = operand();
            return build(what, () -> new Target.Match(left, kind, negated, pattern));
        }
        if (what.isKeyword("IN")) {
            return in(left, negated, what);
        }
        if (negated) {
            throw TokenCursor.unexpected(what, "expected LIKE, ILIKE or IN after NOT");
        }
        if (op.isOperator("~") || op.isOperator("~*") || op.isOperator("!~") || op.isOperator("!~*")) {
            Target.MatchOp kind =
                    op.value().endsWith("*") ? Target.MatchOp.REGEX_CASE_INSENSITIVE : Target.MatchOp.REGEX;
            Operand pattern = operand();
            return build(op, () -> new Target.Match(left, kind, op.value().startsWith("!"), pattern));
        }
        if (op.isKeyword("IS")) {
            boolean not = in.nextIfKeyword("NOT");
            in.expectKeyword("NULL", "IS is only used as IS NULL or IS NOT NULL");
            return new Target.IsNull(left, not);
        }
        if (op.isKeyword("BETWEEN")) {
            throw TokenCursor.unexpected(op, "BETWEEN is not supported; write x >= low AND x <= high");
        }
        throw TokenCursor.unexpected(op, "expected a comparison (" + COMPARISONS + ") after the value");
    }

    private Target in(Operand left, boolean negated, Token inToken) {
        Token open = in.expect(Kind.LPAREN, "'('", "IN takes a parenthesized list");
        if (in.peek().isKeyword("SELECT")) {
            Target found = ResultChainParser.parse(in, left, inToken);
            return negated ? new Target.Not(found) : found;
        }
        List<Operand.Literal> values = new ArrayList<>(List.of(listElement()));
        while (in.peek().is(Kind.COMMA)) {
            in.next();
            values.add(listElement());
        }
        in.expect(Kind.RPAREN, "',' or ')'", "the IN list opened at position " + open.position() + " is not closed");
        return build(inToken, () -> new Target.In(left, values, negated));
    }

    private Operand.Literal listElement() {
        Token t = in.peek();
        if (t.is(Kind.STRING) || t.is(Kind.NUMBER) || t.isOperator("-")) {
            return (Operand.Literal) operand();
        }
        if (t.isKeyword("NULL")) {
            throw TokenCursor.unexpected(t, "NULL is not allowed in an IN list; use IS NULL");
        }
        throw TokenCursor.unexpected(t, "an IN list holds only 'string' and number literals");
    }

    private Operand operand() {
        Token t = in.next();
        return switch (t.kind()) {
            case STRING -> new Operand.StringLiteral(t.value());
            case NUMBER -> new Operand.NumberLiteral(new BigDecimal(t.raw()));
            case IDENT -> identifier(t);
            case OPERATOR -> {
                if (t.isOperator("-") && in.peek().is(Kind.NUMBER)) {
                    yield new Operand.NumberLiteral(new BigDecimal(in.next().raw()).negate());
                }
                throw TokenCursor.unexpected(t, "expected a value: a column, a 'string', a number or NOW()");
            }
            case LPAREN ->
                throw TokenCursor.unexpected(
                        t, "a value cannot be parenthesized; parentheses group " + "conditions only");
            default -> throw TokenCursor.unexpected(t, "expected a value: a column, a 'string', a number or NOW()");
        };
    }

    private Operand identifier(Token t) {
        String word = t.raw().toLowerCase(Locale.ROOT);
        if (STATEMENT_KEYWORDS.contains(word)) {
            throw statementKeyword(t);
        }
        if (in.peek().is(Kind.LPAREN)) {
            return function(t);
        }
        switch (word) {
            case "null" -> throw TokenCursor.unexpected(t, "NULL is not a value here; use IS NULL or IS NOT NULL");
            case "true", "false" ->
                throw TokenCursor.unexpected(
                        t,
                        "TRUE and FALSE are conditions, not values; "
                                + "compare json text with a string, e.g. environment->>'isproxied' = 'true'");
            case "interval" -> throw TokenCursor.unexpected(t, "an interval may only follow NOW() + or NOW() -");
            default -> {
                if (CONDITION_KEYWORDS.contains(word)) {
                    throw TokenCursor.unexpected(t, "expected a value: a column, a 'string', a number or NOW()");
                }
            }
        }
        Token name = t;
        if (in.peek().is(Kind.DOT)) {
            if (!word.equals("agents")) {
                throw TokenCursor.error(
                        t,
                        "unknown table " + t.describe(),
                        "only columns of agents may be used, optionally written agents.<column>");
            }
            in.next();
            name = in.expect(Kind.IDENT, "a column name", "agents. must be followed by a column");
        }
        Token columnToken = name;
        Column column = Column.byName(name.raw())
                .orElseThrow(() -> TokenCursor.error(
                        columnToken,
                        "unknown column " + columnToken.describe(),
                        "allowed columns are " + Column.allowedNames() + " (optionally written agents.<column>)"));
        if (!in.peek().isJsonOperator()) {
            return new Operand.ColumnRef(column);
        }
        return jsonPath(column);
    }

    private Operand jsonPath(Column column) {
        List<JsonStep> steps = new ArrayList<>();
        Token first = in.peek();
        while (in.peek().isJsonOperator()) {
            Token op = in.next();
            if (!steps.isEmpty() && steps.get(steps.size() - 1).asText()) {
                throw TokenCursor.unexpected(
                        op,
                        "'" + steps.get(steps.size() - 1).operator() + "' before it yields "
                                + "text, so no json operator can follow; use '->' or '#>' before the last step");
            }
            boolean asText = op.value().endsWith(">>");
            Token key = in.next();
            if (op.value().startsWith("#")) {
                if (!key.is(Kind.STRING)) {
                    throw TokenCursor.unexpected(key, "'" + op.value() + "' takes a path literal such as '{operator}'");
                }
                steps.add(build(key, () -> JsonStep.Path.parse(key.value(), asText)));
            } else if (key.is(Kind.STRING)) {
                steps.add(new JsonStep.Key(key.value(), asText));
            } else if (key.is(Kind.NUMBER) && key.raw().matches("\\d{1,9}")) {
                steps.add(new JsonStep.Index(Integer.parseInt(key.raw()), asText));
            } else {
                throw TokenCursor.unexpected(key, "'" + op.value() + "' takes a 'key' or an array index");
            }
        }
        try {
            return new Operand.JsonPath(column, steps);
        } catch (IllegalArgumentException e) {
            throw TokenCursor.error(first, "invalid json operator " + first.describe(), e.getMessage());
        }
    }

    private Operand function(Token name) {
        if (!name.isKeyword("NOW")) {
            throw TokenCursor.error(
                    name,
                    "function " + name.describe() + " is not allowed",
                    "the only function a target may call is NOW()");
        }
        in.next();
        in.expect(Kind.RPAREN, "')'", "NOW() takes no arguments");
        Token sign = in.peek();
        if (!sign.isOperator("+") && !sign.isOperator("-")) {
            return new Operand.Now();
        }
        in.next();
        in.expectKeyword("INTERVAL", "only an interval may be added to or subtracted from NOW()");
        Token text = in.expect(Kind.STRING, "a quoted interval such as '1 minute'", "INTERVAL takes a quoted value");
        Operand.Interval interval = build(text, () -> new Operand.Interval(text.value()));
        return new Operand.RelativeTime(sign.isOperator("+"), interval);
    }

    private void expectEnd() {
        Token t = in.peek();
        if (t.is(Kind.END)) {
            return;
        }
        if (t.is(Kind.RPAREN)) {
            throw TokenCursor.unexpected(t, "unbalanced parentheses: this ')' closes no '('");
        }
        if (t.is(Kind.IDENT) && STATEMENT_KEYWORDS.contains(t.raw().toLowerCase(Locale.ROOT))) {
            throw statementKeyword(t);
        }
        throw TokenCursor.unexpected(
                t, "expected AND, OR or the end of the target; " + "only one boolean expression is allowed");
    }

    private static TargetSyntaxException statementKeyword(Token t) {
        return TokenCursor.error(
                t,
                "SQL keyword " + t.describe() + " is not allowed",
                "a target is one boolean expression over agents columns; the only subquery accepted is "
                        + ResultChainParser.SHAPE);
    }

    private void enter(Token t) {
        if (++depth > Target.MAX_DEPTH) {
            throw TokenCursor.error(
                    t,
                    "nesting too deep",
                    "more than " + Target.MAX_DEPTH + " nested parentheses or NOTs; simplify the target");
        }
    }

    private static boolean isComparison(Token t) {
        return t.isOperator("=")
                || t.isOperator("<>")
                || t.isOperator("!=")
                || t.isOperator("<")
                || t.isOperator("<=")
                || t.isOperator(">")
                || t.isOperator(">=");
    }

    private static Target.ComparisonOp comparisonOp(Token t) {
        return switch (t.value()) {
            case "=" -> Target.ComparisonOp.EQ;
            case "<>", "!=" -> Target.ComparisonOp.NE;
            case "<" -> Target.ComparisonOp.LT;
            case "<=" -> Target.ComparisonOp.LE;
            case ">" -> Target.ComparisonOp.GT;
            case ">=" -> Target.ComparisonOp.GE;
            default -> throw new IllegalStateException("not a comparison: " + t.value());
        };
    }

    /** Builds a node whose constructor checks types, reporting its refusal at {@code at}. */
    private static <T> T build(Token at, Supplier<T> node) {
        try {
            return node.get();
        } catch (IllegalArgumentException e) {
            throw TokenCursor.error(at, "invalid " + at.describe(), e.getMessage());
        }
    }
}
