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
import java.time.format.DateTimeParseException;

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

    private GoTime() {
    }

    /** {@code null} as Go's zero time. */
    public static Instant orZero(Instant t) {
        return t == null ? ZERO : t;
    }

    /** Formats like Go's {@code time.Time.MarshalJSON} (RFC3339Nano, UTC). */
    public static String format(Instant t) {
        OffsetDateTime odt = t.atOffset(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(35);
        int year = odt.getYear();
        if (year < 0 || year > 9999) {
            // Go refuses these: "Time.MarshalJSON: year outside of range [0,9999]"
            throw new GoJsonException("time " + t + ": year outside of range [0,9999]");
        }
        pad(sb, year, 4).append('-');
        pad(sb, odt.getMonthValue(), 2).append('-');
        pad(sb, odt.getDayOfMonth(), 2).append('T');
        pad(sb, odt.getHour(), 2).append(':');
        pad(sb, odt.getMinute(), 2).append(':');
        pad(sb, odt.getSecond(), 2);
        int nanos = odt.getNano();
        if (nanos != 0) {
            StringBuilder frac = new StringBuilder(9);
            pad(frac, nanos, 9);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(frac, 0, end);
        }
        return sb.append('Z').toString();
    }

    /** Parses an RFC 3339 time with any offset and optional fraction, as Go's decoder does. */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new GoJsonException("parsing time \"" + text + "\" as RFC 3339: " + e.getMessage(), e);
        }
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
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
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                        "not an RFC 3339 time (expected e.g. 2017-02-10T14:15:31Z)");
            }
        }

        @Override
        public Instant getNullValue(DeserializationContext ctxt) {
            return ZERO;
        }
    }
}
