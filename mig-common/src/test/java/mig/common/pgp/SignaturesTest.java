package mig.common.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import mig.common.pgp.InvalidSignatureException.Reason;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What MIG signatures look like on the wire, and why a bad one is refused. */
class SignaturesTest {
    private static final byte[] DATA = "name=x;target=agents.id>0;operations=[];".getBytes(StandardCharsets.UTF_8);

    private static KeyGen.Generated key(String algorithm) {
        return algorithm.equals("rsa") ? TestKeys.rsa() : TestKeys.ed25519();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed25519"})
    void signatureVerifiesAndNamesThePrimaryKey(String algorithm) throws Exception {
        KeyGen.Generated key = key(algorithm);
        Verified v = Signatures.verify(DATA, Signatures.sign(DATA, key.secretKey()), TestKeys.keyringOf(key));
        assertEquals(key.fingerprint(), v.fingerprint());
        assertEquals(key.secretKey().keyId(), v.issuerKeyId());
        assertEquals(key.secretKey().publicKey(), v.signer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed25519"})
    void signatureIsOneLineBase64ThenCrc24(String algorithm) throws Exception {
        String mig = Signatures.sign(DATA, key(algorithm).secretKey());
        assertTrue(mig.matches("[A-Za-z0-9+/]+={0,2}=[A-Za-z0-9+/]{4}"), mig);
        String armored = Signatures.toArmored(mig);
        assertFalse(armored.contains("Version:"), armored);
        assertEquals(mig, Signatures.fromArmored(armored));
    }

    @Test
    void signatureIsADetachedBinarySha256SignatureByThePrimaryKey() throws Exception {
        KeyGen.Generated key = TestKeys.rsa();
        String mig = Signatures.sign(DATA, key.secretKey());
        byte[] packet = Base64.getDecoder().decode(mig.substring(0, mig.lastIndexOf('=')));
        PGPSignature sig = ((PGPSignatureList) new BcPGPObjectFactory(packet).nextObject()).get(0);
        assertEquals(PGPSignature.BINARY_DOCUMENT, sig.getSignatureType());
        assertEquals(HashAlgorithmTags.SHA256, sig.getHashAlgorithm());
        assertEquals(4, sig.getVersion());
        assertEquals(key.secretKey().keyId(), sig.getKeyID());
    }

    @Test
    void reArmouringSplitsAtTheLastEqualsSignInto64CharacterLines() throws Exception {
        String mig = Signatures.sign(DATA, TestKeys.rsa().secretKey());
        List<String> lines = Signatures.toArmored(mig).lines().toList();
        assertEquals("-----BEGIN PGP SIGNATURE-----", lines.get(0));
        assertEquals("", lines.get(1));
        assertEquals("-----END PGP SIGNATURE-----", lines.get(lines.size() - 1));
        String crcLine = lines.get(lines.size() - 2);
        assertEquals(mig.substring(mig.lastIndexOf('=')), crcLine);
        List<String> body = lines.subList(2, lines.size() - 2);
        body.subList(0, body.size() - 1).forEach(l -> assertEquals(64, l.length(), l));
        assertEquals(mig.substring(0, mig.lastIndexOf('=')), String.join("", body));
    }

    @Test
    void armouredSignatureWithHeadersIsAccepted() throws Exception {
        KeyGen.Generated key = TestKeys.ed25519();
        String armored = Signatures.toArmored(Signatures.sign(DATA, key.secretKey()))
                .replace("-----\n\n", "-----\nVersion: GnuPG v1\nComment: hand made\n\n");
        assertEquals(
                key.fingerprint(),
                Signatures.verify(DATA, armored, TestKeys.keyringOf(key)).fingerprint());
    }

    @Test
    void changedDataIsABadSignature() {
        KeyGen.Generated key = TestKeys.ed25519();
        String mig = Signatures.sign(DATA, key.secretKey());
        byte[] changed = DATA.clone();
        changed[changed.length - 1] = ':';
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class, () -> Signatures.verify(changed, mig, TestKeys.keyringOf(key)));
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains(key.fingerprint()), e.getMessage());
    }

    @Test
    void keyOutsideTheKeyringIsUnknownAndNamed() {
        String mig = Signatures.sign(DATA, TestKeys.rsa().secretKey());
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(DATA, mig, TestKeys.keyringOf(TestKeys.otherRsa(), TestKeys.ed25519())));
        assertEquals(Reason.UNKNOWN_KEY, e.reason());
        String keyId = Fingerprints.keyId(TestKeys.rsa().secretKey().keyId());
        assertTrue(
                e.getMessage().contains(keyId) && e.getMessage().contains("not in the keyring (2 keys)"),
                e.getMessage());
    }

    @Test
    void theRightKeyIsPickedFromAKeyringOfSeveral() throws Exception {
        Keyring keyring = TestKeys.keyringOf(TestKeys.otherRsa(), TestKeys.ed25519(), TestKeys.rsa());
        for (KeyGen.Generated k : List.of(TestKeys.rsa(), TestKeys.otherRsa(), TestKeys.ed25519())) {
            assertEquals(
                    k.fingerprint(),
                    Signatures.verify(DATA, Signatures.sign(DATA, k.secretKey()), keyring)
                            .fingerprint());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "hello world",
                "no equals sign at all",
                "abc=",
                "iQEzBAABCgAdFiEE2QMjH3NE=Y+gR",
                "!!!!=abcd",
                "=Y+gR",
                "-----BEGIN PGP SIGNATURE-----\n\nabcd\n-----END PGP MESSAGE-----",
                "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----"
            })
    void garbageIsMalformedNotACrash(String text) {
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(DATA, text, TestKeys.keyringOf(TestKeys.rsa())));
        assertEquals(Reason.MALFORMED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("malformed"), e.getMessage());
    }

    @Test
    void nullSignatureIsMalformed() {
        InvalidSignatureException e =
                assertThrows(InvalidSignatureException.class, () -> Signatures.verify(DATA, null, Keyring.empty()));
        assertEquals(Reason.MALFORMED, e.reason());
    }

    @Test
    void signatureWithoutEqualsSignSaysSo() {
        String mig = Signatures.sign(DATA, TestKeys.rsa().secretKey()).replace("=", "");
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(DATA, mig, TestKeys.keyringOf(TestKeys.rsa())));
        assertTrue(e.getMessage().contains("no '='"), e.getMessage());
    }

    @Test
    void truncatedSignatureFailsItsChecksum() {
        String mig = Signatures.sign(DATA, TestKeys.rsa().secretKey());
        int eq = mig.lastIndexOf('=');
        String truncated = mig.substring(0, 40) + mig.substring(eq);
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(DATA, truncated, TestKeys.keyringOf(TestKeys.rsa())));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("CRC24 checksum mismatch"), e.getMessage());
    }

    @Test
    void validArmourAroundSomethingElseIsNotASignature() {
        byte[] keyPacket = TestKeys.rsa().secretKey().publicKey().encoded();
        String text = Armor.toMig(keyPacket);
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(DATA, text, TestKeys.keyringOf(TestKeys.rsa())));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("not a signature"), e.getMessage());
    }

    @Test
    void twoSignaturesInOneStringAreRefused() {
        byte[] one = Base64.getDecoder()
                .decode(strip(Signatures.sign(DATA, TestKeys.rsa().secretKey())));
        byte[] two = Base64.getDecoder()
                .decode(strip(Signatures.sign(DATA, TestKeys.ed25519().secretKey())));
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(DATA, Armor.toMig(both), TestKeys.keyringOf(TestKeys.rsa())));
        assertTrue(e.getMessage().contains("exactly one signature"), e.getMessage());
    }

    @Test
    void keyCertificationIsNotADocumentSignature() {
        KeyGen.Generated key = TestKeys.rsa();
        PGPSignature selfSig =
                key.secretKey().primaryPublicKey().getSignatures().next();
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(DATA, Armor.toMig(selfSig.getEncoded()), TestKeys.keyringOf(key)));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("type 0x13"), e.getMessage());
    }

    @Test
    void unknownHashAlgorithmIsUnsupportedNotBad() {
        KeyGen.Generated key = TestKeys.ed25519();
        byte[] packet = Base64.getDecoder().decode(strip(Signatures.sign(DATA, key.secretKey())));
        int headerLength = (packet[1] & 0xFF) < 192 ? 2 : 3;
        packet[headerLength + 3] = 110; // hash algorithm: private/experimental id
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(DATA, Armor.toMig(packet), TestKeys.keyringOf(key)));
        assertEquals(Reason.UNSUPPORTED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(key.fingerprint()), e.getMessage());
    }

    private static String strip(String mig) {
        return mig.substring(0, mig.lastIndexOf('='));
    }
}
