package mig.common.pgp;

/**
 * Checked failure of any OpenPGP operation in MIG (loading keys, signing, verifying, tokens).
 *
 * <p>Checked on purpose: every caller (API authentication, agent action checks, the client's signer)
 * must decide what a failure means for it, and the message is written to be shown to a human as is:
 * it names the key id or fingerprint and the file involved.
 */
public class PgpException extends Exception {
    private static final long serialVersionUID = 1L;

    public PgpException(String message) {
        super(message);
    }

    public PgpException(String message, Throwable cause) {
        super(message, cause);
    }
}
