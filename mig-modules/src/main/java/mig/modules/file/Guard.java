package mig.modules.file;

import mig.modules.RunContext;

/** The one place a run asks "must I stop?": the thread's interrupt flag and the run's deadline. */
final class Guard {

    private final RunContext context;

    Guard(RunContext context) {
        this.context = context;
    }

    /** @throws SearchAborted when the thread is interrupted or the deadline has passed */
    void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new SearchAborted(SearchAborted.Reason.INTERRUPTED);
        }
        if (context.pastDeadline()) {
            throw new SearchAborted(SearchAborted.Reason.DEADLINE);
        }
    }

    RunContext context() {
        return context;
    }
}
