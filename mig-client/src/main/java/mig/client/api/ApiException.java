package mig.client.api;

/**
 * The API refused a request or could not be reached. The message is one line an investigator can
 * act on (e.g. "API at http://localhost:1664/api/v1/ is not reachable: Connection refused").
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status, or 0 when the API did not answer. */
    public int status() {
        return status;
    }
}
