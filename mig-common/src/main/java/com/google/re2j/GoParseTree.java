package com.google.re2j;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code mig.common.regex.GoRegexp} needs from RE2/J's parse tree, which RE2/J keeps
 * package-private: Go's parse-time limits that RE2/J 1.8 does not apply, and the literal every
 * match contains (the memory scan looks for it as bytes before running the regex).
 *
 * <p>Why the limits: Go's {@code regexp/syntax} refuses nested repeats multiplying past 1000
 * ({@code ((a{1000}){1000}){1000}}), nesting deeper than 1000 and programs too large; RE2/J
 * compiles them and runs out of memory or stack, inside an agent with a 64 MB heap. The checks
 * below follow Go's {@code repeatIsValid}, {@code checkHeight} and {@code calcSize} on the same
 * tree Go's parser builds. This class lives in RE2/J's package only to read that tree; it depends
 * on RE2/J 1.8's internals, pinned in the parent POM and covered by GoRegexpTest.
 */
public final class GoParseTree {

    /** Go's {@code maxHeight}. */
    public static final int MAX_HEIGHT = 1000;

    private final Regexp root;

    private GoParseTree(Regexp root) {
        this.root = root;
    }

    /** Parses with Go's default (Perl) flags, as {@code regexp.Compile} does. */
    public static GoParseTree parse(String expr) {
        return new GoParseTree(Parser.parse(expr, RE2.PERL));
    }

    /** The tree's height, counted without recursion so that a deep tree cannot overflow the stack. */
    public int height() {
        int height = 0;
        List<Regexp> level = List.of(root);
        while (!level.isEmpty()) {
            height++;
            List<Regexp> next = new ArrayList<>();
            for (Regexp r : level) {
                if (r.subs != null) {
                    for (Regexp s : r.subs) {
                        next.add(s);
                    }
                }
            }
            level = next;
        }
        return height;
    }

    /**
     * The first repeat, in Go's parse order, whose nested repeat counts multiply past 1000, written
     * as its operator ({@code {1000}}); null when there is none. Call only once {@link #height()}
     * is at most {@link #MAX_HEIGHT}.
     */
    public String invalidRepeat() {
        return invalidRepeat(root);
    }

    private static String invalidRepeat(Regexp re) {
        if (re.subs != null) {
            for (Regexp s : re.subs) {
                String bad = invalidRepeat(s);
                if (bad != null) {
                    return bad;
                }
            }
        }
        if (re.op == Regexp.Op.REPEAT && (re.min >= 2 || re.max >= 2) && !repeatIsValid(re, 1000)) {
            return re.max == re.min
                    ? "{" + re.min + "}"
                    : re.max == -1 ? "{" + re.min + ",}" : "{" + re.min + "," + re.max + "}";
        }
        return null;
    }

    private static boolean repeatIsValid(Regexp re, int n) {
        if (re.op == Regexp.Op.REPEAT) {
            int m = re.max;
            if (m == 0) {
                return true;
            }
            if (m < 0) {
                m = re.min;
            }
            if (m > n) {
                return false;
            }
            if (m > 0) {
                n /= m;
            }
        }
        if (re.subs != null) {
            for (Regexp s : re.subs) {
                if (!repeatIsValid(s, n)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Go's {@code calcSize}: about the number of instructions of the compiled program. */
    public long size() {
        return size(root);
    }

    private static long size(Regexp re) {
        long size = 0;
        switch (re.op) {
            case LITERAL -> size = re.runes.length;
            case CAPTURE, STAR -> size = 2 + size(re.subs[0]);
            case PLUS, QUEST -> size = 1 + size(re.subs[0]);
            case CONCAT -> {
                for (Regexp s : re.subs) {
                    size = saturated(size + size(s));
                }
            }
            case ALTERNATE -> {
                for (Regexp s : re.subs) {
                    size = saturated(size + size(s));
                }
                size += re.subs.length > 1 ? re.subs.length - 1 : 0;
            }
            case REPEAT -> {
                long sub = size(re.subs[0]);
                if (re.max == -1) {
                    size = re.min == 0 ? 2 + sub : saturated(1 + (long) re.min * sub);
                } else {
                    size = saturated((long) re.max * sub + (re.max - re.min));
                }
            }
            default -> size = 1;
        }
        return Math.max(1, size);
    }

    private static long saturated(long v) {
        return Math.min(v, Long.MAX_VALUE / 4);
    }

    /**
     * A literal that every match contains, the longest found by looking through concatenations,
     * groups and repeats of at least one; null when there is none. Call only once {@link #height()}
     * is at most {@link #MAX_HEIGHT}.
     */
    public Literal requiredLiteral() {
        return required(root);
    }

    /**
     * A literal run of code points; {@code foldCase} when Go matches it ignoring case ({@code (?i)}).
     */
    public record Literal(int[] codePoints, boolean foldCase) {}

    /** At most this many prefixes: an alternation of more is not worth testing line by line. */
    private static final int MAX_PREFIXES = 16;

    /**
     * Literals one of which begins every match, when every match begins at the start of the text
     * ({@code ^} without {@code (?m)}); null when that is not so or not known. A line that starts
     * with none of them cannot match. Call only once {@link #height()} is at most
     * {@link #MAX_HEIGHT}.
     */
    public List<Literal> anchoredPrefixes() {
        return anchored(root);
    }

    private static List<Literal> anchored(Regexp re) {
        switch (re.op) {
            case CAPTURE -> {
                return anchored(re.subs[0]);
            }
            case CONCAT -> {
                if (re.subs.length < 2 || re.subs[0].op != Regexp.Op.BEGIN_TEXT) {
                    return null;
                }
                return prefixes(re.subs[1]);
            }
            case ALTERNATE -> {
                return union(re, GoParseTree::anchored);
            }
            default -> {
                return null;
            }
        }
    }

    private static List<Literal> prefixes(Regexp re) {
        switch (re.op) {
            case LITERAL -> {
                return re.runes.length == 0
                        ? null
                        : List.of(new Literal(re.runes.clone(), (re.flags & RE2.FOLD_CASE) != 0));
            }
            case CAPTURE, PLUS -> {
                return prefixes(re.subs[0]);
            }
            case REPEAT -> {
                return re.min >= 1 ? prefixes(re.subs[0]) : null;
            }
            case CONCAT -> {
                return re.subs.length == 0 ? null : prefixes(re.subs[0]);
            }
            case ALTERNATE -> {
                return union(re, GoParseTree::prefixes);
            }
            default -> {
                return null;
            }
        }
    }

    private static List<Literal> union(Regexp re, java.util.function.Function<Regexp, List<Literal>> of) {
        List<Literal> all = new ArrayList<>();
        for (Regexp s : re.subs) {
            List<Literal> some = of.apply(s);
            if (some == null || all.size() + some.size() > MAX_PREFIXES) {
                return null;
            }
            all.addAll(some);
        }
        return all;
    }

    private static Literal required(Regexp re) {
        switch (re.op) {
            case LITERAL -> {
                return re.runes.length == 0 ? null : new Literal(re.runes.clone(), (re.flags & RE2.FOLD_CASE) != 0);
            }
            case CAPTURE, PLUS -> {
                return required(re.subs[0]);
            }
            case REPEAT -> {
                return re.min >= 1 ? required(re.subs[0]) : null;
            }
            case CONCAT -> {
                Literal best = null;
                for (Regexp s : re.subs) {
                    Literal l = required(s);
                    if (l != null && (best == null || l.codePoints().length > best.codePoints().length)) {
                        best = l;
                    }
                }
                return best;
            }
            default -> {
                return null;
            }
        }
    }
}
