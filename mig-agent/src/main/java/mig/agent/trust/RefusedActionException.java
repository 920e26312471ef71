package mig.agent.trust;

/** An action this agent will not run; the message is what goes in every result's {@code errors}. */
public final class RefusedActionException extends Exception {
    private static final long serialVersionUID = 1L;

    public RefusedActionException(String message) {
        super(message);
    }
}
