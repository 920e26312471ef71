package mig.common.regex;

import com.google.re2j.GoParseTree;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Go regular expression ({@code regexp.Compile}), run by RE2/J, RE2's own Java port: Go's syntax,
 * Go's error messages, and matching in time linear in the text, so no expression an investigator
 * sends can make an agent backtrack for ever. The one place the project compiles a Go regexp.
 *
 * <p>On top of RE2/J it applies the parse-time limits Go has and RE2/J 1.8 lacks (nested repeats
 * multiplying past 1000, nesting deeper than 1000, programs too large; see {@link GoParseTree}),
 * with Go's messages, and reads text the way Go does: bytes are decoded as UTF-8 with every byte of
 * an invalid sequence read as one U+FFFD ({@link #decodeUtf8}), which RE2/J's own byte input does
 * not do.
 */
public final class GoRegexp {

    /**
     * The most program instructions an expression may compile to. Go allows about 3.3 million
     * ({@code maxSize}); a program that size takes hundreds of MB in RE2/J, more than an agent's
     * whole heap, so the limit here is lower and still far above any expression written by hand
     * ({@code [a-z]{1000}} is about 1,000).
     */
    public static final long MAX_SIZE = 100_000;

    /**
     * The longest expression compiled, in chars. RE2/J's parser merges a run of literal characters
     * in time quadratic in its length (measured, warm: 20,000 chars 65 ms, 40,000 234 ms, 80,000
     * 874 ms, and several times that in a cold JVM), and the size above is only known after
     * parsing: a signed action with a one-megabyte expression would hold a module slot for minutes
     * before being refused. Go parses in linear time and accepts far longer ones; an expression
     * longer than this is refused before it is parsed, as too large. The file module's fuzzing found
     * it (an 80,000-char name regex, 10 s of CPU to parse and compile).
     */
    public static final int MAX_LENGTH = 32_768;

    /** Thrown for an expression Go refuses, with Go's message. */
    public static final class SyntaxException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private final String expr;
    private final Pattern pattern;
    private final GoParseTree.Literal required;
    private final List<RequiredBytes> prefixes;
    /** The first bytes of {@link #prefixes}, both cases of a folding letter; null when there are none. */
    private final boolean[] lineStarts;

    private GoRegexp(String expr, Pattern pattern, GoParseTree.Literal required, List<GoParseTree.Literal> prefixes) {
        this.expr = expr;
        this.pattern = pattern;
        this.required = required;
        this.prefixes = prefixBytes(prefixes);
        this.lineStarts = firstBytes(this.prefixes);
    }

    private static boolean[] firstBytes(List<RequiredBytes> prefixes) {
        if (prefixes == null) {
            return null;
        }
        boolean[] out = new boolean[256];
        for (RequiredBytes p : prefixes) {
            int b = p.bytes()[0] & 0xFF;
            out[b] = true;
            if (p.fold()[0]) {
                out[b | 0x20] = true;
                out[b & ~0x20] = true;
            }
        }
        return out;
    }

    /**
     * Compiles a Go regular expression.
     *
     * @throws SyntaxException with Go's message, e.g. {@code error parsing regexp: missing closing ):
     *         `(ab`}
     */
    public static GoRegexp compile(String expr) {
        if (parenDepth(expr) > GoParseTree.MAX_HEIGHT) {
            throw refuse("expression nests too deeply", expr);
        }
        if (expr.length() > MAX_LENGTH) {
            throw refuse("expression too large", expr);
        }
        GoParseTree tree;
        try {
            tree = GoParseTree.parse(expr);
        } catch (PatternSyntaxException e) {
            throw new SyntaxException(e.getMessage());
        }
        if (tree.height() > GoParseTree.MAX_HEIGHT) {
            throw refuse("expression nests too deeply", expr);
        }
        String badRepeat = tree.invalidRepeat();
        if (badRepeat != null) {
            throw refuse("invalid repeat count", badRepeat);
        }
        if (tree.size() > MAX_SIZE) {
            throw refuse("expression too large", expr);
        }
        Pattern p;
        try {
            p = Pattern.compile(expr);
        } catch (PatternSyntaxException e) {
            throw new SyntaxException(e.getMessage());
        }
        return new GoRegexp(expr, p, tree.requiredLiteral(), tree.anchoredPrefixes());
    }

    /**
     * How deeply parentheses nest, outside character classes and escapes. RE2/J's parser takes
     * time quadratic in the nesting (seconds for 50,000 levels), where Go's stops at its limit: a
     * deeper expression is refused before it is parsed. Go counts only groups that make a node, so
     * this is stricter for more than 1,000 nested {@code (?:}, which nobody writes.
     */
    private static int parenDepth(String expr) {
        int depth = 0;
        int max = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                int j = i + 1;
                if (j < expr.length() && expr.charAt(j) == '^') {
                    j++;
                }
                if (j < expr.length() && expr.charAt(j) == ']') {
                    j++;
                }
                while (j < expr.length() && expr.charAt(j) != ']') {
                    j += expr.charAt(j) == '\\' ? 2 : 1;
                }
                i = j;
            } else if (c == '(') {
                max = Math.max(max, ++depth);
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            }
        }
        return max;
    }

    private static SyntaxException refuse(String code, String text) {
        return new SyntaxException("error parsing regexp: " + code + ": `" + text + "`");
    }

    /** The expression as written. */
    public String expr() {
        return expr;
    }

    /** True when the expression matches somewhere in {@code text} (Go's {@code MatchString}). */
    public boolean find(CharSequence text) {
        return pattern.matcher(text).find();
    }

    /**
     * The leftmost match and its groups (Go's {@code FindStringSubmatch}): element 0 is the whole
     * match, then one element per group, {@code ""} for a group that took no part; null when there
     * is no match.
     */
    public java.util.List<String> findSubmatch(CharSequence text) {
        com.google.re2j.Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        java.util.List<String> out = new java.util.ArrayList<>(m.groupCount() + 1);
        for (int i = 0; i <= m.groupCount(); i++) {
            String g = m.group(i);
            out.add(g == null ? "" : g);
        }
        return out;
    }

    /**
     * Every successive match (Go's {@code FindAllString(text, -1)}): non-overlapping, and an empty
     * match right after a match is not listed.
     */
    public java.util.List<String> findAll(String text) {
        com.google.re2j.Matcher m = pattern.matcher(text);
        java.util.List<String> out = new java.util.ArrayList<>();
        int prevMatchEnd = -1;
        int pos = 0;
        while (pos <= text.length() && m.find(pos)) {
            boolean accept = !(m.end() == m.start() && m.start() == prevMatchEnd);
            if (accept) {
                out.add(text.substring(m.start(), m.end()));
            }
            prevMatchEnd = m.end();
            if (m.end() == m.start()) {
                pos = m.end() + (m.end() < text.length() ? Character.charCount(text.codePointAt(m.end())) : 1);
            } else {
                pos = m.end();
            }
        }
        return out;
    }

    /**
     * {@code text} with every match replaced by {@code replacement} as is (Go's
     * {@code ReplaceAllLiteralString}): an empty match right after a match is not replaced, and the
     * search always moves on by at least one character.
     */
    public String replaceAllLiteral(String text, String replacement) {
        com.google.re2j.Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int lastMatchEnd = 0;
        int searchPos = 0;
        while (searchPos <= text.length() && m.find(searchPos)) {
            out.append(text, lastMatchEnd, m.start());
            if (m.end() > lastMatchEnd || m.start() == 0) {
                out.append(replacement);
            }
            lastMatchEnd = m.end();
            int width = searchPos < text.length() ? Character.charCount(text.codePointAt(searchPos)) : 1;
            searchPos = searchPos + width > m.end() ? searchPos + width : m.end();
        }
        out.append(text, lastMatchEnd, text.length());
        return out.toString();
    }

    /**
     * A literal every match contains, as the exact UTF-8 bytes it has in the text, with
     * {@code fold[i]} true where an ASCII letter may be of either case; null when there is none
     * worth looking for. A text without these bytes cannot match, so a caller with a large buffer
     * can skip the regex (and the decoding) where they are absent.
     */
    public RequiredBytes requiredBytes() {
        if (required == null) {
            return null;
        }
        // Under (?i) Go folds k to the Kelvin sign and s to the long s (both non-ASCII), and
        // non-ASCII letters fold to other encodings: keep the longest run that folds within ASCII.
        // A U+FFFD may come from any invalid byte, so it ends a run too.
        int[] cps = required.codePoints();
        int bestFrom = 0;
        int bestTo = 0;
        int from = 0;
        for (int i = 0; i <= cps.length; i++) {
            boolean usable = i < cps.length && byteComparable(cps[i], required.foldCase());
            if (!usable) {
                if (i - from > bestTo - bestFrom) {
                    bestFrom = from;
                    bestTo = i;
                }
                from = i + 1;
            }
        }
        if (bestTo == bestFrom) {
            return null;
        }
        return bytesOf(cps, bestFrom, bestTo, required.foldCase());
    }

    /**
     * Whether a text holds this literal character as its UTF-8 bytes, give or take the case of an
     * ASCII letter: not U+FFFD (any invalid byte decodes to it), and under (?i) not a letter whose
     * folding leaves ASCII (Go folds k to the Kelvin sign and s to the long s) nor a non-ASCII one.
     */
    private static boolean byteComparable(int cp, boolean foldCase) {
        return cp != 0xFFFD && (!foldCase || cp < 0x80 && "kKsS".indexOf(cp) < 0);
    }

    /** The UTF-8 of {@code cps[from..to)}, with the ASCII letters marked as folding under (?i). */
    private static RequiredBytes bytesOf(int[] cps, int from, int to, boolean foldCase) {
        byte[] bytes = new String(cps, from, to - from).getBytes(StandardCharsets.UTF_8);
        boolean[] fold = new boolean[bytes.length];
        if (foldCase) {
            for (int i = 0; i < bytes.length; i++) {
                fold[i] = Character.isLetter(bytes[i]);
            }
        }
        return new RequiredBytes(bytes, fold);
    }

    /**
     * When every match starts at the start of the text ({@code ^}), the UTF-8 bytes one of which
     * every match starts with ({@code fold[i]}: an ASCII letter of either case); null otherwise. A
     * line that starts with none of them cannot match, so a caller scanning many lines can skip
     * decoding and matching those. Each prefix is cut before a character whose case folding leaves
     * ASCII (Go folds k to the Kelvin sign and s to the long s) or a U+FFFD (any invalid byte
     * decodes to it); none is empty.
     */
    public List<RequiredBytes> anchoredPrefixes() {
        return prefixes;
    }

    /**
     * Adds to {@code starts} (256 entries, by unsigned byte value) every byte a text that
     * {@link #mayMatchAt} accepts can start with; false, adding nothing, when any text may match
     * (no anchored prefixes).
     */
    public boolean addLineStarts(boolean[] starts) {
        if (lineStarts == null) {
            return false;
        }
        for (int i = 0; i < 256; i++) {
            starts[i] |= lineStarts[i];
        }
        return true;
    }

    /** Whether {@code b[off..off+len)} starts with one of {@link #anchoredPrefixes()} (true if there are none). */
    public boolean mayMatchAt(byte[] b, int off, int len) {
        if (prefixes == null) {
            return true;
        }
        for (RequiredBytes p : prefixes) {
            byte[] want = p.bytes();
            if (want.length > len) {
                continue;
            }
            int i = 0;
            while (i < want.length) {
                byte got = b[off + i];
                if (got != want[i] && !(p.fold()[i] && (got | 0x20) == (want[i] | 0x20))) {
                    break;
                }
                i++;
            }
            if (i == want.length) {
                return true;
            }
        }
        return false;
    }

    private static List<RequiredBytes> prefixBytes(List<GoParseTree.Literal> literals) {
        if (literals == null) {
            return null;
        }
        List<RequiredBytes> out = new java.util.ArrayList<>(literals.size());
        for (GoParseTree.Literal l : literals) {
            int[] cps = l.codePoints();
            int n = 0;
            while (n < cps.length && byteComparable(cps[n], l.foldCase())) {
                n++;
            }
            if (n == 0) {
                return null; // a match may start with anything this test could see
            }
            out.add(bytesOf(cps, 0, n, l.foldCase()));
        }
        return List.copyOf(out);
    }

    /** See {@link #requiredBytes()}. */
    public record RequiredBytes(byte[] bytes, boolean[] fold) {}

    /**
     * Decodes {@code len} bytes of UTF-8 from {@code b[off]} into {@code out} as Go's regexp reads
     * them (each byte of an invalid sequence, a surrogate or an overlong form is one U+FFFD), and
     * returns the number of chars written. {@code out} needs room for {@code len} chars.
     */
    public static int decodeUtf8(byte[] b, int off, int len, char[] out) {
        int end = off + len;
        int i = off;
        int k = 0;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                out[k++] = (char) c;
                i++;
                continue;
            }
            c &= 0xFF;
            int cp = -1;
            int n = 1;
            if (c >= 0xC2 && c <= 0xDF) {
                if (i + 1 < end && cont(b[i + 1])) {
                    cp = (c & 0x1F) << 6 | (b[i + 1] & 0x3F);
                    n = 2;
                }
            } else if (c >= 0xE0 && c <= 0xEF) {
                if (i + 2 < end && cont(b[i + 1]) && cont(b[i + 2])) {
                    int v = (c & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F);
                    if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
                        cp = v;
                        n = 3;
                    }
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                if (i + 3 < end && cont(b[i + 1]) && cont(b[i + 2]) && cont(b[i + 3])) {
                    int v = (c & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | (b[i + 3] & 0x3F);
                    if (v >= 0x10000 && v <= 0x10FFFF) {
                        cp = v;
                        n = 4;
                    }
                }
            }
            if (cp < 0) {
                out[k++] = '\uFFFD';
                i++;
            } else if (cp < 0x10000) {
                out[k++] = (char) cp;
                i += n;
            } else {
                out[k++] = Character.highSurrogate(cp);
                out[k++] = Character.lowSurrogate(cp);
                i += n;
            }
        }
        return k;
    }

    private static boolean cont(byte b) {
        return (b & 0xC0) == 0x80;
    }

    @Override
    public String toString() {
        return expr;
    }
}
