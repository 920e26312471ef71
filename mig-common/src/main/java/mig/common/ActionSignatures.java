package mig.common;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import mig.common.pgp.InvalidSignatureException;
import mig.common.pgp.Keyring;
import mig.common.pgp.SecretKey;
import mig.common.pgp.Signatures;

/**
 * Signing and checking an action's {@code pgpsignatures} over its canonical string
 * ({@link Action#canonicalString()}). The API, the agent and the client tools all go through
 * here, so they agree on what is signed.
 */
public final class ActionSignatures {

    private ActionSignatures() {}

    /** The action with one more signature, made by {@code key} over its canonical string. */
    public static Action sign(Action action, SecretKey key) {
        String sig = Signatures.sign(action.canonicalString().getBytes(StandardCharsets.UTF_8), key);
        return action.withSignature(sig);
    }

    /**
     * Verifies every signature of the action; one bad signature fails the whole action, as in the
     * original.
     *
     * @return the signers' primary-key fingerprints (uppercase hex), in signature order
     * @throws ActionSignatureException naming which signature failed and why
     */
    public static List<String> verify(Action action, Keyring keyring) throws ActionSignatureException {
        List<String> sigs = action.pgpSignatures();
        if (sigs == null || sigs.isEmpty()) {
            throw new ActionSignatureException("action contained no valid signatures", -1, null);
        }
        byte[] data = action.canonicalString().getBytes(StandardCharsets.UTF_8);
        List<String> fingerprints = new ArrayList<>(sigs.size());
        for (int i = 0; i < sigs.size(); i++) {
            try {
                fingerprints.add(Signatures.verify(data, sigs.get(i), keyring).fingerprint());
            } catch (InvalidSignatureException e) {
                throw new ActionSignatureException(
                        "signature " + (i + 1) + " of " + sigs.size() + ": " + e.getMessage(), i, e);
            }
        }
        return fingerprints;
    }

    /** An action signature that does not hold; {@link #getCause()} says why in PGP terms. */
    public static final class ActionSignatureException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int index;

        ActionSignatureException(String message, int index, InvalidSignatureException cause) {
            super(message, cause);
            this.index = index;
        }

        /** Zero-based index of the failed signature, or -1 when there were none. */
        public int index() {
            return index;
        }

        /** The PGP reason, when a signature was present but refused. */
        public java.util.Optional<InvalidSignatureException.Reason> reason() {
            return getCause() instanceof InvalidSignatureException ise
                    ? java.util.Optional.of(ise.reason())
                    : java.util.Optional.empty();
        }
    }
}
