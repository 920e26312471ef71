package mig.common.target;

/**
 * A target string that {@link Target#parse} refuses, with the 0-based position and the text of the
 * token at fault so that the API, the console and the CLI can point the investigator at the exact
 * spot. MIG pasted targets into SQL and let PostgreSQL complain; we refuse before any query runs,
 * so the message has to say what was wrong and what is allowed instead.
 *
 * <p>The message always reads {@code target: <what> at position <n>: <why>}, for example
 * {@code target: unexpected ';' at position 17: only one boolean expression is allowed}.
 *
 * <p>It is unchecked (an {@link IllegalArgumentException}) because a bad target is a bad argument
 * at the edge where the string comes in; callers that accept targets catch it there.
 */
public final class TargetSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_TOKEN_SHOWN = 40;

    private final int position;
    private final String token;
    private final String reason;

    /**
     * @param headline what is wrong, naming the token (e.g. {@code unknown column 'foo'})
     * @param position 0-based offset of the token in the target string
     * @param token the token's source text; empty at the end of the input
     * @param reason why it is refused and what is allowed instead
     */
    TargetSyntaxException(String headline, int position, String token, String reason) {
        super("target: " + headline + " at position " + position + ": " + reason);
        this.position = position;
        this.token = token;
        this.reason = reason;
    }

    /** @return the 0-based offset of the offending token in the target string */
    public int position() {
        return position;
    }

    /** @return the offending token as written (never null; empty when the input ended too early) */
    public String token() {
        return token;
    }

    /** @return the explanation part of the message, without the position (never null) */
    public String reason() {
        return reason;
    }

    /** Quotes a token for a message, cutting very long ones so one bad literal cannot flood a log. */
    static String quote(String text) {
        return "'" + shorten(text) + "'";
    }

    static String shorten(String text) {
        return text.length() > MAX_TOKEN_SHOWN ? text.substring(0, MAX_TOKEN_SHOWN) + "..." : text;
    }
}
