package mig.common.pgp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.operator.PBESecretKeyDecryptor;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * An investigator's unlocked signing key: the primary secret key of one OpenPGP key, decrypted.
 *
 * <p>MIG signs actions and API tokens with the primary key (the API and agents identify the signer
 * by its fingerprint), so that is what is loaded, whichever of the key's ids the user selected it
 * by. Loading proves the key works by signing and verifying a probe, so a wrong passphrase or a
 * damaged key fails here, with the fingerprint in the message, and never later in a signature.
 */
public final class SecretKey {
    private static final byte[] PROBE = "MIG key check".getBytes(StandardCharsets.US_ASCII);

    private final PGPPrivateKey privateKey;
    private final PublicKey publicKey;

    private SecretKey(PGPPrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * Reads {@code <gpgHome>/secring.gpg}, as the original client does with {@code [gpg] home} from
     * {@code ~/.migrc}. When it is missing, says how to create it from a GnuPG 2.1+ home.
     */
    public static SecretKey fromGpgHome(Path gpgHome, String keyId, char[] passphrase) throws PgpException {
        Path secring = gpgHome.resolve("secring.gpg");
        if (!Files.isRegularFile(secring)) {
            throw new PgpException(secring + " not found: MIG reads secret keys from a GnuPG 1 secring;"
                    + " with GnuPG 2.1 or later create it with 'gpg --export-secret-keys "
                    + (keyId == null ? "<fingerprint>" : keyId) + " > "
                    + secring + "'");
        }
        return fromSecring(secring, keyId, passphrase);
    }

    /** Selects a key from a binary secret keyring ({@code secring.gpg}, {@code gpg --export-secret-keys}). */
    public static SecretKey fromSecring(Path secring, String keyId, char[] passphrase) throws PgpException {
        return fromBytes(Keyring.read(secring), secring.toString(), keyId, passphrase);
    }

    /** The only key of an armoured export ({@code gpg --export-secret-keys --armor}). */
    public static SecretKey fromArmored(String armored, char[] passphrase) throws PgpException {
        return fromArmored(armored, null, passphrase);
    }

    /** A key selected from an armoured export that may hold several. */
    public static SecretKey fromArmored(String armored, String keyId, char[] passphrase) throws PgpException {
        if (armored == null || armored.isBlank()) {
            throw new PgpException("empty secret key text");
        }
        return fromBytes(armored.getBytes(StandardCharsets.UTF_8), "secret key text", keyId, passphrase);
    }

    /**
     * Selects and unlocks a key from armoured or binary secret key data.
     *
     * @param keyId      40-hex fingerprint or 16-hex long id of the primary key or of any of its
     *                   subkeys, any case; {@code null} when the data must hold exactly one key
     * @param passphrase needed only when the key is protected; not kept, not cleared
     */
    public static SecretKey fromBytes(byte[] data, String source, String keyId, char[] passphrase) throws PgpException {
        List<PGPSecretKeyRing> rings = KeyData.secretRings(data, source);
        if (rings.isEmpty()) {
            throw new PgpException("no secret keys in " + source);
        }
        PGPSecretKeyRing chosen = null;
        if (keyId == null) {
            if (rings.size() != 1) {
                throw new PgpException(
                        source + " holds " + rings.size() + " secret keys; select one of " + available(rings));
            }
            chosen = rings.get(0);
        } else {
            String sel = Fingerprints.normalizeSelector(keyId);
            for (PGPSecretKeyRing ring : rings) {
                for (PGPPublicKey pk : ring.toCertificate()) {
                    if (chosen == null && Fingerprints.matches(pk, sel)) {
                        chosen = ring;
                    }
                }
            }
            if (chosen == null) {
                throw new PgpException(
                        "secret key " + sel + " not found in " + source + "; available: " + available(rings));
            }
        }
        return unlock(chosen, passphrase);
    }

    static SecretKey unlock(PGPSecretKeyRing ring, char[] passphrase) throws PgpException {
        PGPSecretKey primary = ring.getSecretKey();
        PublicKey pub = new PublicKey(ring.toCertificate());
        String fpr = pub.fingerprint();
        if (primary.isPrivateKeyEmpty()) {
            throw new PgpException("the primary secret key of " + fpr + " is not present (a stub from"
                    + " 'gpg --export-secret-subkeys' or a smartcard key); MIG signs with the primary key");
        }
        boolean locked = primary.getS2KUsage() != 0;
        if (locked && passphrase == null) {
            throw new PgpException("secret key " + fpr + " is passphrase-protected and no passphrase was given");
        }
        PGPPrivateKey priv;
        try {
            PBESecretKeyDecryptor decryptor = locked
                    ? new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase)
                    : null;
            priv = primary.extractPrivateKey(decryptor);
        } catch (PGPException | RuntimeException e) {
            throw new PgpException(
                    (locked ? "wrong passphrase for secret key " : "cannot read secret key ") + fpr + " ("
                            + e.getMessage() + ")",
                    e);
        }
        if (priv == null) {
            throw new PgpException("secret key " + fpr + " has no usable secret material (gnu-dummy stub?)");
        }
        SecretKey key = new SecretKey(priv, pub);
        key.selfCheck(locked);
        return key;
    }

    /** Primary key fingerprint, 40 uppercase hex digits. */
    public String fingerprint() {
        return publicKey.fingerprint();
    }

    /** Primary key id. */
    public long keyId() {
        return privateKey.getKeyID();
    }

    /** The public half, e.g. to register the investigator or to build a test keyring. */
    public PublicKey publicKey() {
        return publicKey;
    }

    PGPPrivateKey privateKey() {
        return privateKey;
    }

    PGPPublicKey primaryPublicKey() {
        return publicKey.ring().getPublicKey();
    }

    @Override
    public String toString() {
        return "SecretKey[" + fingerprint() + "]";
    }

    private void selfCheck(boolean locked) throws PgpException {
        String sig;
        try {
            sig = Signatures.sign(PROBE, this);
        } catch (IllegalStateException e) {
            throw new PgpException("secret key " + fingerprint() + " cannot sign: " + e.getMessage(), e);
        }
        try {
            Signatures.verify(PROBE, sig, Keyring.of(List.of(publicKey)));
        } catch (InvalidSignatureException e) {
            throw new PgpException(
                    "secret key " + fingerprint() + " does not match its public key"
                            + (locked ? " (wrong passphrase?)" : " (damaged key?)"),
                    e);
        }
    }

    private static String available(List<PGPSecretKeyRing> rings) {
        List<String> out = new ArrayList<>();
        for (PGPSecretKeyRing r : rings) {
            PGPPublicKey pk = r.getPublicKey();
            Iterator<String> uids = pk.getUserIDs();
            out.add(Fingerprints.of(pk) + (uids.hasNext() ? " (" + uids.next() + ")" : ""));
        }
        return String.join(", ", out);
    }
}
