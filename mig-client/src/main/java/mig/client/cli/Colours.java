package mig.client.cli;

/**
 * The original client's ANSI colours (yellow countdown, blue follow lines, red summary, magenta
 * failures), or none at all when {@code NO_COLOR} is set. The escape bytes and where they open and
 * close are the original's, so output compares byte for byte with its recordings.
 */
public record Colours(boolean enabled) {
    public static final String YELLOW = "\u001b[33m";
    public static final String BLUE = "\u001b[34m";
    public static final String RED = "\u001b[31m";
    public static final String MAGENTA = "\u001b[35m";
    public static final String RESET = "\u001b[0m";

    /** Colours as the environment allows. */
    public static Colours fromEnvironment() {
        return new Colours(Terminals.colours());
    }

    /** The escape, or nothing. */
    public String code(String escape) {
        return enabled ? escape : "";
    }

    /** {@code escape + text + reset}. */
    public String paint(String escape, String text) {
        return enabled ? escape + text + RESET : text;
    }
}
