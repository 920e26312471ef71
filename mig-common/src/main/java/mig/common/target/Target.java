package mig.common.target;

import java.util.List;
import java.util.Objects;

/**
 * An action target as data: the boolean condition that picks agents (spec §6.3). MIG pasted the
 * target string into {@code ... WHERE agents.status IN ('online','idle') AND (<target>)}; we parse
 * it with {@link #parse} into this tree, which admits only whitelisted columns, JSON operators,
 * literals and {@code NOW()}, and {@link TargetCompiler} turns the tree into parameterized SQL.
 *
 * <p>Every record checks its own invariants (types, list sizes) in its constructor, so a tree built
 * by code is as safe to compile as a parsed one. Parentheses are implied by the tree's shape.
 */
public sealed interface Target
        permits Target.And,
                Target.Or,
                Target.Not,
                Target.Comparison,
                Target.Match,
                Target.In,
                Target.IsNull,
                Target.Constant,
                Target.FoundInAction {

    /** Longest target accepted, in characters: {@code actions.target} is varchar(2048). */
    int MAX_LENGTH = 2048;

    /** Deepest nesting of parentheses and NOTs accepted, so that no input can overflow the stack. */
    int MAX_DEPTH = 64;

    /**
     * Parses a target string such as {@code environment->>'os'='linux' AND mode='daemon'}.
     *
     * @param target the target as an investigator or client wrote it
     * @return the condition tree (never null)
     * @throws TargetSyntaxException with the position and token at fault when the target is not allowed
     */
    static Target parse(String target) {
        return Parser.parse(Objects.requireNonNull(target, "target"));
    }

    /** {@code a AND b AND ...}: two or more conditions that must all hold. */
    record And(List<Target> operands) implements Target {
        public And {
            operands = List.copyOf(operands);
            if (operands.size() < 2) {
                throw new IllegalArgumentException("AND needs at least two operands, got " + operands.size());
            }
        }
    }

    /** {@code a OR b OR ...}: two or more alternatives. */
    record Or(List<Target> operands) implements Target {
        public Or {
            operands = List.copyOf(operands);
            if (operands.size() < 2) {
                throw new IllegalArgumentException("OR needs at least two operands, got " + operands.size());
            }
        }
    }

    /** {@code NOT a}. */
    record Not(Target operand) implements Target {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** {@code left op right}, e.g. {@code status='online'} or {@code heartbeattime > NOW() - interval '1 minute'}. */
    record Comparison(Operand left, ComparisonOp op, Operand right) implements Target {
        public Comparison {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(right, "right");
            ValueType.common(left, right);
        }

        /** @return the type both sides are compared as (a string literal takes the other side's type) */
        public ValueType commonType() {
            return ValueType.common(left, right);
        }
    }

    /** {@code value [NOT] LIKE|ILIKE pattern} and the regex matches {@code ~ ~* !~ !~*}; both sides are text. */
    record Match(Operand value, MatchOp op, boolean negated, Operand pattern) implements Target {
        public Match {
            Objects.requireNonNull(op, "op");
            requireText(Objects.requireNonNull(value, "value"), op);
            requireText(Objects.requireNonNull(pattern, "pattern"), op);
        }

        private static void requireText(Operand operand, MatchOp op) {
            ValueType t = operand.type();
            if (t != ValueType.TEXT && t != ValueType.UNKNOWN) {
                throw new IllegalArgumentException(op.sql(false) + " needs text on both sides, not " + t.description()
                        + (t == ValueType.JSON ? "; extract text with ->> or #>>" : ""));
            }
        }
    }

    /** {@code value [NOT] IN ('a', 'b', ...)}: a non-empty list of literals. */
    record In(Operand value, List<Operand.Literal> values, boolean negated) implements Target {
        public In {
            Objects.requireNonNull(value, "value");
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("IN needs at least one value");
            }
            commonType(value, values);
        }

        /** @return the type the value and the list elements are compared as */
        public ValueType commonType() {
            return commonType(value, values);
        }

        private static ValueType commonType(Operand value, List<Operand.Literal> values) {
            ValueType common = ValueType.common(value, values.get(0));
            for (Operand.Literal element : values) {
                ValueType t = ValueType.common(value, element);
                if (t != common) {
                    throw new IllegalArgumentException(
                            "IN list mixes " + common.description() + " and " + t.description());
                }
            }
            return common;
        }
    }

    /** {@code operand IS NULL} or, with {@code negated}, {@code operand IS NOT NULL}. */
    record IsNull(Operand operand, boolean negated) implements Target {
        public IsNull {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** A bare {@code TRUE} or {@code FALSE}. */
    record Constant(boolean value) implements Target {}

    /**
     * Result chaining: agents whose commands for action {@code actionId} have at least one result with
     * {@code foundanything} equal to {@code found}. MIG's {@code mig -target-found <id>} and
     * {@code -target-notfound <id>} prepend this as a raw subquery (see {@link #goClientText()}); it
     * is the only subquery a target may contain.
     */
    record FoundInAction(long actionId, boolean found) implements Target {
        public FoundInAction {
            if (actionId < 0) {
                throw new IllegalArgumentException("an action id is never negative, got " + actionId);
            }
        }

        /**
         * @return the exact text MIG's Go client ({@code client/mig/main.go}) builds for this condition,
         *     for clients that must send targets an original MIG API understands
         */
        public String goClientText() {
            return "id IN (select agentid from commands, json_array_elements(commands.results) as r where actionid="
                    + actionId + " and r#>>'{foundanything}' = '" + found + "')";
        }
    }

    /** Comparison operators; {@code !=} is read as {@link #NE}. */
    enum ComparisonOp {
        EQ("="),
        NE("<>"),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        private final String sql;

        ComparisonOp(String sql) {
            this.sql = sql;
        }

        /** @return the SQL spelling */
        public String sql() {
            return sql;
        }
    }

    /** Pattern matches: SQL LIKE/ILIKE and the POSIX regex operators the cheat sheet mentions. */
    enum MatchOp {
        LIKE,
        ILIKE,
        REGEX,
        REGEX_CASE_INSENSITIVE;

        /** @return the SQL operator, negated when asked: {@code NOT LIKE}, {@code !~*}, ... */
        public String sql(boolean negated) {
            return switch (this) {
                case LIKE -> negated ? "NOT LIKE" : "LIKE";
                case ILIKE -> negated ? "NOT ILIKE" : "ILIKE";
                case REGEX -> negated ? "!~" : "~";
                case REGEX_CASE_INSENSITIVE -> negated ? "!~*" : "~*";
            };
        }
    }
}
