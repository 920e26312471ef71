package mig.modules.memory;

import java.util.Map;
import java.util.Set;

/**
 * The lexical half of {@link GoRegexpTranslator}: reads Go's escapes ({@code \x{263a}},
 * {@code \101}, {@code \.}), bracketed classes ({@code [^a-z[:digit:]\d]}) and Unicode classes
 * ({@code \p{Greek}}) at {@link #pos} of the expression and writes their Java equivalents, with
 * Go's error messages for what Go refuses.
 */
final class GoRegexpLexer {

    /** A class in Java syntax, and whether it can match a non-ASCII char. */
    record ClassText(String java, boolean nonAscii) {
    }

    /** Go's ASCII word characters. */
    static final String WORD = "[0-9A-Za-z_]";
    /** Go's Perl classes, ASCII as in Go ({@code \s} has no vertical tab, unlike Java's). */
    static final Map<Character, String> PERL_CLASSES = Map.of(
            'd', "[0-9]", 'D', "[^0-9]",
            's', "[\\t\\n\\f\\r ]", 'S', "[^\\t\\n\\f\\r ]",
            'w', WORD, 'W', "[^0-9A-Za-z_]");
    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "Alnum"), Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"),
            Map.entry("blank", "Blank"), Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"),
            Map.entry("graph", "Graph"), Map.entry("lower", "Lower"), Map.entry("print", "Print"),
            Map.entry("punct", "Punct"), Map.entry("space", "Space"), Map.entry("upper", "Upper"),
            Map.entry("word", "word"), Map.entry("xdigit", "XDigit"));
    private static final Set<String> CATEGORIES = Set.of("C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt",
            "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S",
            "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs");

    /** The Go expression. */
    final String src;
    /** Where reading is. */
    int pos;

    GoRegexpLexer(String src) {
        this.src = src;
    }

    /** After a backslash (pos on the char after it): the escaped code point, pos moved past it. */
    int escapedChar(int start) {
        char c = src.charAt(pos++);
        return switch (c) {
            case '1', '2', '3', '4', '5', '6', '7' -> {
                // a lone \1..\7 would be a back-reference, which Go does not support
                if (pos >= src.length() || src.charAt(pos) < '0' || src.charAt(pos) > '7') {
                    throw error("invalid escape sequence", src.substring(start, pos));
                }
                yield octal(c);
            }
            case '0' -> octal(c);
            case 'x' -> hex(start);
            case 'a' -> 7;
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> 11;
            default -> {
                if (c < 128 && !Character.isLetterOrDigit(c)) {
                    yield c; // escaped punctuation is always itself
                }
                throw error("invalid escape sequence", src.substring(start, pos));
            }
        };
    }

    private int octal(char first) {
        int r = first - '0';
        for (int i = 1; i < 3 && pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; i++) {
            r = r * 8 + src.charAt(pos++) - '0';
        }
        return r;
    }

    private int hex(int start) {
        if (pos < src.length() && src.charAt(pos) == '{') {
            int end = src.indexOf('}', pos);
            String digits = end < 0 ? "" : src.substring(pos + 1, end);
            if (end < 0 || digits.isEmpty() || digits.length() > 8 || !isHex(digits)
                    || Long.parseLong(digits, 16) > Character.MAX_CODE_POINT) {
                throw error("invalid escape sequence", src.substring(start, end < 0 ? src.length() : end + 1));
            }
            pos = end + 1;
            return Integer.parseInt(digits, 16);
        }
        if (pos + 2 > src.length() || !isHex(src.substring(pos, pos + 2))) {
            throw error("invalid escape sequence", src.substring(start, Math.min(src.length(), pos + 2)));
        }
        pos += 2;
        return Integer.parseInt(src.substring(pos - 2, pos), 16);
    }

    private static boolean isHex(String s) {
        return s.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F');
    }

    /** {@code \pL}, {@code \p{Greek}}, {@code \p{^Greek}}, {@code \PL}; pos on the backslash. */
    ClassText unicodeClass() {
        int start = pos;
        boolean negated = src.charAt(pos + 1) == 'P';
        pos += 2;
        if (pos >= src.length()) {
            throw error("invalid character class range", src.substring(start));
        }
        String name;
        if (src.charAt(pos) == '{') {
            int end = src.indexOf('}', pos);
            if (end < 0) {
                throw error("invalid character class range", src.substring(start));
            }
            name = src.substring(pos + 1, end);
            pos = end + 1;
        } else {
            int cp = src.codePointAt(pos);
            name = Character.toString(cp);
            pos += Character.charCount(cp);
        }
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        String java;
        if (name.equals("Any")) {
            java = "[\\x{0}-\\x{10FFFF}]";
        } else if (CATEGORIES.contains(name)) {
            java = "\\p{" + name + "}";
        } else if (!name.isEmpty() && name.chars().allMatch(ch -> ch == '_' || ch < 128 && Character.isLetter(ch))
                && isJavaScript(name)) {
            java = "\\p{Is" + name + "}";
        } else {
            throw error("invalid character class range", src.substring(start, pos));
        }
        return new ClassText(negated ? "[^" + java + "]" : java, true);
    }

    private static boolean isJavaScript(String name) {
        try {
            Character.UnicodeScript.forName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A bracketed class, pos on its {@code [}: a literal {@code [} or {@code &} inside it is escaped
     * (Java would read a nested class or an intersection), POSIX {@code [:name:]} classes and Perl
     * classes become Java's ASCII ones.
     *
     * @param caseInsensitive whether {@code (?i)} applies (then {@code k} and {@code s} can match
     *                        non-ASCII letters)
     */
    ClassText bracketClass(boolean caseInsensitive) {
        int start = pos;
        boolean nonAscii = false;
        StringBuilder cls = new StringBuilder("[");
        pos++;
        if (pos < src.length() && src.charAt(pos) == '^') {
            cls.append('^');
            nonAscii = true;
            pos++;
        }
        boolean first = true;
        while (true) {
            if (pos >= src.length()) {
                throw error("missing closing ]", src.substring(start));
            }
            char c = src.charAt(pos);
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            if (c == '[' && src.startsWith("[:", pos)) {
                int end = src.indexOf(":]", pos + 2);
                if (end >= 0) {
                    String name = src.substring(pos + 2, end);
                    boolean negated = name.startsWith("^");
                    String java = POSIX_CLASSES.get(negated ? name.substring(1) : name);
                    if (java == null) {
                        throw error("invalid character class range", src.substring(pos, end + 2));
                    }
                    nonAscii |= negated;
                    cls.append(java.equals("word") ? (negated ? "[^0-9A-Za-z_]" : WORD)
                            : (negated ? "\\P{" : "\\p{") + java + "}");
                    pos = end + 2;
                    continue;
                }
            }
            if (c == '\\' && pos + 1 < src.length()) {
                char e = src.charAt(pos + 1);
                if (e == 'p' || e == 'P') {
                    cls.append(unicodeClass().java());
                    nonAscii = true;
                    continue;
                }
                if (PERL_CLASSES.containsKey(e)) {
                    nonAscii |= Character.isUpperCase(e);
                    cls.append(PERL_CLASSES.get(e));
                    pos += 2;
                    continue;
                }
            }
            int rangeStart = pos;
            int lo = classChar();
            int hi = lo;
            if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                pos++;
                hi = classChar();
                if (hi < lo) {
                    throw error("invalid character class range", src.substring(rangeStart, pos));
                }
            }
            nonAscii |= hi > 127 || caseInsensitive && (overlaps(lo, hi, 'k') || overlaps(lo, hi, 's'));
            cls.append(javaLiteral(lo));
            if (hi != lo) {
                cls.append('-').append(javaLiteral(hi));
            }
        }
        return new ClassText(cls.append(']').toString(), nonAscii);
    }

    private int classChar() {
        int start = pos;
        if (src.charAt(pos) == '\\') {
            if (pos + 1 >= src.length()) {
                throw error("trailing backslash at end of expression", "");
            }
            pos++;
            return escapedChar(start);
        }
        int cp = src.codePointAt(pos);
        pos += Character.charCount(cp);
        return cp;
    }

    private static boolean overlaps(int lo, int hi, char letter) {
        int upper = Character.toUpperCase(letter);
        return lo <= letter && letter <= hi || lo <= upper && upper <= hi;
    }

    /** A code point as a Java regex literal: escaped unless a letter or digit. */
    static String javaLiteral(int cp) {
        if (cp < 128 && Character.isLetterOrDigit(cp)) {
            return Character.toString(cp);
        }
        if (cp > 32 && cp < 127) {
            return "\\" + (char) cp;
        }
        return "\\x{" + Integer.toHexString(cp) + "}";
    }

    /** Go's error: {@code error parsing regexp: <code>: `<fragment>`}. */
    static IllegalArgumentException error(String code, String fragment) {
        return new IllegalArgumentException("error parsing regexp: " + code + ": `" + fragment + "`");
    }
}
