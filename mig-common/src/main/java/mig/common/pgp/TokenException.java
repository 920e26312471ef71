package mig.common.pgp;

/**
 * An {@code X-PGPAUTHORIZATION} header that does not authenticate anyone, with the reason why.
 *
 * <p>The API answers every one of these with 401; the reason is for logs and for tests.
 */
public final class TokenException extends PgpException {
    private static final long serialVersionUID = 1L;

    /** Why the token was refused. */
    public enum Reason {
        /** Not exactly four ';'-separated fields. */
        FORMAT,
        /** First field is not "1". */
        VERSION,
        /** Second field is not a {@code YYYY-MM-DDTHH:MM:SSZ} UTC timestamp. */
        TIMESTAMP_LAYOUT,
        /** The timestamp is further from "now" than the allowed window (either side). */
        OUT_OF_WINDOW,
        /** The signature is malformed, by an unknown key, or does not match; see the cause. */
        SIGNATURE
    }

    private final Reason reason;

    TokenException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    TokenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
