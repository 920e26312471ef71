package mig.modules.file;

import java.util.BitSet;

/**
 * Where one search stands on one file while its checks run: which checks passed, and, for a
 * matchall search, whether every check so far passed (once one fails, nothing more is read for it).
 */
final class SearchProgress {

    final CompiledSearch search;
    /** Check indices that passed. */
    final BitSet passed = new BitSet();
    /** Matchall only: false as soon as one check failed or the file could not be read. */
    boolean alive;

    SearchProgress(CompiledSearch search) {
        this.search = search;
        this.alive = !search.checks.isEmpty();
    }

    /** Records a check's result. */
    void record(Check c, boolean pass) {
        if (pass) {
            passed.set(c.index());
        } else if (search.matchAll) {
            alive = false;
        }
    }

    /** The file could not be read: the checks that needed its bytes neither pass nor fail. */
    void readFailed() {
        if (search.matchAll) {
            alive = false;
        }
    }

    /** Whether reading the file can still change this search's outcome. */
    boolean wantsMore() {
        return !search.matchAll || alive;
    }
}
