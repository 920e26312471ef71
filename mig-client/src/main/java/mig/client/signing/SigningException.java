package mig.client.signing;

/**
 * The investigator's key could not sign: gpg failed or was refused a passphrase. The message says
 * which key and what to check; the CLI turns it into a one-line error and exit code 3.
 */
public final class SigningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
