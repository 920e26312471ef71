package mig.modules.memory;

import static mig.modules.memory.GoRegexpLexer.error;
import static mig.modules.memory.GoRegexpLexer.javaLiteral;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Parses Go (RE2) regular expression syntax and writes the equivalent {@link java.util.regex}
 * pattern. It follows Go's {@code regexp/syntax} parser rule by rule, so what Go refuses is refused
 * here with Go's message, and what Go accepts means the same thing here:
 *
 * <ul>
 *   <li>{@code ^ $} are text anchors ({@code \A \z}) unless {@code (?m)}; {@code .} excludes only
 *       {@code \n} unless {@code (?s)}; both flags are applied here, not passed to Java.</li>
 *   <li>{@code \d \s \w \b} and POSIX {@code [[:name:]]} classes are ASCII, as in Go.</li>
 *   <li>{@code (?P<name>)} becomes a plain group (Java forbids {@code _} in names); {@code (?U)}
 *       swaps greedy and lazy quantifiers.</li>
 *   <li>A {@code {} that does not start a repeat is a literal; repeat counts are at most 1000;
 *       stacked quantifiers ({@code a**}, {@code a*+}) and Perl-only syntax (look-arounds,
 *       back-references, {@code \Z}, {@code \G} ...) are errors.</li>
 * </ul>
 *
 * <p>This class handles the structure (groups, flags, alternation, repeats, anchors); escapes and
 * classes are read by {@link GoRegexpLexer}. Literals are always written escaped ({@code \x{...}}
 * or backslash-punctuation) so no Go literal can become Java syntax. Along the way it records
 * whether the pattern can match a non-ASCII char, the literal every match begins with, and the
 * longest literal every match contains (see {@link GoRegexp}).
 */
final class GoRegexpTranslator {

    /**
     * The Java regex; whether it can only match ASCII; the literal every match starts with; the
     * longest literal every match contains (both "" when there is none), with {@code requiredFold}
     * holding {@code '1'} for each of its chars that matches in either ASCII case.
     */
    record Translation(String javaRegex, boolean asciiOnly, String prefix, String required, String requiredFold) {
    }

    private record Flags(boolean caseInsensitive, boolean multiLine, boolean dotNewline, boolean ungreedy) {
    }

    private enum Last { NOTHING, ATOM, REPEAT }

    private static final String WORD = GoRegexpLexer.WORD;
    private static final String WORD_BOUNDARY =
            "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))";
    private static final String NOT_WORD_BOUNDARY =
            "(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))";
    private static final int MAX_REPEAT = 1000;

    private final GoRegexpLexer lx;
    /** Write {@code \b \B} as Java's own: exact only on text whose chars are ASCII or U+0080. */
    private final boolean asciiView;
    private final StringBuilder out = new StringBuilder();
    private final Deque<Flags> saved = new ArrayDeque<>();
    private Flags flags = new Flags(false, false, false, false);
    private Last last = Last.NOTHING;
    private boolean asciiOnly = true;
    /** The literal text at the very start of the pattern: every match begins with it. */
    private final StringBuilder prefix = new StringBuilder();
    /** False once a token other than a case-sensitive literal has been seen. */
    private boolean prefixOpen = true;
    /** Chars the last token added to {@link #prefix}; 0 when the last token added none. */
    private int prefixLastLength;
    /**
     * The current run of literals outside any group: every match contains it. Under {@code (?i)} an
     * ASCII letter joins it as "either case" ({@link #runFold}), except {@code k s i}, which also
     * match non-ASCII letters (KELVIN SIGN, LONG S, dotless and dotted I) and so end the run.
     */
    private final StringBuilder run = new StringBuilder();
    /** {@code '1'} for each char of {@link #run} that matches in either ASCII case, else {@code '0'}. */
    private final StringBuilder runFold = new StringBuilder();
    /** Chars the last token added to {@link #run}. */
    private int runLastLength;
    private String longestRun = "";
    private String longestFold = "";
    private boolean topLevelAlternation;
    /** Where the last quantifier started, for Go's "invalid nested repetition operator" message. */
    private int lastRepeatStart;

    private GoRegexpTranslator(String src, boolean asciiView) {
        this.lx = new GoRegexpLexer(src);
        this.asciiView = asciiView;
    }

    /** The translation for any text. */
    static Translation translate(String expr) {
        return translate(expr, false);
    }

    /**
     * The translation for any text, or with {@code asciiView} for text where every non-ASCII char
     * has been replaced by U+0080: there Java's {@code \b} (letters and digits of JDK 17's Unicode
     * tables) is Go's ASCII {@code \b}, and five times faster than the look-arounds otherwise needed.
     */
    static Translation translate(String expr, boolean asciiView) {
        GoRegexpTranslator t = new GoRegexpTranslator(expr, asciiView);
        t.parse();
        t.nonLiteral();
        boolean alternatives = t.topLevelAlternation;
        return new Translation(t.out.toString(), t.asciiOnly, alternatives ? "" : t.prefix.toString(),
                alternatives ? "" : t.longestRun, alternatives ? "" : t.longestFold);
    }

    private void parse() {
        while (lx.pos < lx.src.length()) {
            int c = lx.src.codePointAt(lx.pos);
            switch (c) {
                case '(' -> openGroup();
                case ')' -> closeGroup();
                case '|' -> {
                    if (saved.isEmpty()) {
                        topLevelAlternation = true;
                    }
                    nonLiteral();
                    out.append('|');
                    lx.pos++;
                    last = Last.NOTHING;
                }
                case '^' -> anchor(flags.multiLine() ? "(?m:^)" : "(?:\\A)");
                case '$' -> anchor(flags.multiLine() ? "(?m:$)" : "(?:\\z)");
                case '.' -> {
                    nonLiteral();
                    asciiOnly = false;
                    out.append(flags.dotNewline() ? "(?s:.)" : "[^\\n]");
                    lx.pos++;
                    last = Last.ATOM;
                }
                case '[' -> {
                    nonLiteral();
                    GoRegexpLexer.ClassText cls = lx.bracketClass(flags.caseInsensitive());
                    asciiOnly &= !cls.nonAscii();
                    out.append(cls.java());
                    last = Last.ATOM;
                }
                case '*', '+', '?' -> repeat(Character.toString(c), 1);
                case '{' -> braces();
                case '\\' -> escape();
                default -> {
                    literal(c);
                    lx.pos += Character.charCount(c);
                }
            }
        }
        if (!saved.isEmpty()) {
            throw error("missing closing )", lx.src);
        }
    }

    private void anchor(String java) {
        nonLiteral();
        out.append(java);
        lx.pos++;
        last = Last.ATOM;
    }

    private void openGroup() {
        int start = lx.pos;
        lx.pos++;
        if (!lx.src.startsWith("?", lx.pos)) {
            nonLiteral();
            saved.push(flags);
            out.append('(');
            last = Last.NOTHING;
            return;
        }
        if (lx.src.startsWith("?P<", lx.pos) || lx.src.startsWith("?<", lx.pos) && !lx.src.startsWith("?<=", lx.pos)
                && !lx.src.startsWith("?<!", lx.pos)) {
            int nameStart = lx.src.indexOf('<', lx.pos) + 1;
            int end = lx.src.indexOf('>', nameStart);
            if (end < 0) {
                throw error("invalid named capture", lx.src.substring(start));
            }
            String name = lx.src.substring(nameStart, end);
            boolean valid = name.chars().allMatch(ch -> ch == '_' || ch < 128 && Character.isLetterOrDigit(ch));
            if (name.isEmpty() || !valid) {
                throw error("invalid named capture", lx.src.substring(start, end + 1));
            }
            lx.pos = end + 1;
            nonLiteral();
            saved.push(flags);
            out.append('(');
            last = Last.NOTHING;
            return;
        }
        lx.pos++; // the '?'
        boolean ci = flags.caseInsensitive();
        boolean ml = flags.multiLine();
        boolean dn = flags.dotNewline();
        boolean ug = flags.ungreedy();
        boolean negate = false;
        boolean sawFlag = false;
        while (lx.pos < lx.src.length()) {
            char c = lx.src.charAt(lx.pos++);
            switch (c) {
                case 'i' -> ci = !negate;
                case 'm' -> ml = !negate;
                case 's' -> dn = !negate;
                case 'U' -> ug = !negate;
                case '-' -> {
                    if (negate) {
                        throw error("invalid or unsupported Perl syntax", lx.src.substring(start, lx.pos));
                    }
                    negate = true;
                    sawFlag = false;
                    continue;
                }
                case ':', ')' -> {
                    if (negate && !sawFlag) {
                        throw error("invalid or unsupported Perl syntax", lx.src.substring(start, lx.pos));
                    }
                    Flags next = new Flags(ci, ml, dn, ug);
                    String javaCase = ci == flags.caseInsensitive() ? "" : ci ? "i" : "-i";
                    if (c == ':') {
                        nonLiteral();
                        saved.push(flags);
                        out.append("(?").append(javaCase).append(':');
                        last = Last.NOTHING;
                    } else if (!javaCase.isEmpty()) {
                        // a flag change matches nothing: literals on both sides stay one run
                        out.append("(?").append(javaCase).append(')');
                    }
                    flags = next;
                    return;
                }
                default -> throw error("invalid or unsupported Perl syntax", lx.src.substring(start, lx.pos));
            }
            sawFlag = true;
        }
        throw error("missing closing )", lx.src.substring(start));
    }

    private void closeGroup() {
        if (saved.isEmpty()) {
            throw error("unexpected )", lx.src);
        }
        nonLiteral();
        flags = saved.pop();
        out.append(')');
        lx.pos++;
        last = Last.ATOM;
    }

    private void repeat(String op, int opLength) {
        if (last == Last.NOTHING) {
            throw error("missing argument to repetition operator", lx.src.substring(lx.pos, lx.pos + opLength));
        }
        if (last == Last.REPEAT) {
            throw error("invalid nested repetition operator", lx.src.substring(lastRepeatStart, lx.pos + opLength));
        }
        // a quantified literal may occur zero times, so it cannot be part of a required literal
        prefix.setLength(prefix.length() - prefixLastLength);
        run.setLength(run.length() - runLastLength);
        runFold.setLength(run.length());
        nonLiteral();
        lastRepeatStart = lx.pos;
        lx.pos += opLength;
        boolean lazy = false;
        if (lx.pos < lx.src.length() && lx.src.charAt(lx.pos) == '?') {
            lazy = true;
            lx.pos++;
        }
        out.append(op);
        if (lazy != flags.ungreedy()) {
            out.append('?');
        }
        last = Last.REPEAT;
    }

    private void braces() {
        int close = lx.src.indexOf('}', lx.pos);
        String body = close < 0 ? null : lx.src.substring(lx.pos + 1, close);
        int comma = body == null ? -1 : body.indexOf(',');
        String lo = body == null ? null : comma < 0 ? body : body.substring(0, comma);
        String hi = body == null || comma < 0 ? null : body.substring(comma + 1);
        int min = repeatNumber(lo);
        int max = hi == null ? min : hi.isEmpty() ? -1 : repeatNumber(hi);
        if (min < 0 || hi != null && !hi.isEmpty() && max < 0) {
            literal('{'); // Go: a brace that does not form a repeat is a literal
            lx.pos++;
            return;
        }
        if (min > MAX_REPEAT || max > MAX_REPEAT || max >= 0 && min > max) {
            throw error("invalid repeat count", lx.src.substring(lx.pos, close + 1));
        }
        String java = "{" + min + (hi == null ? "" : "," + (max < 0 ? "" : Integer.toString(max))) + "}";
        repeat(java, close + 1 - lx.pos);
    }

    /** A repeat bound: decimal digits without a leading zero; -1 when not one. */
    private static int repeatNumber(String s) {
        if (s == null || s.isEmpty() || s.length() > 8 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                || s.length() > 1 && s.charAt(0) == '0') {
            return -1;
        }
        return Integer.parseInt(s);
    }

    private void escape() {
        int start = lx.pos;
        if (lx.pos + 1 >= lx.src.length()) {
            throw error("trailing backslash at end of expression", "");
        }
        char c = lx.src.charAt(lx.pos + 1);
        switch (c) {
            case 'A' -> zeroWidth("(?:\\A)");
            case 'z' -> zeroWidth("(?:\\z)");
            case 'b' -> zeroWidth(asciiView ? "\\b" : WORD_BOUNDARY);
            case 'B' -> zeroWidth(asciiView ? "\\B" : NOT_WORD_BOUNDARY);
            case 'Q' -> quoted();
            case 'd', 'D', 's', 'S', 'w', 'W' -> {
                nonLiteral();
                if (Character.isUpperCase(c)) {
                    asciiOnly = false;
                }
                out.append(GoRegexpLexer.PERL_CLASSES.get(c));
                lx.pos += 2;
                last = Last.ATOM;
            }
            case 'p', 'P' -> {
                nonLiteral();
                asciiOnly = false;
                out.append(lx.unicodeClass().java());
                last = Last.ATOM;
            }
            default -> {
                lx.pos++;
                int cp = lx.escapedChar(start);
                literal(cp);
            }
        }
    }

    private void zeroWidth(String java) {
        nonLiteral();
        out.append(java);
        lx.pos += 2;
        last = Last.ATOM;
    }

    private void quoted() {
        lx.pos += 2;
        int end = lx.src.indexOf("\\E", lx.pos);
        String text = end < 0 ? lx.src.substring(lx.pos) : lx.src.substring(lx.pos, end);
        lx.pos = end < 0 ? lx.src.length() : end + 2;
        text.codePoints().forEach(this::literal);
    }

    private void literal(int cp) {
        if (cp > 127 || flags.caseInsensitive() && "kKsS".indexOf(cp) >= 0) {
            asciiOnly = false;
        }
        String java = javaLiteral(cp);
        out.append(java);
        boolean exact = !flags.caseInsensitive();
        if (prefixOpen && exact) {
            prefix.appendCodePoint(cp);
            prefixLastLength = Character.charCount(cp);
        } else {
            prefixOpen = false;
            prefixLastLength = 0;
        }
        boolean letter = cp < 128 && Character.isLetter(cp);
        if (saved.isEmpty() && (exact || cp < 128 && !(letter && "kKsSiI".indexOf(cp) >= 0))) {
            run.appendCodePoint(cp);
            runLastLength = Character.charCount(cp);
            runFold.append(String.valueOf(!exact && letter ? '1' : '0').repeat(runLastLength));
        } else {
            endRun();
        }
        last = Last.ATOM;
    }

    /** A token that is not a literal ends the prefix and the current literal run. */
    private void nonLiteral() {
        prefixOpen = false;
        prefixLastLength = 0;
        endRun();
    }

    private void endRun() {
        if (utf8Length(run) > utf8Length(longestRun)) {
            longestRun = run.toString();
            longestFold = runFold.toString();
        }
        run.setLength(0);
        runFold.setLength(0);
        runLastLength = 0;
    }

    private static int utf8Length(CharSequence s) {
        return s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }


}
