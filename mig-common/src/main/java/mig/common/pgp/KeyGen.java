package mig.common.pgp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * Makes investigator keys for tests and the demo: a v4 sign+certify primary key with one user id.
 *
 * <p>Only algorithms gpg 2.2 accepts are offered: RSA ({@code RSA_GENERAL}) and Ed25519 as the
 * legacy EdDSA algorithm 22 (Bouncy Castle's newer API would write algorithm 27, which gpg 2.2
 * rejects). Note the original Go platform verifies RSA and DSA keys only, so keys meant for it
 * must be RSA.
 */
public final class KeyGen {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyGen() {}

    /** A generated key in every form a caller may need. */
    public static final class Generated {
        private final SecretKey secretKey;
        private final String armoredSecretKey;
        private final byte[] secring;

        private Generated(SecretKey secretKey, String armoredSecretKey, byte[] secring) {
            this.secretKey = secretKey;
            this.armoredSecretKey = armoredSecretKey;
            this.secring = secring;
        }

        /** The unlocked key, ready to sign. */
        public SecretKey secretKey() {
            return secretKey;
        }

        public String fingerprint() {
            return secretKey.fingerprint();
        }

        /** Armoured public key, no Version header (what an investigator registers with the API). */
        public String armoredPublicKey() {
            return secretKey.publicKey().armored();
        }

        /** Like {@code gpg --export-secret-keys --armor}; protected if a passphrase was given. */
        public String armoredSecretKey() {
            return armoredSecretKey;
        }

        /** Binary secret key, the content of a GnuPG 1 {@code secring.gpg} holding just this key. */
        public byte[] secring() {
            return secring.clone();
        }
    }

    /** An RSA key without passphrase; {@code bits} 2048 or more. */
    public static Generated rsa(String uid, int bits) {
        return rsa(uid, bits, null);
    }

    /** An RSA key whose exported forms are protected by a passphrase (null or empty: none). */
    public static Generated rsa(String uid, int bits, char[] passphrase) {
        if (bits < 2048) {
            throw new IllegalArgumentException("RSA keys must have at least 2048 bits, got " + bits);
        }
        RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
        gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), RANDOM, bits, 112));
        return generate(uid, PublicKeyAlgorithmTags.RSA_GENERAL, gen.generateKeyPair(), passphrase);
    }

    /** An Ed25519 key (legacy EdDSA, algorithm 22) without passphrase. */
    public static Generated ed25519(String uid) {
        return ed25519(uid, null);
    }

    /** An Ed25519 key whose exported forms are protected by a passphrase (null or empty: none). */
    public static Generated ed25519(String uid, char[] passphrase) {
        Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
        gen.init(new Ed25519KeyGenerationParameters(RANDOM));
        return generate(uid, PublicKeyAlgorithmTags.EDDSA_LEGACY, gen.generateKeyPair(), passphrase);
    }

    private static Generated generate(String uid, int algorithm, AsymmetricCipherKeyPair pair, char[] passphrase) {
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("a user id such as 'Name <email>' is required");
        }
        boolean protect = passphrase != null && passphrase.length > 0;
        try {
            Date created = new Date(System.currentTimeMillis() / 1000 * 1000);
            BcPGPKeyPair keyPair = new BcPGPKeyPair(PublicKeyPacket.VERSION_4, algorithm, pair, created);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setPreferredHashAlgorithms(
                    false, new int[] {HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384});
            hashed.setPreferredSymmetricAlgorithms(
                    false, new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            hashed.setPreferredCompressionAlgorithms(
                    false, new int[] {CompressionAlgorithmTags.ZLIB, CompressionAlgorithmTags.UNCOMPRESSED});
            hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            hashed.setPrimaryUserID(false, true);
            BcPGPDigestCalculatorProvider digests = new BcPGPDigestCalculatorProvider();
            PBESecretKeyEncryptor encryptor = protect
                    ? new BcPBESecretKeyEncryptorBuilder(
                                    SymmetricKeyAlgorithmTags.AES_256, digests.get(HashAlgorithmTags.SHA256), 0x60)
                            .setSecureRandom(RANDOM)
                            .build(passphrase)
                    : null;
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(
                    PGPSignature.POSITIVE_CERTIFICATION,
                    keyPair,
                    uid,
                    digests.get(HashAlgorithmTags.SHA1),
                    hashed.generate(),
                    null,
                    new BcPGPContentSignerBuilder(algorithm, HashAlgorithmTags.SHA256),
                    encryptor);
            PGPSecretKeyRing ring = rings.generateSecretKeyRing();
            SecretKey key = SecretKey.unlock(ring, passphrase);
            byte[] encoded = FullLengthMpi.pad(ring.getEncoded(), ring.getPublicKey()); // for Go readers
            return new Generated(key, Armor.armor(Armor.PRIVATE_KEY, encoded), encoded);
        } catch (PGPException | PgpException e) {
            throw new IllegalStateException("key generation failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
