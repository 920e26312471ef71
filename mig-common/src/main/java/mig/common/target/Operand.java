package mig.common.target;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value inside a target condition: a whitelisted column, a JSON field of {@code environment} or
 * {@code tags}, a literal, or the current time (optionally shifted by an interval). These are the
 * only values MIG's clients and docs ever put in a target; there are no casts, arithmetic or other
 * functions, so every operand has a known {@link ValueType} and compiles to a column name, a fixed
 * keyword or a bound parameter.
 */
public sealed interface Operand
        permits Operand.ColumnRef, Operand.JsonPath, Operand.Literal, Operand.Now, Operand.RelativeTime {

    /** @return the operand's type, used to refuse ill-typed conditions and to bind literals */
    ValueType type();

    /** The literals an IN list may hold. */
    sealed interface Literal extends Operand permits StringLiteral, NumberLiteral {}

    /** A whitelisted column of {@code agents}, e.g. {@code status} or {@code agents.queueloc}. */
    record ColumnRef(Column column) implements Operand {
        public ColumnRef {
            Objects.requireNonNull(column, "column");
        }

        @Override
        public ValueType type() {
            return column.type();
        }
    }

    /**
     * A chain of JSON operators on a json column: {@code environment->'aws'->>'instanceid'}. Only
     * the last step may yield text, since PostgreSQL has no json operator on text.
     */
    record JsonPath(Column column, List<JsonStep> steps) implements Operand {
        public JsonPath {
            Objects.requireNonNull(column, "column");
            steps = List.copyOf(steps);
            if (column.type() != ValueType.JSON) {
                throw new IllegalArgumentException(
                        "json operators apply only to environment and tags, not to " + column.columnName());
            }
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("a json path needs at least one operator");
            }
            for (int k = 0; k < steps.size() - 1; k++) {
                if (steps.get(k).asText()) {
                    throw new IllegalArgumentException(
                            "'" + steps.get(k).operator()
                                    + "' yields text, so no json operator can follow it; use '->' or '#>' before the last step");
                }
            }
        }

        @Override
        public ValueType type() {
            return steps.get(steps.size() - 1).asText() ? ValueType.TEXT : ValueType.JSON;
        }
    }

    /** A single-quoted literal (already unescaped); it takes the type of what it is compared with. */
    record StringLiteral(String value) implements Literal {
        public StringLiteral {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public ValueType type() {
            return ValueType.UNKNOWN;
        }
    }

    /** An integer or decimal literal, possibly negative. */
    record NumberLiteral(BigDecimal value) implements Literal {
        public NumberLiteral {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public ValueType type() {
            return ValueType.NUMBER;
        }

        /** @return the JDBC parameter: a Long for integers that fit, a BigDecimal otherwise */
        public Object jdbcValue() {
            if (value.scale() <= 0) {
                try {
                    return value.longValueExact();
                } catch (ArithmeticException tooBig) {
                    return value;
                }
            }
            return value;
        }
    }

    /** {@code NOW()}. */
    record Now() implements Operand {
        @Override
        public ValueType type() {
            return ValueType.TIMESTAMP;
        }
    }

    /** {@code NOW() - interval '1 minute'} ({@code future} false) or {@code NOW() + interval '...'}. */
    record RelativeTime(boolean future, Interval interval) implements Operand {
        public RelativeTime {
            Objects.requireNonNull(interval, "interval");
        }

        @Override
        public ValueType type() {
            return ValueType.TIMESTAMP;
        }
    }

    /**
     * An interval as MIG's docs write them ({@code '1 minute'}, {@code '30 days'}, {@code '1 hour'}),
     * held to one strict shape so that only a count and a unit are ever bound as {@code ?::interval}.
     */
    record Interval(String text) {
        private static final Pattern SHAPE =
                Pattern.compile("(\\d{1,6}) (second|minute|hour|day|week|month|year)s?", Pattern.CASE_INSENSITIVE);

        public Interval {
            Matcher m = SHAPE.matcher(Objects.requireNonNull(text, "text"));
            if (!m.matches()) {
                throw new IllegalArgumentException("interval " + TargetSyntaxException.quote(text)
                        + " must read '<count> <unit>' with unit second, minute, hour, day, week, month or year "
                        + "(plural allowed), e.g. '1 minute' or '30 days'");
            }
            text = text.toLowerCase(Locale.ROOT);
        }
    }
}
