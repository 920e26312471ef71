package mig.common.pgp;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import mig.common.pgp.InvalidSignatureException.Reason;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * MIG's signatures: OpenPGP detached binary (type 0x00) signatures, SHA-256, made with the primary
 * key, carried in the original's armour-stripped one-line form {@code <base64>=<CRC24>}.
 *
 * <p>That one-line form is the wire format of {@code pgpsignatures} in actions and manifests and of
 * the last field of API tokens; gpg and any OpenPGP tool can check it after {@link #toArmored}.
 * Verification says precisely why a signature is refused (see {@link InvalidSignatureException}).
 *
 * <p>Stricter than the original (whose vendored {@code golang.org/x/crypto/openpgp} accepted any
 * hash it knew, MD5 and SHA-1 included, and never looked at key expiry or revocation when checking
 * a detached signature): signatures over MD5, SHA-1 or RIPEMD-160 are refused, and so are
 * signatures by a key, or signing subkey, that is expired or revoked (by a revocation signature
 * its primary key made) at the time of checking. Every check in MIG goes through {@link #verify}:
 * the agent's action checks, the API's tokens and actions, and {@code mig-action-verifier}.
 */
public final class Signatures {
    private Signatures() {}

    /** Signs with the key's primary key, signature creation time now. */
    public static String sign(byte[] data, SecretKey key) {
        return sign(data, key, Instant.now());
    }

    /** Signs with the key's primary key and the given signature creation time (whole seconds). */
    static String sign(byte[] data, SecretKey key, Instant created) {
        PGPPublicKey pub = key.primaryPublicKey();
        try {
            PGPSignatureGenerator gen = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA256), pub);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(created));
            hashed.setIssuerFingerprint(false, pub);
            hashed.setIssuerKeyID(false, pub.getKeyID());
            gen.setHashedSubpackets(hashed.generate());
            gen.init(PGPSignature.BINARY_DOCUMENT, key.privateKey());
            gen.update(data);
            // full-length RSA value: the original's Go verifiers refuse a shorter one (FullLengthMpi)
            return Armor.toMig(FullLengthMpi.pad(gen.generate().getEncoded(), pub));
        } catch (PGPException | IOException | RuntimeException e) {
            throw new IllegalStateException("signing with key " + key.fingerprint() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a signature over data against a keyring.
     *
     * @param signature MIG one-line form, or a full armoured {@code PGP SIGNATURE} block
     * @return the signer; its {@code fingerprint()} is the primary key's, whichever key signed
     * @throws InvalidSignatureException MALFORMED, UNKNOWN_KEY (message names the key id),
     *                                   BAD_SIGNATURE (data changed) or UNSUPPORTED
     */
    public static Verified verify(byte[] data, String signature, Keyring keyring) throws InvalidSignatureException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(keyring, "keyring");
        PGPSignature sig = parse(signature);
        long keyId = issuerKeyId(sig);
        String weak = weakHash(sig.getHashAlgorithm());
        if (weak != null) {
            throw new InvalidSignatureException(
                    Reason.WEAK_HASH,
                    "signature by key id " + Fingerprints.keyId(keyId) + " uses the " + weak
                            + " hash, which MIG refuses (collisions can be made); sign with SHA-256",
                    keyId,
                    null);
        }
        String kid = Fingerprints.keyId(keyId);
        List<PublicKey> candidates = keyring.signersWithKeyId(keyId);
        if (candidates.isEmpty()) {
            String where = keyring.find(kid)
                    .map(k -> "a subkey of " + k.fingerprint() + " that is not bound for signing")
                    .orElse("not in the keyring (" + keyring.size() + (keyring.size() == 1 ? " key)" : " keys)"));
            throw new InvalidSignatureException(
                    Reason.UNKNOWN_KEY, "signature made by unknown key id " + kid + ", which is " + where, keyId, null);
        }
        Exception unsupported = null;
        Exception failure = null;
        boolean checked = false;
        for (PublicKey candidate : candidates) {
            for (PGPPublicKey pk : candidate.signingKeys()) {
                if (pk.getKeyID() != keyId) {
                    continue;
                }
                try {
                    sig.init(new BcPGPContentVerifierBuilderProvider(), pk);
                } catch (PGPException | RuntimeException e) {
                    unsupported = e; // no verifier for this algorithm and hash
                    continue;
                }
                checked = true;
                try {
                    sig.update(data);
                    if (sig.verify()) {
                        Instant created = sig.getCreationTime().toInstant();
                        String invalid = KeyValidity.problem(candidate.ring().getPublicKey(), pk, Instant.now());
                        if (invalid != null) {
                            throw new InvalidSignatureException(
                                    Reason.KEY_NOT_VALID,
                                    "signature by key id " + kid + " (" + candidate.fingerprint() + ") refused: "
                                            + invalid,
                                    keyId,
                                    null);
                        }
                        return new Verified(candidate.fingerprint(), keyId, created, candidate);
                    }
                } catch (PGPException | RuntimeException e) {
                    failure = e; // e.g. a signature value that does not fit the key
                }
            }
        }
        String who = "key id " + kid + " (" + candidates.get(0).fingerprint() + ")";
        if (!checked) {
            throw new InvalidSignatureException(
                    Reason.UNSUPPORTED,
                    "cannot check signature by " + who + ": " + unsupported.getMessage(),
                    keyId,
                    unsupported);
        }
        throw new InvalidSignatureException(
                Reason.BAD_SIGNATURE,
                "bad signature: signature by " + who + " does not match the signed data",
                keyId,
                failure);
    }

    /**
     * The signature with its RSA value written at the full length of the signing key's modulus
     * (see {@link FullLengthMpi}: the original's Go verifiers refuse a shorter one), for signatures
     * made elsewhere, such as by gpg. Unchanged when it already is, or is not an RSA signature of
     * this key.
     */
    public static String fullLength(String migSignature, PublicKey signer) throws InvalidSignatureException {
        byte[] packets = Armor.fromMig(migSignature.strip());
        byte[] padded = packets;
        for (PGPPublicKey k : signer.ring()) {
            padded = FullLengthMpi.pad(padded, k);
        }
        return padded == packets ? migSignature : Armor.toMig(padded);
    }

    /** The name of a hash MIG refuses, or null when the hash is acceptable. */
    @SuppressWarnings("deprecation") // the tags of the weak hashes are deprecated, which is the point
    private static String weakHash(int algorithm) {
        return switch (algorithm) {
            case HashAlgorithmTags.MD5 -> "MD5";
            case HashAlgorithmTags.SHA1 -> "SHA-1";
            case HashAlgorithmTags.RIPEMD160 -> "RIPEMD-160";
            case HashAlgorithmTags.MD2 -> "MD2";
            case HashAlgorithmTags.TIGER_192 -> "TIGER-192";
            case HashAlgorithmTags.HAVAL_5_160 -> "HAVAL-5-160";
            default -> null;
        };
    }

    /** Re-armours a one-line MIG signature (after checking it) for gpg and other OpenPGP tools. */
    public static String toArmored(String migSignature) throws InvalidSignatureException {
        String mig = migSignature == null ? "" : migSignature.strip();
        Armor.fromMig(mig);
        return Armor.migToArmored(mig);
    }

    /**
     * The one-line MIG form of an armoured signature (e.g. {@code gpg --armor --detach-sign} output):
     * what the original gets by deleting the newlines between the first blank line and "-----END",
     * rebuilt from the decoded bytes so headers, CRLF line ends or a missing checksum do not matter.
     */
    public static String fromArmored(String armored) throws InvalidSignatureException {
        if (armored == null || !armored.strip().startsWith("-----BEGIN")) {
            throw new InvalidSignatureException(
                    Reason.MALFORMED,
                    "malformed armoured signature: does not start with -----BEGIN PGP SIGNATURE-----");
        }
        return Armor.toMig(dearmorBlock(armored.strip()));
    }

    private static PGPSignature parse(String signature) throws InvalidSignatureException {
        if (signature == null || signature.isBlank()) {
            throw new InvalidSignatureException(Reason.MALFORMED, "malformed MIG signature: empty");
        }
        String text = signature.strip();
        byte[] packets = text.startsWith("-----BEGIN") ? dearmorBlock(text) : Armor.fromMig(text);
        Object first;
        Object next;
        try {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(packets);
            first = factory.nextObject();
            while (first instanceof PGPMarker) {
                first = factory.nextObject();
            }
            next = first == null ? null : factory.nextObject();
        } catch (IOException | RuntimeException e) {
            throw new InvalidSignatureException(
                    Reason.MALFORMED,
                    "malformed MIG signature: not OpenPGP signature packets (" + e.getMessage() + ")",
                    e);
        }
        if (!(first instanceof PGPSignatureList list) || list.isEmpty()) {
            throw new InvalidSignatureException(
                    Reason.MALFORMED,
                    "malformed MIG signature: holds "
                            + (first == null
                                    ? "no OpenPGP packet"
                                    : first.getClass().getSimpleName()) + ", not a signature");
        }
        if (list.size() != 1 || next != null) {
            throw new InvalidSignatureException(
                    Reason.MALFORMED,
                    "malformed MIG signature: expected exactly one signature packet, found more data");
        }
        PGPSignature sig = list.get(0);
        int type = sig.getSignatureType();
        if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            throw new InvalidSignatureException(
                    Reason.MALFORMED,
                    String.format("malformed MIG signature: type 0x%02x is not a signature over a document", type));
        }
        return sig;
    }

    private static byte[] dearmorBlock(String text) throws InvalidSignatureException {
        List<Armor.Block> blocks;
        try {
            blocks = Armor.readAll(text, "signature text");
        } catch (PgpException e) {
            throw new InvalidSignatureException(Reason.MALFORMED, "malformed armoured signature: " + e.getMessage(), e);
        }
        if (blocks.size() != 1 || !blocks.get(0).type().equals(Armor.SIGNATURE)) {
            throw new InvalidSignatureException(
                    Reason.MALFORMED,
                    "malformed armoured signature: expected one PGP SIGNATURE block, found "
                            + blocks.stream().map(b -> "PGP " + b.type()).toList());
        }
        return blocks.get(0).data();
    }

    private static long issuerKeyId(PGPSignature sig) throws InvalidSignatureException {
        long id = sig.getKeyID();
        if (id == 0) {
            PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
            if (hashed != null && hashed.getIssuerFingerprint() != null) {
                byte[] fpr = hashed.getIssuerFingerprint().getFingerprint();
                for (int i = Math.max(0, fpr.length - 8); i < fpr.length; i++) {
                    id = (id << 8) | (fpr[i] & 0xFF);
                }
            }
        }
        if (id == 0) {
            throw new InvalidSignatureException(Reason.MALFORMED, "malformed MIG signature: names no issuer key");
        }
        return id;
    }
}
