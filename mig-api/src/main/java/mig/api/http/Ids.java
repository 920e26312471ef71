package mig.api.http;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Ids in query and form parameters. MIG ids are JSON numbers that Go holds as float64, so the
 * original parses them as floats and prints them with {@code %.0f}; this does the same for what the
 * caller sees, and refuses text that is not a number (the original answered that with a 500).
 */
public final class Ids {
    // possessive quantifiers: no backtracking, so linear in the length (the greedy form took 6.7 s
    // on a 20,000-digit id: every split of the digits between \d+ and \d* was tried)
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?+(?:\\d++(?:\\.\\d*+)?+|\\.\\d++)(?:[eE][+-]?+\\d++)?+");
    private static final double MAX_EXACT = 9007199254740992d; // 2^53

    private Ids() {}

    /** A parsed id: its float value as the original holds it, and the integer it names if any. */
    public record Parsed(double value) {
        /** {@code %.0f}, as the original prints ids in messages. */
        public String shown() {
            return String.format("%.0f", value);
        }

        /** The id as an integer, when the value is a whole number MIG could have issued. */
        public OptionalLong exact() {
            return value == Math.rint(value) && Math.abs(value) < MAX_EXACT
                    ? OptionalLong.of((long) value)
                    : OptionalLong.empty();
        }
    }

    /**
     * Reads a required positive id.
     *
     * @param label how the original names it in messages, e.g. "Action"
     * @throws ApiException 400 when missing, not a number, or not positive
     */
    public static Parsed positive(String param, String text, String label) {
        if (text == null) {
            throw ApiException.badRequest("missing parameter '" + param + "'");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw ApiException.badRequest(
                    "Wrong parameters '" + param + "': '" + Text.shorten(text) + "' is not a number");
        }
        double v = Double.parseDouble(text);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw ApiException.badRequest("Invalid " + label + " ID '" + new Parsed(v).shown() + "'");
        }
        return new Parsed(v);
    }
}
