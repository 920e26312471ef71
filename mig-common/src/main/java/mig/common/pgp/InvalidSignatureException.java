package mig.common.pgp;

import java.util.OptionalLong;

/**
 * A MIG signature that does not prove anything, with the reason why.
 *
 * <p>The reasons are kept apart because they mean different things to an operator: a malformed string
 * is a client or transport bug, an unknown key is a missing or deactivated investigator, and a bad
 * signature is data that was changed after signing (or a forged signature).
 */
public final class InvalidSignatureException extends PgpException {
    private static final long serialVersionUID = 1L;

    /** Why the signature was refused. */
    public enum Reason {
        /** The text is not a (de-)armoured OpenPGP document signature. */
        MALFORMED,
        /** No key in the keyring has the signature's issuer key id. */
        UNKNOWN_KEY,
        /** The issuer key is known, but the signature does not match the data. */
        BAD_SIGNATURE,
        /** The signature uses an algorithm this implementation cannot check. */
        UNSUPPORTED,
        /** The signature's hash is one MIG refuses (MD5, SHA-1, RIPEMD-160): collisions can be made. */
        WEAK_HASH,
        /** The signature verifies, but the key that made it is expired or revoked. */
        KEY_NOT_VALID
    }

    private final Reason reason;
    private final long keyId;
    private final boolean hasKeyId;

    InvalidSignatureException(Reason reason, String message) {
        this(reason, message, 0L, false, null);
    }

    InvalidSignatureException(Reason reason, String message, Throwable cause) {
        this(reason, message, 0L, false, cause);
    }

    InvalidSignatureException(Reason reason, String message, long keyId, Throwable cause) {
        this(reason, message, keyId, true, cause);
    }

    private InvalidSignatureException(Reason reason, String message, long keyId, boolean hasKeyId, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.keyId = keyId;
        this.hasKeyId = hasKeyId;
    }

    public Reason reason() {
        return reason;
    }

    /** The issuer key id read from the signature, when it could be read. */
    public OptionalLong keyId() {
        return hasKeyId ? OptionalLong.of(keyId) : OptionalLong.empty();
    }
}
