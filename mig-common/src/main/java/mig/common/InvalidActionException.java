package mig.common;

/** An action that fails the original's {@code Validate()} checks; the message is the original's. */
public final class InvalidActionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidActionException(String message) {
        super(message);
    }
}
