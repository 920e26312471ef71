package mig.common.target;

import java.math.BigDecimal;

/**
 * The SQL type a target operand has, as far as targets care. It exists so that an ill-typed target
 * ({@code environment->>'arch' = 386}, {@code heartbeattime LIKE '%'}, {@code tags = 'IT'}) is
 * refused with a sentence at parse time rather than failing later as a PostgreSQL error, and so
 * that the compiler knows how to bind a string literal ({@code ?}, a number, or
 * {@code ?::timestamptz}) next to a column of each type.
 */
public enum ValueType {
    /** varchar columns and the text produced by {@code ->>} and {@code #>>}. */
    TEXT("text"),
    /** {@code id} (numeric), {@code pid} (int) and number literals. */
    NUMBER("a number"),
    /** the timestamptz columns, {@code NOW()} and {@code NOW() +/- interval}. */
    TIMESTAMP("a timestamp"),
    /** {@code environment}, {@code tags} and the json produced by {@code ->} and {@code #>}. */
    JSON("json"),
    /** a quoted literal, which takes the type of what it is compared with (PostgreSQL's "unknown"). */
    UNKNOWN("a string literal");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    /** @return how the type is named in error messages, e.g. "a timestamp" */
    public String description() {
        return description;
    }

    /**
     * The type two operands are compared as: a string literal takes the other side's type.
     *
     * @throws IllegalArgumentException naming both sides when they cannot be compared
     */
    static ValueType common(Operand left, Operand right) {
        ValueType a = left.type();
        ValueType b = right.type();
        if (a == JSON || b == JSON) {
            throw new IllegalArgumentException("json values cannot be compared; extract text with ->> or #>>, "
                    + "e.g. environment->>'os' = 'linux'");
        }
        ValueType common = a == UNKNOWN ? (b == UNKNOWN ? TEXT : b) : (b == UNKNOWN || b == a ? a : null);
        if (common == null) {
            String hint = (a == TEXT && b == NUMBER) || (a == NUMBER && b == TEXT)
                    ? "; quote the number to compare it as text, e.g. '386'"
                    : "";
            throw new IllegalArgumentException("cannot compare " + a.description + " with " + b.description + hint);
        }
        if (common == NUMBER) {
            requireNumeric(left);
            requireNumeric(right);
        }
        return common;
    }

    /** A string literal compared with a number is bound as a number, so it must be one. */
    private static void requireNumeric(Operand operand) {
        if (operand instanceof Operand.StringLiteral s && parseNumber(s.value()) == null) {
            throw new IllegalArgumentException(
                    TargetSyntaxException.quote(s.value()) + " is compared with a number but is not one");
        }
    }

    /** @return the number a string literal holds, or null when it holds something else */
    static BigDecimal parseNumber(String text) {
        if (!text.strip().matches("-?\\d{1,30}(\\.\\d{1,30})?")) {
            return null;
        }
        return new BigDecimal(text.strip());
    }
}
