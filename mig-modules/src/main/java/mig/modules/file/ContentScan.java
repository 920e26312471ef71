package mig.modules.file;

import java.util.List;

/**
 * The content checks of one search applied to the lines of one file.
 *
 * <p>Without {@code macroal}, a check's raw result is "some line matches"; reading can stop for it at
 * the first matching line. With {@code macroal}, the file passes when it has at least one line and
 * every line satisfies every content check (a {@code !} check by not matching); the first failing
 * line decides. Either way the pass is {@code raw XOR inverse XOR mismatch} per check (with
 * {@code macroal} the inversion is part of the line rule). This is the rule the original documents;
 * its code differed in corner cases (mismatch with matchany never matched, a search deactivated by
 * another filter could still record an inverted content match).
 */
final class ContentScan {

    private final Check.ContentCheck[] checks;
    private final boolean macroal;
    private final boolean[] matched;
    private int undecided;
    private long lines;
    private boolean failed;

    ContentScan(List<Check.ContentCheck> checks, boolean macroal) {
        this.checks = checks.toArray(new Check.ContentCheck[0]);
        this.macroal = macroal;
        this.matched = new boolean[this.checks.length];
        this.undecided = this.checks.length;
    }

    /** Applies the undecided checks to one line. */
    void line(GuardedChars text) {
        if (macroal) {
            if (failed) {
                return;
            }
            lines++;
            for (int i = 0; i < checks.length; i++) {
                boolean m = find(i, text);
                if (m == checks[i].inverse()) {
                    failed = true;
                    return;
                }
            }
            return;
        }
        for (int i = 0; i < checks.length; i++) {
            if (!matched[i] && find(i, text)) {
                matched[i] = true;
                undecided--;
            }
        }
    }

    /**
     * False when no check that is still undecided can match this line, as raw bytes: each such
     * check is anchored ({@code ^...}) and the line starts with none of its literal prefixes. The
     * caller then need not decode the line nor run a regex on it (the sshkey module's candidate
     * search reads every file under 1 MB and almost no line starts with a key's header).
     */
    boolean mayMatch(byte[] b, int off, int len) {
        if (macroal) {
            return !failed;
        }
        for (int i = 0; i < checks.length; i++) {
            if (!matched[i] && checks[i].regex().mayMatchAt(b, off, len)) {
                return true;
            }
        }
        return false;
    }

    private boolean find(int i, GuardedChars text) {
        return checks[i].regex().find(text);
    }

    /**
     * Adds to {@code starts} the first bytes of every line {@link #mayMatch} can accept; false
     * when a line may be accepted whatever it starts with (a check with no anchored prefix, or
     * {@code macroal}, which looks at every line).
     */
    boolean addLineStarts(boolean[] starts) {
        if (macroal) {
            return false;
        }
        for (Check.ContentCheck c : checks) {
            if (!c.regex().addLineStarts(starts)) {
                return false;
            }
        }
        return true;
    }

    /** True when more lines cannot change any result. */
    boolean decided() {
        return macroal ? failed : undecided == 0;
    }

    /** True when a result is already known to be a fail (a matchall search can stop reading). */
    boolean definitelyFails() {
        if (macroal) {
            return failed && !checks[0].mismatch();
        }
        for (int i = 0; i < checks.length; i++) {
            if (matched[i] && !checks[i].wants(true)) {
                return true;
            }
        }
        return false;
    }

    /** The pass of check {@code i} once the whole file (or enough of it) was read. */
    boolean passes(int i) {
        if (macroal) {
            boolean pass = lines > 0 && !failed;
            return pass ^ checks[i].mismatch();
        }
        return checks[i].wants(matched[i]);
    }

    Check.ContentCheck check(int i) {
        return checks[i];
    }

    int size() {
        return checks.length;
    }
}
