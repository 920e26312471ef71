package mig.common.pgp;

import java.time.Instant;
import java.util.Iterator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Whether a signing key may still be trusted: not revoked, not expired. Only revocations made by
 * the primary key itself count (a revocation anyone could attach to a key file would otherwise
 * switch the key off); designated revokers are not followed. Expiry is Bouncy Castle's reading of
 * the self-signatures (primary key) or of the binding signature (subkey).
 */
final class KeyValidity {
    private KeyValidity() {}

    /** Why {@code signer} (the primary key or one of its subkeys) is not valid at {@code now}, or null. */
    static String problem(PGPPublicKey primary, PGPPublicKey signer, Instant now) {
        if (revokedBy(primary, primary, PGPSignature.KEY_REVOCATION)) {
            return "the key is revoked";
        }
        String expired = expiry(primary, now, "the key");
        if (expired != null) {
            return expired;
        }
        if (signer != primary) {
            if (revokedBy(primary, signer, PGPSignature.SUBKEY_REVOCATION)) {
                return "its signing subkey " + Fingerprints.keyId(signer.getKeyID()) + " is revoked";
            }
            return expiry(signer, now, "its signing subkey " + Fingerprints.keyId(signer.getKeyID()));
        }
        return null;
    }

    private static String expiry(PGPPublicKey key, Instant now, String what) {
        long valid = key.getValidSeconds();
        if (valid <= 0) {
            return null; // never expires
        }
        Instant expires = key.getCreationTime().toInstant().plusSeconds(valid);
        return now.isBefore(expires) ? null : what + " expired on " + expires;
    }

    private static boolean revokedBy(PGPPublicKey primary, PGPPublicKey key, int type) {
        Iterator<PGPSignature> sigs = key.getSignaturesOfType(type);
        while (sigs.hasNext()) {
            PGPSignature rev = sigs.next();
            if (rev.getKeyID() != primary.getKeyID()) {
                continue;
            }
            try {
                rev.init(new BcPGPContentVerifierBuilderProvider(), primary);
                boolean ok = key == primary ? rev.verifyCertification(primary) : rev.verifyCertification(primary, key);
                if (ok) {
                    return true;
                }
            } catch (PGPException | RuntimeException e) {
                // a revocation that does not verify revokes nothing
            }
        }
        return false;
    }
}
