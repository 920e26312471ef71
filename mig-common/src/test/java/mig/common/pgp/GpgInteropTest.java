package mig.common.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with the real gpg 2.2, both ways, for RSA and Ed25519: what an investigator does with
 * their own keys (export a secret key for MIG, check a MIG signature by hand) must just work.
 */
class GpgInteropTest {
    /** Binary data with a newline, a CR LF and non-ASCII, so a text-mode mix-up would show. */
    private static final byte[] DATA =
            "name=check;target=agents.os='linux';\r\nnom=\u00e9t\u00e9\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Gpg gpg;

    @BeforeEach
    void startGpg() throws Exception {
        Assumptions.assumeTrue(Gpg.available(), "gpg is not installed at " + Gpg.GPG);
        Path home = dir.resolve("gnupg");
        Files.createDirectory(home);
        gpg = new Gpg(home);
    }

    @AfterEach
    void stopAgent() {
        if (gpg != null) {
            gpg.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed25519"})
    void ourSignatureIsAGoodSignatureForGpg(String algorithm) throws Exception {
        KeyGen.Generated key = algorithm.equals("rsa") ? TestKeys.rsa() : TestKeys.ed25519();
        Path pub = write("key.asc", key.armoredPublicKey());
        gpg.ok("--import", pub.toString());

        String mig = Signatures.sign(DATA, key.secretKey());
        assertGpgGoodSignature(DATA, mig, key.fingerprint());
    }

    @Test
    void ourFullLengthRsaValuesAreGoodSignaturesForGpg() throws Exception {
        // the recorded corpus's signatures by our code, 12 of them with a value padded by a leading
        // zero byte so the original's Go verifiers accept it (FullLengthMpi): gpg must still read them
        PublicKey key = PublicKey.parse(TestKeys.resource("go-verdicts-key.asc"));
        gpg.ok("--import", write("corpus-key.asc", key.armored()).toString());
        int padded = 0;
        for (String line : TestKeys.resource("go-verdicts.txt")
                .lines()
                .filter(l -> l.startsWith("ours "))
                .toList()) {
            String[] f = line.split(" ");
            byte[] data = java.util.Base64.getDecoder().decode(f[1]);
            byte[] packet = Armor.fromMig(f[2]);
            padded += packet[packet.length - 256] == 0 ? 1 : 0;
            // the corpus was signed in 2023 with a key made later: gpg would stop at the time conflict
            assertGpgGoodSignature(data, f[2], key.fingerprint(), "--ignore-time-conflict");
        }
        assertEquals(12, padded, "padded values checked by gpg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa2048", "ed25519"})
    void gpgDetachedSignatureVerifiesInOurs(String algorithm) throws Exception {
        String fpr = gpg.quickGenKey("Dave <dave@example.net>", algorithm, "");
        Keyring keyring = Keyring.fromArmored(gpg.ok("--armor", "--export", fpr).out());
        Path data = Files.write(dir.resolve("data"), DATA);
        String armored = gpg.ok("--armor", "--detach-sign", "--output", "-", data.toString())
                .out();

        String mig = Signatures.fromArmored(armored);
        // the original's de-armouring, literally: between the first blank line and "\n-----", no newlines
        String original = armored.substring(armored.indexOf("\n\n") + 2, armored.indexOf("\n-----", 10))
                .replace("\n", "");
        assertEquals(original, mig);
        assertFalse(mig.contains("\n"), mig);
        assertTrue(mig.matches("[A-Za-z0-9+/]+={0,2}=[A-Za-z0-9+/]{4}"), mig);
        assertEquals(fpr, Signatures.verify(DATA, mig, keyring).fingerprint());
        assertEquals(fpr, Signatures.verify(DATA, armored, keyring).fingerprint());

        byte[] changed = DATA.clone();
        changed[0] ^= 0x20;
        InvalidSignatureException e =
                assertThrows(InvalidSignatureException.class, () -> Signatures.verify(changed, mig, keyring));
        assertEquals(InvalidSignatureException.Reason.BAD_SIGNATURE, e.reason());
    }

    @ParameterizedTest
    @CsvSource({"rsa2048,armored", "rsa2048,secring", "ed25519,armored", "ed25519,secring"})
    void gpgExportedSecretKeySignsForGpg(String algorithm, String form) throws Exception {
        String fpr = gpg.quickGenKey("Erin <erin@example.net>", algorithm, "");
        SecretKey key;
        if (form.equals("armored")) {
            String export = gpg.ok("--passphrase", "", "--armor", "--export-secret-keys", fpr)
                    .out();
            key = SecretKey.fromArmored(export, null);
        } else {
            // GnuPG 1 kept exactly this binary transferable secret key format in secring.gpg
            Path migHome = Files.createDirectory(dir.resolve("mighome"));
            Files.write(
                    migHome.resolve("secring.gpg"),
                    gpg.ok("--passphrase", "", "--export-secret-keys", fpr).stdout());
            key = SecretKey.fromGpgHome(migHome, fpr.substring(24).toLowerCase(), null);
        }
        assertEquals(fpr, key.fingerprint());
        assertGpgGoodSignature(DATA, Signatures.sign(DATA, key), fpr);
        // an API token's signature is an ordinary one over its first three fields and a line feed
        String token = AuthToken.make(key, Clock.systemUTC());
        int lastSemicolon = token.lastIndexOf(';');
        assertGpgGoodSignature(
                (token.substring(0, lastSemicolon) + "\n").getBytes(StandardCharsets.UTF_8),
                token.substring(lastSemicolon + 1),
                fpr);
    }

    @Test
    void passphraseProtectedGpgKeyNeedsTheRightPassphrase() throws Exception {
        String fpr = gpg.quickGenKey("Frank <frank@example.net>", "rsa2048", "correct horse");
        String export = gpg.ok("--passphrase", "correct horse", "--armor", "--export-secret-keys", fpr)
                .out();

        SecretKey key = SecretKey.fromArmored(export, "correct horse".toCharArray());
        assertEquals(fpr, key.fingerprint());
        assertGpgGoodSignature(DATA, Signatures.sign(DATA, key), fpr);

        PgpException wrong =
                assertThrows(PgpException.class, () -> SecretKey.fromArmored(export, "battery staple".toCharArray()));
        assertTrue(wrong.getMessage().startsWith("wrong passphrase for secret key " + fpr), wrong.getMessage());
        PgpException none = assertThrows(PgpException.class, () -> SecretKey.fromArmored(export, null));
        assertTrue(none.getMessage().contains(fpr + " is passphrase-protected"), none.getMessage());
    }

    @Test
    void signatureBySigningSubkeyIdentifiesThePrimaryKey() throws Exception {
        String primary = gpg.quickGenKey("Grace <grace@example.net>", "ed25519", "");
        gpg.ok("--passphrase", "", "--quick-add-key", primary, "ed25519", "sign", "never");
        List<String> fprs = gpg.allFingerprints(primary);
        assertEquals(2, fprs.size(), fprs.toString());
        String subkey = fprs.get(1);
        Keyring keyring =
                Keyring.fromArmored(gpg.ok("--armor", "--export", primary).out());
        Path data = Files.write(dir.resolve("data"), DATA);
        String armored = gpg.ok("--armor", "--detach-sign", "--output", "-", data.toString())
                .out();

        Verified v = Signatures.verify(DATA, Signatures.fromArmored(armored), keyring);
        assertEquals(primary, v.fingerprint());
        assertEquals(subkey.substring(24), Fingerprints.keyId(v.issuerKeyId()));
        assertEquals(primary, keyring.find(subkey).orElseThrow().fingerprint());
    }

    @Test
    void gpgPublicKeyringFilesLoadAndKeyboxIsExplained() throws Exception {
        String a = gpg.quickGenKey("Heidi <heidi@example.net>", "ed25519", "");
        String b = gpg.quickGenKey("Ivan <ivan@example.net>", "rsa2048", "");
        Path pubring =
                Files.write(dir.resolve("pubring.gpg"), gpg.ok("--export").stdout());

        Keyring keyring = Keyring.fromFile(pubring);
        assertEquals(2, keyring.size());
        assertTrue(keyring.contains(a) && keyring.contains(b), keyring.toString());

        PgpException kbx = assertThrows(
                PgpException.class, () -> Keyring.fromFile(gpg.home().resolve("pubring.kbx")));
        String m = kbx.getMessage();
        assertTrue(m.contains("not supported") && m.contains("gpg --export > pubring.gpg"), m);
        PgpException noSecring = assertThrows(PgpException.class, () -> SecretKey.fromGpgHome(gpg.home(), a, null));
        assertTrue(noSecring.getMessage().contains("gpg --export-secret-keys " + a), noSecring.getMessage());
    }

    private void assertGpgGoodSignature(byte[] signed, String migSignature, String fingerprint, String... options)
            throws Exception {
        Path data = Files.write(dir.resolve("signed-data"), signed);
        Path sig = write("signed-data.asc", Signatures.toArmored(migSignature));
        List<String> args = new java.util.ArrayList<>(List.of(options));
        args.addAll(List.of("--status-fd", "1", "--verify", sig.toString(), data.toString()));
        Gpg.Result r = gpg.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("Good signature"), r.stderr());
        // VALIDSIG <fpr> <date> <ts> <expire> <version> <reserved> <pk-algo> <hash-algo> <class> <primary-fpr>
        String validsig = r.out()
                .lines()
                .filter(l -> l.startsWith("[GNUPG:] VALIDSIG "))
                .findFirst()
                .orElseThrow();
        String[] f = validsig.split(" ");
        assertEquals("8", f[9], "hash algorithm must be SHA-256: " + validsig);
        assertEquals("00", f[10], "signature class must be binary: " + validsig);
        assertEquals(fingerprint, f[11], "signed with the primary key: " + validsig);
        assertEquals(fingerprint, f[2], "signed with the primary key: " + validsig);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
