package mig.common.cli;

/**
 * Go's {@code strconv.ParseBool}, the one boolean parser of every command line (the mains' flags
 * and the modules' parameters): the original's Go {@code flag} package accepts exactly these words
 * for {@code -x=value}, case included ({@code -x=yes} and {@code -x=tRuE} are refused).
 */
public final class GoBool {
    private GoBool() {}

    /**
     * @throws IllegalArgumentException with Go's error text, {@code parse error}, for any other word
     */
    public static boolean parse(String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("parse error");
        };
    }

    /** Go's flag package message for a refused boolean value of flag {@code -name}. */
    public static String invalid(String value, String name) {
        return "invalid boolean value \"" + value + "\" for -" + name + ": parse error";
    }
}
