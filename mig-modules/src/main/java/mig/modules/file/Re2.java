package mig.modules.file;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles Go RE2 regular expressions (what MIG's investigators write) with {@code java.util.regex}.
 *
 * <p>Most RE2 syntax means the same in Java and passes through. Where the same text means something
 * else in Java it is translated: {@code (?P<name>re)} and {@code (?<name>re)} become plain groups,
 * {@code [[:alpha:]]} becomes {@code \p{Alpha}}, {@code \v} is the vertical tab, {@code \s} is RE2's
 * {@code [\t\n\f\r ]}, octal escapes become {@code \x{..}}, {@code (?i)} folds case the Unicode way,
 * {@code &&} and {@code [} inside a class are literal, a {@code {} that does not start a repeat is
 * literal, and {@code \p{Greek}} is a script. Constructs RE2 refuses and Java would accept with a
 * different meaning (backreferences, lookaround, atomic groups, possessive quantifiers, {@code \Z},
 * the {@code U} flag, Java-only escapes) are refused with a message naming them, as the original
 * agent refuses them.
 *
 * <p>Patterns are compiled with {@link Pattern#UNIX_LINES}, so {@code .} and the multi-line
 * anchors treat only {@code \n} as a line end, as RE2 does; outside multi-line mode {@code $} is
 * translated to {@code \z}, since Java's {@code $} would also match before a final newline.
 */
final class Re2 {

    /** Thrown for an expression RE2 refuses or that has no faithful Java equivalent. */
    static final class Re2SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        Re2SyntaxException(String message) {
            super(message);
        }
    }

    private static final int MAX_REPEAT = 1000;

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "Alnum"), Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"),
            Map.entry("blank", "Blank"), Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"),
            Map.entry("graph", "Graph"), Map.entry("lower", "Lower"), Map.entry("print", "Print"),
            Map.entry("punct", "Punct"), Map.entry("space", "Space"), Map.entry("upper", "Upper"),
            Map.entry("word", "word"), Map.entry("xdigit", "XDigit"));

    private static final String RE2_SPACE = "\\t\\n\\f\\r\\x20";

    private static final Pattern MULTILINE_FLAG = Pattern.compile("\\(\\?[a-zA-Z-]*m");

    private final String re;
    private final StringBuilder out;
    /** Without a multi-line flag anywhere, RE2's {@code $} is the end of the text, Java's {@code \z}. */
    private final boolean multiline;
    private int i;

    private Re2(String re) {
        this.re = re;
        this.out = new StringBuilder(re.length() + 16);
        this.multiline = MULTILINE_FLAG.matcher(re).find();
    }

    /** Compiles {@code re} as RE2 would read it. */
    static Pattern compile(String re) throws Re2SyntaxException {
        String java = new Re2(re).translate();
        try {
            return Pattern.compile(java, Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new Re2SyntaxException("error parsing regexp: " + e.getDescription() + ": `" + re + "`");
        }
    }

    /** The Java form of {@code re}, for tests and error reports. */
    static String toJava(String re) throws Re2SyntaxException {
        return new Re2(re).translate();
    }

    private String translate() throws Re2SyntaxException {
        while (i < re.length()) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> escape(false);
                case '[' -> charClass();
                case '(' -> group();
                case '{' -> brace();
                case '$' -> {
                    out.append(multiline ? "$" : "\\z");
                    i++;
                }
                case '*', '+', '?' -> {
                    out.append(c);
                    i++;
                    quantifierSuffix();
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
        return out.toString();
    }

    /** After a quantifier: a lazy {@code ?} is RE2; a possessive {@code +} or a second quantifier is not. */
    private void quantifierSuffix() throws Re2SyntaxException {
        if (i < re.length() && re.charAt(i) == '?') {
            out.append('?');
            i++;
        }
        if (i < re.length() && (re.charAt(i) == '+' || re.charAt(i) == '*' || re.charAt(i) == '?')) {
            throw refuse("invalid nested repetition operator `" + re.substring(Math.max(0, i - 1), i + 1)
                    + "` (possessive quantifiers are not RE2)");
        }
    }

    private void brace() throws Re2SyntaxException {
        int close = re.indexOf('}', i);
        if (close > 0) {
            String body = re.substring(i + 1, close);
            if (body.matches("[0-9]+(,[0-9]*)?")) {
                String[] parts = body.split(",", -1);
                long min = parseCount(parts[0]);
                long max = parts.length > 1 && !parts[1].isEmpty() ? parseCount(parts[1]) : min;
                if (min > MAX_REPEAT || max > MAX_REPEAT || (parts.length > 1 && !parts[1].isEmpty() && max < min)) {
                    throw refuse("invalid repeat count `{" + body + "}` (RE2 allows at most " + MAX_REPEAT + ")");
                }
                out.append(re, i, close + 1);
                i = close + 1;
                quantifierSuffix();
                return;
            }
        }
        // RE2 reads a brace that does not start a repeat as a literal; Java would refuse it.
        out.append("\\{");
        i++;
    }

    private static long parseCount(String digits) {
        return digits.length() > 5 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private void group() throws Re2SyntaxException {
        if (!re.startsWith("(?", i)) {
            out.append('(');
            i++;
            return;
        }
        String rest = re.substring(i);
        if (rest.startsWith("(?P<") || (rest.startsWith("(?<") && !rest.startsWith("(?<=") && !rest.startsWith("(?<!"))) {
            int nameStart = i + (rest.startsWith("(?P<") ? 4 : 3);
            int end = re.indexOf('>', nameStart);
            String name = end < 0 ? "" : re.substring(nameStart, end);
            if (end < 0 || !name.matches("[A-Za-z0-9_]+")) {
                throw refuse("invalid named capture `" + re.substring(i, end < 0 ? re.length() : end + 1) + "`");
            }
            out.append('(');
            i = end + 1;
            return;
        }
        if (rest.startsWith("(?=") || rest.startsWith("(?!") || rest.startsWith("(?<=") || rest.startsWith("(?<!")) {
            throw refuse("lookaround `" + rest.substring(0, rest.startsWith("(?<") ? 4 : 3)
                    + "` is not supported by RE2");
        }
        if (rest.startsWith("(?>")) {
            throw refuse("atomic group `(?>` is not supported by RE2");
        }
        // flags: (?flags) or (?flags:re), flags from i, m, s and '-'
        int j = i + 2;
        StringBuilder flags = new StringBuilder();
        while (j < re.length() && re.charAt(j) != ')' && re.charAt(j) != ':') {
            char f = re.charAt(j);
            switch (f) {
                case 'i' -> flags.append("iu");
                case 'm', 's', '-' -> flags.append(f);
                case 'U' -> throw refuse("the ungreedy flag U is not supported (Java's U flag means something else)");
                default -> throw refuse("invalid or unsupported Perl syntax `" + re.substring(i, j + 1) + "`");
            }
            j++;
        }
        if (j >= re.length() || flags.length() == 0 || flags.charAt(flags.length() - 1) == '-') {
            throw refuse("invalid or unsupported Perl syntax `" + re.substring(i, Math.min(re.length(), j + 1)) + "`");
        }
        out.append("(?").append(flags).append(re.charAt(j));
        i = j + 1;
    }

    private void charClass() throws Re2SyntaxException {
        out.append('[');
        i++;
        if (i < re.length() && re.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            out.append("\\]");
            i++;
        }
        while (i < re.length()) {
            char c = re.charAt(i);
            switch (c) {
                case ']' -> {
                    out.append(']');
                    i++;
                    return;
                }
                case '\\' -> escape(true);
                case '[' -> {
                    if (re.startsWith("[:", i)) {
                        posixClass();
                    } else {
                        out.append("\\[");
                        i++;
                    }
                }
                case '&' -> {
                    out.append("\\&");
                    i++;
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
        throw refuse("missing closing ]: `" + re + "`");
    }

    private void posixClass() throws Re2SyntaxException {
        int end = re.indexOf(":]", i + 2);
        if (end < 0) {
            out.append("\\[");
            i++;
            return;
        }
        String name = re.substring(i + 2, end);
        boolean negated = name.startsWith("^");
        String key = negated ? name.substring(1) : name;
        String java = POSIX.get(key);
        if (java == null) {
            throw refuse("invalid character class range `[:" + name + ":]`");
        }
        out.append(negated ? "\\P{" : "\\p{").append(java).append('}');
        i = end + 2;
    }

    private void escape(boolean inClass) throws Re2SyntaxException {
        if (i + 1 >= re.length()) {
            throw refuse("trailing backslash at end of expression");
        }
        char c = re.charAt(i + 1);
        switch (c) {
            case '1', '2', '3', '4', '5', '6', '7' -> {
                if (i + 2 < re.length() && isOctal(re.charAt(i + 2))) {
                    octal();
                } else {
                    throw refuse("invalid escape sequence `\\" + c + "` (backreferences are not RE2)");
                }
            }
            case '0' -> octal();
            case '8', '9' -> throw refuse("invalid escape sequence `\\" + c + "` (backreferences are not RE2)");
            case 'a' -> simple("\\x07");
            case 'v' -> simple("\\x0B");
            case 'f', 't', 'n', 'r', 'd', 'D', 'w', 'W', 'x' -> simple("\\" + c);
            case 's' -> simple(inClass ? RE2_SPACE : "[" + RE2_SPACE + "]");
            case 'S' -> simple("[^" + RE2_SPACE + "]");
            case 'b', 'B', 'A', 'z' -> {
                if (inClass) {
                    throw refuse("invalid escape sequence `\\" + c + "` inside a character class");
                }
                simple("\\" + c);
            }
            case 'p', 'P' -> unicodeClass(c);
            case 'Q' -> quoted();
            case 'C' -> throw refuse("\\C (any byte) is not supported");
            case 'Z' -> throw refuse("invalid escape sequence `\\Z` (use \\z or $)");
            default -> {
                if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                    simple("\\" + c);
                } else {
                    throw refuse("invalid escape sequence `\\" + c + "`");
                }
            }
        }
    }

    private void simple(String java) {
        out.append(java);
        i += 2;
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    /** RE2's {@code \0}, {@code \12}, {@code \123}: up to three octal digits. */
    private void octal() {
        int j = i + 1;
        int value = 0;
        int digits = 0;
        while (j < re.length() && digits < 3 && isOctal(re.charAt(j))) {
            value = value * 8 + (re.charAt(j) - '0');
            j++;
            digits++;
        }
        out.append("\\x{").append(Integer.toHexString(value)).append('}');
        i = j;
    }

    private void unicodeClass(char p) throws Re2SyntaxException {
        if (i + 2 >= re.length()) {
            throw refuse("invalid character class range `\\" + p + "`");
        }
        if (re.charAt(i + 2) != '{') {
            out.append('\\').append(p).append(re.charAt(i + 2));
            i += 3;
            return;
        }
        int end = re.indexOf('}', i + 3);
        if (end < 0) {
            throw refuse("invalid character class range `" + re.substring(i) + "`");
        }
        String name = re.substring(i + 3, end);
        boolean negate = p == 'P';
        if (name.startsWith("^")) {
            negate = !negate;
            name = name.substring(1);
        }
        if (!name.matches("[A-Za-z_]+")) {
            throw refuse("invalid character class range `\\" + p + "{" + name + "}`");
        }
        if (name.equals("Any")) {
            out.append(negate ? "[^\\x{0}-\\x{10FFFF}]" : "[\\x{0}-\\x{10FFFF}]");
        } else {
            out.append(negate ? "\\P{Is" : "\\p{Is").append(name).append('}');
        }
        i = end + 1;
    }

    private void quoted() {
        int end = re.indexOf("\\E", i + 2);
        int stop = end < 0 ? re.length() : end + 2;
        out.append(re, i, stop);
        i = stop;
    }

    private Re2SyntaxException refuse(String why) {
        return new Re2SyntaxException("error parsing regexp: " + why);
    }
}
