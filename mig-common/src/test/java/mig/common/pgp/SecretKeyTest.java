package mig.common.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading an investigator's signing key the ways the client and the demo need. */
class SecretKeyTest {
    private static final byte[] DATA = "1;2026-11-28T18:58:15Z;42\n".getBytes(StandardCharsets.UTF_8);
    private static final char[] PASSPHRASE = "s3cret passphrase".toCharArray();

    private static KeyGen.Generated protectedKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeProtectedKey() {
        protectedKey = KeyGen.ed25519("Judy <judy@example.net>", PASSPHRASE);
    }

    /** A GnuPG-1-style secring.gpg with two keys and trust packets, in a gpg home folder. */
    private Path gpgHomeWithTwoKeys() throws Exception {
        ByteArrayOutputStream secring = new ByteArrayOutputStream();
        secring.writeBytes(TestKeys.rsa().secring());
        secring.writeBytes(TestKeys.ed25519().secring());
        Path home = Files.createDirectory(dir.resolve(".gnupg"));
        Files.write(home.resolve("secring.gpg"), TestKeys.withGnupg1TrustPackets(secring.toByteArray()));
        return home;
    }

    @Test
    void keyIsSelectedFromSecringByFingerprintOrLongIdInAnyCase() throws Exception {
        Path home = gpgHomeWithTwoKeys();
        String fpr = TestKeys.ed25519().fingerprint();
        for (String sel : List.of(
                fpr,
                fpr.toLowerCase(),
                fpr.substring(24),
                "0x" + fpr.substring(24).toLowerCase())) {
            SecretKey key = SecretKey.fromGpgHome(home, sel, null);
            assertEquals(fpr, key.fingerprint(), sel);
        }
        SecretKey rsa = SecretKey.fromSecring(
                home.resolve("secring.gpg"), TestKeys.rsa().fingerprint(), null);
        assertEquals(TestKeys.rsa().fingerprint(), rsa.fingerprint());
    }

    @Test
    void loadedKeySignsAsTheGeneratedOne() throws Exception {
        SecretKey key =
                SecretKey.fromGpgHome(gpgHomeWithTwoKeys(), TestKeys.rsa().fingerprint(), null);
        Verified v = Signatures.verify(DATA, Signatures.sign(DATA, key), TestKeys.keyringOf(TestKeys.rsa()));
        assertEquals(TestKeys.rsa().fingerprint(), v.fingerprint());
    }

    @Test
    void unknownKeyIdListsTheAvailableFingerprints() throws Exception {
        Path home = gpgHomeWithTwoKeys();
        PgpException e = assertThrows(
                PgpException.class,
                () -> SecretKey.fromGpgHome(home, "E60892BB9BD89A69F759A1A0A3D652173B763E8F", null));
        String m = e.getMessage();
        assertTrue(m.startsWith("secret key E60892BB9BD89A69F759A1A0A3D652173B763E8F not found in "), m);
        assertTrue(m.contains(TestKeys.rsa().fingerprint() + " (Alice Investigator <alice@example.net>)"), m);
        assertTrue(m.contains(TestKeys.ed25519().fingerprint()), m);
    }

    @Test
    void invalidKeyIdIsRefusedWithTheExpectedForm() throws Exception {
        Path home = gpgHomeWithTwoKeys();
        PgpException e = assertThrows(PgpException.class, () -> SecretKey.fromGpgHome(home, "bob@example.net", null));
        assertTrue(e.getMessage().contains("40-hex fingerprint or a 16-hex long key id"), e.getMessage());
    }

    @Test
    void missingSecringExplainsHowToExportIt() {
        PgpException e = assertThrows(
                PgpException.class,
                () -> SecretKey.fromGpgHome(dir, TestKeys.rsa().fingerprint(), null));
        assertTrue(
                e.getMessage()
                        .contains("gpg --export-secret-keys " + TestKeys.rsa().fingerprint()),
                e.getMessage());
    }

    @Test
    void armouredExportWithRightPassphraseUnlocks() throws Exception {
        SecretKey key = SecretKey.fromArmored(protectedKey.armoredSecretKey(), PASSPHRASE.clone());
        assertEquals(protectedKey.fingerprint(), key.fingerprint());
        Verified v = Signatures.verify(DATA, Signatures.sign(DATA, key), Keyring.of(List.of(key.publicKey())));
        assertEquals(protectedKey.fingerprint(), v.fingerprint());
    }

    @Test
    void wrongPassphraseIsNamedAsSuch() {
        PgpException e = assertThrows(
                PgpException.class,
                () -> SecretKey.fromArmored(protectedKey.armoredSecretKey(), "guess".toCharArray()));
        assertTrue(
                e.getMessage().startsWith("wrong passphrase for secret key " + protectedKey.fingerprint()),
                e.getMessage());
    }

    @Test
    void missingPassphraseIsNamedAsSuch() {
        PgpException e =
                assertThrows(PgpException.class, () -> SecretKey.fromArmored(protectedKey.armoredSecretKey(), null));
        assertEquals(
                "secret key " + protectedKey.fingerprint() + " is passphrase-protected and no passphrase was given",
                e.getMessage());
    }

    @Test
    void protectedKeyInSecringNeedsThePassphraseToo() throws Exception {
        Path secring = Files.write(dir.resolve("secring.gpg"), protectedKey.secring());
        assertEquals(
                protectedKey.fingerprint(),
                SecretKey.fromSecring(secring, protectedKey.fingerprint(), PASSPHRASE.clone())
                        .fingerprint());
        assertThrows(PgpException.class, () -> SecretKey.fromSecring(secring, protectedKey.fingerprint(), new char[0]));
    }

    @Test
    void armouredExportOfSeveralKeysNeedsASelector() throws Exception {
        String both = TestKeys.rsa().armoredSecretKey() + TestKeys.ed25519().armoredSecretKey();
        PgpException e = assertThrows(PgpException.class, () -> SecretKey.fromArmored(both, null));
        assertTrue(e.getMessage().contains("holds 2 secret keys; select one of"), e.getMessage());
        assertEquals(
                TestKeys.ed25519().fingerprint(),
                SecretKey.fromArmored(both, TestKeys.ed25519().fingerprint(), null)
                        .fingerprint());
    }

    @Test
    void publicKeyIsNotASecretKey() {
        PgpException e = assertThrows(
                PgpException.class, () -> SecretKey.fromArmored(TestKeys.rsa().armoredPublicKey(), null));
        assertTrue(e.getMessage().contains("no armoured PGP PRIVATE KEY BLOCK"), e.getMessage());
        PgpException binary = assertThrows(
                PgpException.class,
                () -> SecretKey.fromBytes(TestKeys.rsa().secretKey().publicKey().encoded(), "pubring.gpg", null, null));
        assertTrue(
                binary.getMessage().contains("holds a public key where a secret key was expected"),
                binary.getMessage());
    }

    @Test
    void junkSecringIsAClearError() throws Exception {
        String fpr = TestKeys.rsa().fingerprint();
        Path text = Files.write(dir.resolve("text.gpg"), "not a keyring at all".getBytes(StandardCharsets.UTF_8));
        PgpException e = assertThrows(PgpException.class, () -> SecretKey.fromSecring(text, fpr, null));
        assertEquals(
                text + " is text without a '-----BEGIN PGP PRIVATE KEY BLOCK-----' block,"
                        + " and not a binary OpenPGP keyring either",
                e.getMessage());

        byte[] truncated = Arrays.copyOf(TestKeys.rsa().secring(), 300);
        Path binary = Files.write(dir.resolve("truncated.gpg"), truncated);
        e = assertThrows(PgpException.class, () -> SecretKey.fromSecring(binary, fpr, null));
        assertTrue(e.getMessage().startsWith(binary + " is not a readable OpenPGP keyring: "), e.getMessage());

        Path empty = Files.write(dir.resolve("empty.gpg"), new byte[0]);
        e = assertThrows(PgpException.class, () -> SecretKey.fromSecring(empty, fpr, null));
        assertEquals("no secret keys in " + empty, e.getMessage());
    }

    @Test
    void generatedExportsAgreeWithEachOther() throws Exception {
        KeyGen.Generated g = TestKeys.ed25519();
        assertEquals(g.fingerprint(), PublicKey.parse(g.armoredPublicKey()).fingerprint());
        assertEquals(
                g.fingerprint(),
                SecretKey.fromArmored(g.armoredSecretKey(), null).fingerprint());
        assertEquals("EdDSA-legacy", g.secretKey().publicKey().algorithm());
        assertEquals("RSA-2048", TestKeys.rsa().secretKey().publicKey().algorithm());
        assertTrue(g.armoredSecretKey().startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"));
    }
}
