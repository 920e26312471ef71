package mig.modules.memory;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression written in Go's RE2 syntax, as MIG's investigators write them, run by
 * {@link java.util.regex}.
 *
 * <p>Why not compile the text directly: the two syntaxes mostly overlap but differ where it hurts.
 * Go's {@code $} is end of text while Java's also matches before a final newline; Go's {@code .}
 * only excludes {@code \n}; {@code [[:alpha:]]} is a POSIX class in Go and a nested class of letters
 * in Java; {@code \s} and {@code \b} are ASCII in Go; and Java accepts back-references, look-arounds
 * and possessive quantifiers that Go refuses. {@link GoRegexpTranslator} parses the Go syntax (with
 * Go's error messages) and writes the equivalent Java pattern, so a regex is accepted, and matches,
 * where it would in the original. Known limits: Java's engine backtracks (a pattern linear in RE2
 * can be exponential here; callers bound it with a deadline) and Java's {@code (?i)} also folds
 * the Turkish dotted and dotless i.
 *
 * <p>It also tells what the memory scan uses for speed: whether the pattern can only ever match
 * ASCII text ({@link #asciiOnly()}: then raw memory can be viewed byte-per-char without UTF-8
 * decoding), the literal every match starts with and the longest literal every match contains
 * (then a window without them needs no regex run).
 *
 * <p>Used by the memory module (names, libraries, contents) and the netstat module (MAC regexes).
 * It belongs with the other Go-compatibility helpers in {@code mig-common}; it lives here until the
 * module SPI owners move it.
 */
public final class GoRegexp {

    private final String expr;
    private final Pattern pattern;
    private final Pattern asciiViewPattern;
    private final boolean asciiOnly;
    private final String prefix;
    private final String literal;
    private final String literalFold;

    private GoRegexp(String expr, Pattern pattern, Pattern asciiViewPattern, GoRegexpTranslator.Translation t) {
        this.expr = expr;
        this.pattern = pattern;
        this.asciiViewPattern = asciiViewPattern;
        this.asciiOnly = t.asciiOnly();
        this.prefix = t.prefix();
        this.literal = t.required();
        this.literalFold = t.requiredFold();
    }

    /**
     * Compiles a Go regular expression.
     *
     * @throws IllegalArgumentException with Go's message, e.g. {@code error parsing regexp: missing
     *         closing ): `(ab`}
     */
    public static GoRegexp compile(String expr) {
        GoRegexpTranslator.Translation t = GoRegexpTranslator.translate(expr);
        Pattern p = javaPattern(expr, t);
        Pattern ascii = t.asciiOnly() ? javaPattern(expr, GoRegexpTranslator.translate(expr, true)) : null;
        return new GoRegexp(expr, p, ascii, t);
    }

    private static Pattern javaPattern(String expr, GoRegexpTranslator.Translation t) {
        try {
            return Pattern.compile(t.javaRegex(), Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("error parsing regexp: " + e.getDescription() + ": `" + expr + "`", e);
        }
    }

    /** The expression as written, in Go syntax. */
    public String expr() {
        return expr;
    }

    /** The equivalent Java pattern (compiled with {@code UNIX_LINES | UNICODE_CASE}). */
    public Pattern pattern() {
        return pattern;
    }

    /** True when the expression matches somewhere in {@code text} (Go's {@code MatchString}). */
    public boolean matches(CharSequence text) {
        return pattern.matcher(text).find();
    }

    /**
     * True when no match can contain a non-ASCII character: such a pattern gives the same answer on
     * raw bytes shown as ASCII (every byte from 0x80 shown as U+0080) as on their UTF-8 decoding, and
     * runs there as {@link #asciiViewPattern()}.
     */
    public boolean asciiOnly() {
        return asciiOnly;
    }

    /** For {@link #asciiOnly()} patterns, the faster equivalent on ASCII-view text; else null. */
    Pattern asciiViewPattern() {
        return asciiViewPattern;
    }

    /** The literal every match starts with, as exact UTF-8 bytes; null when there is none. */
    BytePattern prefixPattern() {
        return prefix.isEmpty() ? null : new BytePattern(prefix.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The longest literal every match contains, as UTF-8 bytes of which ASCII letters under
     * {@code (?i)} match either case; null when there is none.
     */
    BytePattern literalPattern() {
        if (literal.isEmpty()) {
            return null;
        }
        byte[] bytes = literal.getBytes(StandardCharsets.UTF_8);
        boolean[] fold = new boolean[bytes.length];
        int b = 0;
        for (int c = 0; c < literal.length(); ) {
            int cp = literal.codePointAt(c);
            int n = Character.toString(cp).getBytes(StandardCharsets.UTF_8).length;
            fold[b] = n == 1 && literalFold.charAt(c) == '1'; // only ASCII letters fold
            b += n;
            c += Character.charCount(cp);
        }
        return new BytePattern(bytes, fold);
    }

    @Override
    public String toString() {
        return expr;
    }
}
