package mig.modules.file;

/**
 * Unwinds a run that must stop now: its deadline passed or its thread was interrupted. Thrown from
 * inside regex matching (see {@link GuardedChars}) and between reads, caught once by
 * {@link FileSearch}, which returns what was found so far.
 */
final class SearchAborted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the run stopped. */
    enum Reason {
        DEADLINE,
        INTERRUPTED
    }

    private final Reason reason;

    SearchAborted(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
