package mig.api.http;

/** Small text helpers for messages: user input is quoted shortened, so one bad value cannot flood a log. */
public final class Text {
    private static final int MAX_SHOWN = 80;

    private Text() {}

    /** {@code s}, cut to 80 characters with "..." when longer. */
    public static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "..." : s;
    }
}
