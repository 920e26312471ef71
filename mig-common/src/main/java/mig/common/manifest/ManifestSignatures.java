package mig.common.manifest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import mig.common.pgp.InvalidSignatureException;
import mig.common.pgp.Keyring;
import mig.common.pgp.SecretKey;
import mig.common.pgp.Signatures;
import mig.common.pgp.Verified;

/**
 * k-of-n signatures on manifests, as the original's {@code ManifestRecord.Sign} and
 * {@code ManifestResponse.VerifySignatures}: each signature is an OpenPGP detached signature over
 * {@link ManifestResponse#signedBytes()}, and a manifest is trusted when at least k of them are
 * valid and made by distinct keys of the trusted keyring.
 */
public final class ManifestSignatures {
    private ManifestSignatures() {}

    /** Signs the manifest's file list with {@code key}. */
    public static String sign(List<ManifestEntry> entries, SecretKey key) {
        return Signatures.sign(new ManifestResponse("", entries, List.of()).signedBytes(), key);
    }

    /** The result of checking a manifest's signatures against a keyring. */
    public record Check(int valid, List<String> refused) {}

    /**
     * Counts the valid signatures by distinct trusted keys.
     *
     * @return the count and, for each signature not counted, why
     * @throws ManifestException when two signatures come from the same key (the original refused
     *                           the manifest then)
     */
    public static Check verify(ManifestResponse manifest, Keyring trusted) throws ManifestException {
        byte[] data = manifest.signedBytes();
        Set<String> signers = new HashSet<>();
        List<String> refused = new java.util.ArrayList<>();
        int valid = 0;
        List<String> sigs = manifest.signatures() == null ? List.of() : manifest.signatures();
        for (String sig : sigs) {
            Verified v;
            try {
                v = Signatures.verify(data, sig, trusted);
            } catch (InvalidSignatureException e) {
                refused.add(e.getMessage());
                continue;
            }
            if (!signers.add(v.fingerprint())) {
                throw new ManifestException("duplicate signature for fingerprint " + v.fingerprint());
            }
            valid++;
        }
        return new Check(valid, List.copyOf(refused));
    }

    /**
     * Checks that at least {@code required} distinct trusted keys signed the manifest.
     *
     * @throws ManifestException naming the count and the reasons signatures were refused
     */
    public static void require(ManifestResponse manifest, Keyring trusted, int required) throws ManifestException {
        Check c = verify(manifest, trusted);
        if (c.valid() < required) {
            throw new ManifestException("Not enough valid signatures (got " + c.valid() + ", need " + required
                    + "), rejecting" + (c.refused().isEmpty() ? "" : "; refused: " + String.join("; ", c.refused())));
        }
    }
}
