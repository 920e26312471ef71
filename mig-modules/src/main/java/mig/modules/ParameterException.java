package mig.modules;

/** Module parameters or flags that break a rule; the message names the value and the rule. */
public final class ParameterException extends Exception {
    private static final long serialVersionUID = 1L;

    public ParameterException(String message) {
        super(message);
    }

    public ParameterException(String message, Throwable cause) {
        super(message, cause);
    }
}
