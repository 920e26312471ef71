package mig.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * Go's {@code time.Time} on the wire: RFC 3339 with nanoseconds and trailing zeros trimmed
 * ({@code 2017-02-10T14:15:31.01502Z}), and the zero time {@code 0001-01-01T00:00:00Z} that Go
 * writes for a time that was never set.
 */
public final class GoTime {

    /** Go's zero {@code time.Time}. */
    public static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

    /**
     * The start time MIG's API gives a new action, {@code 0009-01-11T11:11:11.000000011Z} on the wire:
     * the Go source writes the year as {@code 0011}, an octal literal.
     */
    public static final Instant ACTION_START_PLACEHOLDER = Instant.parse("0009-01-11T11:11:11.000000011Z");

    /** The far-future finish/destruction time MIG uses for "not yet" ({@code 9998-01-11T11:11:11Z}). */
    public static final Instant FAR_FUTURE = Instant.parse("9998-01-11T11:11:11Z");

    /** The far-future finish time MIG's API gives a new action. */
    public static final Instant ACTION_FINISH_PLACEHOLDER = Instant.parse("9998-01-11T11:11:11.000000011Z");

    /**
     * Go's fraction: {@code appendFraction(NANO_OF_SECOND, 0, 9, true)} writes nothing for whole
     * seconds and otherwise up to nine digits with the trailing zeros trimmed, as Go's {@code .999999999}.
     */
    private static final DateTimeFormatter RFC3339_NANO =
            dateTime('T').appendLiteral('Z').toFormatter(Locale.ROOT);

    private static final DateTimeFormatter TIME_STRING =
            dateTime(' ').appendLiteral(" +0000 UTC").toFormatter(Locale.ROOT);

    private GoTime() {}

    /** {@code yyyy-MM-dd<sep>HH:mm:ss[.fraction]}, the year at least four digits as Go pads it. */
    private static DateTimeFormatterBuilder dateTime(char separator) {
        return new DateTimeFormatterBuilder()
                .appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL)
                .appendLiteral('-')
                .appendValue(ChronoField.MONTH_OF_YEAR, 2)
                .appendLiteral('-')
                .appendValue(ChronoField.DAY_OF_MONTH, 2)
                .appendLiteral(separator)
                .appendValue(ChronoField.HOUR_OF_DAY, 2)
                .appendLiteral(':')
                .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
                .appendLiteral(':')
                .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
                .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true);
    }

    /** {@code null} as Go's zero time. */
    public static Instant orZero(Instant t) {
        return t == null ? ZERO : t;
    }

    /** Formats like Go's {@code time.Time.MarshalJSON} (RFC3339Nano, UTC). */
    public static String format(Instant t) {
        OffsetDateTime odt = t.atOffset(ZoneOffset.UTC);
        int year = odt.getYear();
        if (year < 0 || year > 9999) {
            // Go refuses these: "Time.MarshalJSON: year outside of range [0,9999]"
            throw new GoJsonException("time " + t + ": year outside of range [0,9999]");
        }
        return RFC3339_NANO.format(odt);
    }

    /**
     * Go's {@code time.Time.String()} of a UTC time: {@code 2016-07-05 15:32:42 +0000 UTC}, with the
     * nanoseconds written only when non-zero and their trailing zeros trimmed
     * ({@code 2026-11-28 18:50:58.103918164 +0000 UTC}).
     */
    public static String formatString(Instant t) {
        return TIME_STRING.format(t.atOffset(ZoneOffset.UTC));
    }

    /** Parses an RFC 3339 time with any offset and optional fraction, as Go's decoder does. */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new GoJsonException("parsing time \"" + text + "\" as RFC 3339: " + e.getMessage(), e);
        }
    }

    /** Jackson side: RFC 3339 strings in, {@code null} as the zero time. */
    static final class Deserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(
                        Instant.class, text, "not an RFC 3339 time (expected e.g. 2017-02-10T14:15:31Z)");
            }
        }

        @Override
        public Instant getNullValue(DeserializationContext ctxt) {
            return ZERO;
        }
    }
}
