package mig.scheduler;

/** The scheduler cannot start: what is wrong and, where it helps, what to check. */
public final class SchedulerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchedulerException(String message, Throwable cause) {
        super(message, cause);
    }
}
