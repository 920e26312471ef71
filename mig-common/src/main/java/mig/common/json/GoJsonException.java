package mig.common.json;

/** JSON that MIG's Go code would also refuse: malformed text, a wrong type, or an unsupported value. */
public final class GoJsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GoJsonException(String message) {
        super(message);
    }

    public GoJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
