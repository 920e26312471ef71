package mig.common.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.ActionSignatures.ActionSignatureException;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.common.pgp.InvalidSignatureException.Reason;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17: signatures the original accepted and MIG now refuses, made the way an attacker (or an
 * old tool) would make them: an MD5 or SHA-1 hash (collisions can be bought), a key that expired,
 * a key its owner revoked. Checked at {@link Signatures#verify} and through the two paths every
 * component uses: API tokens ({@link AuthToken#check}) and action signatures
 * ({@link ActionSignatures#verify}: the agent, the API and mig-action-verifier).
 */
class SignatureHardeningTest {
    private static final byte[] DATA = "name=x;target=agents.id>0;operations=[];".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @ValueSource(ints = {HashAlgorithmTags.MD5, HashAlgorithmTags.SHA1, HashAlgorithmTags.RIPEMD160})
    void aWeakHashIsRefusedFromAValidKey(int hash) throws Exception {
        KeyGen.Generated key = TestKeys.rsa();
        String sig =
                rawSign(key.secretKey().privateKey(), key.secretKey().primaryPublicKey(), hash, Instant.now(), DATA);
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class, () -> Signatures.verify(DATA, sig, TestKeys.keyringOf(key)));
        assertEquals(Reason.WEAK_HASH, e.reason());
        assertTrue(e.getMessage().contains("hash, which MIG refuses"), e.getMessage());
        // the same key with SHA-256 and SHA-512 is fine
        for (int good : new int[] {HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA512}) {
            String ok = rawSign(
                    key.secretKey().privateKey(), key.secretKey().primaryPublicKey(), good, Instant.now(), DATA);
            assertEquals(
                    key.fingerprint(),
                    Signatures.verify(DATA, ok, TestKeys.keyringOf(key)).fingerprint());
        }
    }

    @Test
    void aSha1TokenIsRefusedByTheApiCheck() throws Exception {
        KeyGen.Generated key = TestKeys.rsa();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String payload = "1;" + DateTimeFormatter.ISO_INSTANT.format(now) + ";12345";
        String token = payload + ";"
                + rawSign(
                        key.secretKey().privateKey(),
                        key.secretKey().primaryPublicKey(),
                        HashAlgorithmTags.SHA1,
                        now,
                        (payload + "\n").getBytes(StandardCharsets.UTF_8));
        TokenException e = assertThrows(
                TokenException.class,
                () -> AuthToken.check(token, TestKeys.keyringOf(key), Clock.systemUTC(), Duration.ofMinutes(10)));
        assertEquals(
                Reason.WEAK_HASH,
                assertInstanceOf(InvalidSignatureException.class, e.getCause()).reason());
    }

    @Test
    void anActionSignedWithSha1IsRefusedByTheActionCheck() throws Exception {
        KeyGen.Generated key = TestKeys.rsa();
        Action a = action();
        String sig = rawSign(
                key.secretKey().privateKey(),
                key.secretKey().primaryPublicKey(),
                HashAlgorithmTags.SHA1,
                Instant.now(),
                a.canonicalString().getBytes(StandardCharsets.UTF_8));
        ActionSignatureException e = assertThrows(
                ActionSignatureException.class,
                () -> ActionSignatures.verify(a.withSignature(sig), TestKeys.keyringOf(key)));
        assertEquals(Reason.WEAK_HASH, e.reason().orElseThrow());
    }

    @Test
    void aSignatureByAnExpiredKeyIsRefusedEvenIfMadeBeforeItExpired() throws Exception {
        Instant created = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        PGPSecretKeyRing expired = rsaRing("Expired <expired@example.net>", created, Duration.ofDays(1));
        PGPPrivateKey priv = expired.getSecretKey()
                .extractPrivateKey(
                        new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
        PGPPublicKey pub = expired.getPublicKey();
        PublicKey pk = new PublicKey(new PGPPublicKeyRing(List.of(pub)));
        Keyring ring = Keyring.of(List.of(pk));
        // signed 36 h ago, while the key was still valid
        String sig = rawSign(priv, pub, HashAlgorithmTags.SHA256, created.plus(Duration.ofHours(12)), DATA);
        InvalidSignatureException e =
                assertThrows(InvalidSignatureException.class, () -> Signatures.verify(DATA, sig, ring));
        assertEquals(Reason.KEY_NOT_VALID, e.reason());
        assertTrue(e.getMessage().contains("the key expired on " + created.plus(Duration.ofDays(1))), e.getMessage());

        Action a = action();
        String actionSig = rawSign(
                priv,
                pub,
                HashAlgorithmTags.SHA256,
                Instant.now(),
                a.canonicalString().getBytes(StandardCharsets.UTF_8));
        assertEquals(
                Reason.KEY_NOT_VALID,
                assertThrows(
                                ActionSignatureException.class,
                                () -> ActionSignatures.verify(a.withSignature(actionSig), ring))
                        .reason()
                        .orElseThrow());

        // a key with an expiry still ahead works
        PGPSecretKeyRing later = rsaRing("Later <later@example.net>", created, Duration.ofDays(30));
        PGPPrivateKey laterPriv = later.getSecretKey()
                .extractPrivateKey(
                        new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
        PublicKey laterKey = new PublicKey(new PGPPublicKeyRing(List.of(later.getPublicKey())));
        String fine = rawSign(laterPriv, later.getPublicKey(), HashAlgorithmTags.SHA256, Instant.now(), DATA);
        assertEquals(
                laterKey.fingerprint(),
                Signatures.verify(DATA, fine, Keyring.of(List.of(laterKey))).fingerprint());
    }

    @Test
    void aSignatureByARevokedKeyIsRefusedAndOnlyTheOwnerCanRevoke() throws Exception {
        KeyGen.Generated key = TestKeys.otherRsa();
        PGPPublicKey pub = key.secretKey().primaryPublicKey();
        PublicKey revoked =
                withRevocation(key.secretKey().publicKey(), key.secretKey().privateKey(), pub);
        String sig = Signatures.sign(DATA, key.secretKey());
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class, () -> Signatures.verify(DATA, sig, Keyring.of(List.of(revoked))));
        assertEquals(Reason.KEY_NOT_VALID, e.reason());
        assertTrue(e.getMessage().endsWith("refused: the key is revoked"), e.getMessage());
        Keyring both = Keyring.of(List.of(revoked));
        TokenException t = assertThrows(
                TokenException.class,
                () -> AuthToken.check(
                        AuthToken.make(key.secretKey(), Clock.systemUTC()),
                        both,
                        Clock.systemUTC(),
                        Duration.ofMinutes(10)));
        assertEquals(
                Reason.KEY_NOT_VALID,
                assertInstanceOf(InvalidSignatureException.class, t.getCause()).reason());

        // a "revocation" someone else signed and attached to the key file revokes nothing
        KeyGen.Generated other = TestKeys.rsa();
        PublicKey forged = withRevocation(
                key.secretKey().publicKey(),
                other.secretKey().privateKey(),
                other.secretKey().primaryPublicKey());
        assertEquals(
                key.fingerprint(),
                Signatures.verify(DATA, sig, Keyring.of(List.of(forged))).fingerprint());
    }

    /** {@code key} with a key-revocation signature made by {@code revoker} attached to its primary key. */
    private static PublicKey withRevocation(PublicKey key, PGPPrivateKey revokerPriv, PGPPublicKey revokerPub)
            throws Exception {
        PGPPublicKey target = key.ring().getPublicKey();
        PGPSignatureGenerator gen = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(revokerPub.getAlgorithm(), HashAlgorithmTags.SHA256), revokerPub);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, new Date());
        hashed.setIssuerKeyID(false, revokerPub.getKeyID());
        gen.setHashedSubpackets(hashed.generate());
        gen.init(PGPSignature.KEY_REVOCATION, revokerPriv);
        PGPSignature rev = gen.generateCertification(target);
        PGPPublicKey revokedPub = PGPPublicKey.addCertification(target, rev);
        return new PublicKey(PGPPublicKeyRing.insertPublicKey(key.ring(), revokedPub));
    }

    /** A detached binary signature with the given hash and creation time, in MIG's one-line form. */
    private static String rawSign(PGPPrivateKey priv, PGPPublicKey pub, int hash, Instant created, byte[] data)
            throws Exception {
        PGPSignatureGenerator gen =
                new PGPSignatureGenerator(new BcPGPContentSignerBuilder(pub.getAlgorithm(), hash), pub);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, Date.from(created));
        hashed.setIssuerKeyID(false, pub.getKeyID());
        gen.setHashedSubpackets(hashed.generate());
        gen.init(PGPSignature.BINARY_DOCUMENT, priv);
        gen.update(data);
        return Armor.toMig(gen.generate().getEncoded());
    }

    /** An RSA key made at {@code created} that expires {@code validity} later. */
    private static PGPSecretKeyRing rsaRing(String uid, Instant created, Duration validity) throws Exception {
        RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
        rsa.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), RANDOM, 2048, 112));
        BcPGPKeyPair pair = new BcPGPKeyPair(
                PublicKeyPacket.VERSION_4,
                PublicKeyAlgorithmTags.RSA_GENERAL,
                rsa.generateKeyPair(),
                Date.from(created));
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
        hashed.setKeyExpirationTime(false, validity.toSeconds());
        hashed.setSignatureCreationTime(false, Date.from(created));
        BcPGPDigestCalculatorProvider digests = new BcPGPDigestCalculatorProvider();
        return new PGPKeyRingGenerator(
                        PGPSignature.POSITIVE_CERTIFICATION,
                        pair,
                        uid,
                        digests.get(HashAlgorithmTags.SHA1),
                        hashed.generate(),
                        null,
                        new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
                        null)
                .generateSecretKeyRing();
    }

    private static Action action() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Action.draft(
                "hardening",
                "status='online'",
                now,
                now.plusSeconds(600),
                List.of(Operation.of(
                        "file",
                        GoJson.tree("{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^hostname$\"]}}}"))));
    }
}
