package mig.common.target;

import mig.common.target.Token.Kind;

/**
 * Recognizes the one subquery a target may contain: the result-chaining condition that MIG's
 * {@code mig -target-found <id>} / {@code -target-notfound <id>} build ({@code client/mig/main.go})
 * and that the cheat sheet and concepts docs show:
 *
 * <pre>
 * id IN (select agentid from commands, json_array_elements(commands.results) as r
 *        where actionid=12345 and r#&gt;&gt;'{foundanything}' = 'true')
 * </pre>
 *
 * Keywords are case-insensitive and whitespace is free; {@code agentid}, {@code results} and
 * {@code actionid} may be qualified with {@code commands.}, {@code AS} may be left out, and the
 * whole may be negated ({@code NOT IN}). Anything else is refused: the subquery is matched token
 * by token and compiled to a fixed SQL text, so no part of it is passed through.
 */
final class ResultChainParser {

    /** The accepted shape, quoted in error messages. */
    static final String SHAPE = "id IN (SELECT agentid FROM commands, json_array_elements(commands.results) AS r "
            + "WHERE actionid=<action id> AND r#>>'{foundanything}' = 'true'|'false')";

    private static final String WHY = "the result-chaining subquery must read " + SHAPE;

    private final TokenCursor in;

    private ResultChainParser(TokenCursor in) {
        this.in = in;
    }

    /**
     * Parses from {@code SELECT} to the closing parenthesis; the cursor stands on {@code SELECT}.
     *
     * @param left the operand before IN, which must be the id column
     * @param inToken the IN keyword, for error positions
     */
    static Target.FoundInAction parse(TokenCursor in, Operand left, Token inToken) {
        if (!(left instanceof Operand.ColumnRef ref) || ref.column() != Column.ID) {
            throw TokenCursor.error(
                    inToken,
                    "subquery after " + inToken.describe() + " is not allowed",
                    "a subquery may only appear as " + SHAPE);
        }
        return new ResultChainParser(in).chain();
    }

    private Target.FoundInAction chain() {
        in.expectKeyword("SELECT", WHY);
        commandsColumn("agentid");
        in.expectKeyword("FROM", WHY);
        in.expectKeyword("commands", WHY);
        in.expect(Kind.COMMA, "','", WHY);
        in.expectKeyword("json_array_elements", WHY);
        in.expect(Kind.LPAREN, "'('", WHY);
        commandsColumn("results");
        in.expect(Kind.RPAREN, "')'", WHY);
        in.nextIfKeyword("AS");
        in.expectKeyword("r", WHY);
        in.expectKeyword("WHERE", WHY);
        commandsColumn("actionid");
        in.expectOperator("=", WHY);
        long actionId = actionId(in.expect(Kind.NUMBER, "the action id", WHY));
        in.expectKeyword("AND", WHY);
        in.expectKeyword("r", WHY);
        in.expectOperator("#>>", WHY);
        Token path = in.expect(Kind.STRING, "'{foundanything}'", WHY);
        if (!path.value().equals("{foundanything}")) {
            throw TokenCursor.unexpected(path, WHY + "; expected '{foundanything}'");
        }
        in.expectOperator("=", WHY);
        Token found = in.expect(Kind.STRING, "'true' or 'false'", WHY);
        if (!found.value().equals("true") && !found.value().equals("false")) {
            throw TokenCursor.unexpected(found, WHY + "; expected 'true' or 'false'");
        }
        in.expect(Kind.RPAREN, "')'", WHY);
        return new Target.FoundInAction(actionId, found.value().equals("true"));
    }

    /** {@code name} or {@code commands.name}. */
    private void commandsColumn(String name) {
        if (in.peek().isKeyword("commands") && in.peek(1).is(Kind.DOT)) {
            in.next();
            in.next();
        }
        in.expectKeyword(name, WHY);
    }

    private static long actionId(Token t) {
        if (!t.raw().matches("\\d{1,16}")) {
            throw TokenCursor.unexpected(t, "an action id is a whole number below 2^53");
        }
        long id = Long.parseLong(t.raw());
        if (id >= 1L << 53) {
            throw TokenCursor.unexpected(t, "an action id is a whole number below 2^53");
        }
        return id;
    }
}
