package mig.common.pgp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * One investigator's (or one agent-trusted) public key: a primary key with its user ids and subkeys.
 *
 * <p>MIG identifies a signer by the PRIMARY key's fingerprint, even when a signing subkey made the
 * signature, so this type keeps the whole transferable key together and exposes that fingerprint.
 * Subkeys count as signers only when the primary key really bound them as signing keys (binding
 * signature and the subkey's back-signature both verify), so a key file cannot borrow someone else's
 * subkey to claim their signatures.
 */
public final class PublicKey {
    private final PGPPublicKeyRing ring;
    private final String fingerprint;
    private final List<PGPPublicKey> signingKeys;

    PublicKey(PGPPublicKeyRing ring) {
        this.ring = ring;
        PGPPublicKey primary = ring.getPublicKey();
        this.fingerprint = Fingerprints.of(primary);
        List<PGPPublicKey> keys = new ArrayList<>();
        keys.add(primary);
        for (PGPPublicKey k : ring) {
            if (!k.isMasterKey() && isBoundSigningSubkey(primary, k)) {
                keys.add(k);
            }
        }
        this.signingKeys = List.copyOf(keys);
    }

    /**
     * Parses an armoured public key holding exactly one key (what an investigator pastes, what the
     * original's {@code LoadArmoredPubKey} accepts).
     */
    public static PublicKey parse(String armored) throws PgpException {
        if (armored == null || armored.isBlank()) {
            throw new PgpException("empty public key text");
        }
        return single(armored.getBytes(StandardCharsets.UTF_8), "public key text");
    }

    /** Exactly one key from armoured or binary data; {@code source} names it in errors. */
    static PublicKey single(byte[] data, String source) throws PgpException {
        List<PGPPublicKeyRing> rings = KeyData.publicRings(data, source);
        if (rings.size() != 1) {
            throw new PgpException(source + " contains " + rings.size() + " keys, wanted 1");
        }
        return new PublicKey(rings.get(0));
    }

    /** Primary key fingerprint, 40 uppercase hex digits: MIG's identity of the signer. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Primary key id (low 64 bits of the fingerprint). */
    public long keyId() {
        return ring.getPublicKey().getKeyID();
    }

    /** User ids of the primary key, in key order (e.g. {@code "Bob Kelso <bob@example.net>"}). */
    public List<String> userIds() {
        List<String> ids = new ArrayList<>();
        ring.getPublicKey().getUserIDs().forEachRemaining(ids::add);
        return List.copyOf(ids);
    }

    /**
     * Primary key algorithm, e.g. {@code "RSA-2048"} or {@code "EdDSA-legacy"}. The original Go
     * platform can only use RSA and DSA keys; callers that must stay compatible can check this.
     */
    @SuppressWarnings("deprecation") // RSA_SIGN: deprecated by RFC 4880, still found in old keys
    public String algorithm() {
        PGPPublicKey k = ring.getPublicKey();
        return switch (k.getAlgorithm()) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> "RSA-" + k.getBitStrength();
            case PublicKeyAlgorithmTags.DSA -> "DSA-" + k.getBitStrength();
            case PublicKeyAlgorithmTags.ECDSA -> "ECDSA";
            case PublicKeyAlgorithmTags.EDDSA_LEGACY -> "EdDSA-legacy";
            case PublicKeyAlgorithmTags.Ed25519 -> "Ed25519";
            case PublicKeyAlgorithmTags.Ed448 -> "Ed448";
            default -> "algorithm-" + k.getAlgorithm();
        };
    }

    /** Creation time of the primary key. */
    public Instant created() {
        return ring.getPublicKey().getCreationTime().toInstant();
    }

    /** The key, armoured, without Version/Comment headers, trust packets dropped. */
    public String armored() {
        return Armor.armor(Armor.PUBLIC_KEY, encoded());
    }

    /** The key in binary transferable form (what {@code gpg --export} writes, a pubring.gpg entry). */
    public byte[] encoded() {
        try {
            // Bouncy Castle re-encodes self-signatures minimally; the original's Go reader refuses
            // the key when one is shorter than the modulus (FullLengthMpi)
            return FullLengthMpi.pad(ring.getEncoded(true), ring.getPublicKey());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode public key " + fingerprint, e);
        }
    }

    PGPPublicKeyRing ring() {
        return ring;
    }

    /** Primary key first, then subkeys bound for signing. */
    List<PGPPublicKey> signingKeys() {
        return signingKeys;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && other.fingerprint.equals(fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        List<String> ids = userIds();
        return "PublicKey[" + fingerprint + (ids.isEmpty() ? "" : " " + ids.get(0)) + "]";
    }

    private static boolean isBoundSigningSubkey(PGPPublicKey primary, PGPPublicKey sub) {
        Iterator<PGPSignature> sigs = sub.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (sigs.hasNext()) {
            PGPSignature binding = sigs.next();
            try {
                if (binding.getKeyID() != primary.getKeyID()) {
                    continue;
                }
                binding.init(new BcPGPContentVerifierBuilderProvider(), primary);
                if (!binding.verifyCertification(primary, sub)) {
                    continue;
                }
                var hashed = binding.getHashedSubPackets();
                if (hashed == null || (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
                    continue;
                }
                if (hasValidBackSignature(hashed.getEmbeddedSignatures(), primary, sub)
                        || hasValidBackSignature(
                                binding.getUnhashedSubPackets() == null
                                        ? null
                                        : binding.getUnhashedSubPackets().getEmbeddedSignatures(),
                                primary,
                                sub)) {
                    return true;
                }
            } catch (PGPException | RuntimeException e) {
                // an unverifiable binding does not make the subkey a signer; try the next one
            }
        }
        return false;
    }

    private static boolean hasValidBackSignature(PGPSignatureList embedded, PGPPublicKey primary, PGPPublicKey sub)
            throws PGPException {
        if (embedded == null) {
            return false;
        }
        for (PGPSignature back : embedded) {
            if (back.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING) {
                back.init(new BcPGPContentVerifierBuilderProvider(), sub);
                if (back.verifyCertification(primary, sub)) {
                    return true;
                }
            }
        }
        return false;
    }
}
