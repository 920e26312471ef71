package mig.client.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import mig.client.config.MigRc;
import mig.common.config.ConfigException;
import mig.common.pgp.AuthToken;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.common.pgp.Signatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two key sources of the original's migrc and ours, each signing what the API and agents verify. */
class SignersTest {
    static final byte[] DATA = "name=x;target=status='online';".getBytes(StandardCharsets.UTF_8);
    static final KeyGen.Generated KEY = KeyGen.rsa("Bob Investigator <bob@example.net>", 2048);

    @TempDir
    Path tmp;

    @Test
    void readsTheKeyFromASecringInTheGpgHomeByKeyId() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("gnupg"));
        Files.write(home.resolve("secring.gpg"), KEY.secring());
        Signer s = Signers.fromMigrc(rc("[gpg]\n    home = \"" + home + "\"\n    keyid = " + KEY.fingerprint() + "\n"));
        assertInstanceOf(KeySigner.class, s);
        assertEquals(KEY.fingerprint(), Signatures.verify(DATA, s.sign(DATA), keyring()).fingerprint());
        assertEquals("key " + KEY.fingerprint() + " from " + home.resolve("secring.gpg"), s.describe());
    }

    @Test
    void readsAnArmouredSecretKeyFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("bob.asc"), KEY.armoredSecretKey());
        Signer s = Signers.fromMigrc(rc("[gpg]\n    secretkey = " + file + "\n"));
        String token = ApiTokens.make(s, Clock.systemUTC());
        assertEquals(KEY.fingerprint(), AuthToken.check(token, keyring(), Clock.systemUTC(), Duration.ofMinutes(10)));
    }

    @Test
    void saysWhatIsMissing() throws Exception {
        ConfigException noKeyId = assertThrows(ConfigException.class,
                () -> Signers.fromMigrc(rc("[gpg]\n    home = /nonexistent\n")));
        assertTrue(noKeyId.getMessage().contains("[gpg] keyid is not set"), noKeyId.getMessage());
        ConfigException noSecring = assertThrows(ConfigException.class,
                () -> Signers.fromMigrc(rc("[gpg]\n    home = " + tmp + "\n    keyid = " + KEY.fingerprint() + "\n")));
        assertTrue(noSecring.getMessage().contains("gpg --export-secret-keys"), noSecring.getMessage());
        ConfigException both = assertThrows(ConfigException.class,
                () -> rc("[gpg]\n    usegpg = on\n    secretkey = /x\n"));
        assertTrue(both.getMessage().contains("keep one of them"), both.getMessage());
    }

    @Test
    void asksTheUsersOwnGpgWhenToldTo() throws Exception {
        try (GpgHome gpg = GpgHome.create(null)) {
            Signer s = Signers.fromMigrc(rc("[gpg]\n    usegpg = on\n    home = \"" + gpg.home() + "\"\n    keyid = "
                    + gpg.fingerprint() + "\n"));
            assertInstanceOf(GpgSigner.class, s);
            Keyring theirs = Keyring.fromArmored(gpg.exportPublic());
            assertEquals(gpg.fingerprint(), Signatures.verify(DATA, s.sign(DATA), theirs).fingerprint());
            assertEquals(gpg.fingerprint(), AuthToken.check(ApiTokens.make(s, Clock.systemUTC()), theirs,
                    Clock.systemUTC(), Duration.ofMinutes(10)));
        }
    }

    @Test
    void givesGpgThePassphraseOfAProtectedKeyInLoopbackMode() throws Exception {
        try (GpgHome gpg = GpgHome.create("correct horse", "ed25519")) {
            Keyring theirs = Keyring.fromArmored(gpg.exportPublic());
            GpgSigner wrong = new GpgSigner("gpg", java.util.Optional.of(gpg.home()), gpg.fingerprint(),
                    java.util.Optional.of("battery staple"));
            SigningException e = assertThrows(SigningException.class, () -> wrong.sign(DATA));
            assertTrue(e.getMessage().startsWith("gpg could not sign with key " + gpg.fingerprint()), e.getMessage());
            GpgSigner right = new GpgSigner("gpg", java.util.Optional.of(gpg.home()), gpg.fingerprint(),
                    java.util.Optional.of("correct horse"));
            assertEquals(gpg.fingerprint(), Signatures.verify(DATA, right.sign(DATA), theirs).fingerprint());
        }
    }

    private MigRc rc(String text) throws IOException {
        return MigRc.read(Files.writeString(tmp.resolve("migrc"), text));
    }

    private static Keyring keyring() {
        return Keyring.of(List.of(KEY.secretKey().publicKey()));
    }
}
