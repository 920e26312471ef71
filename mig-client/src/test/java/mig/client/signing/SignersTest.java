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
        assertEquals(
                KEY.fingerprint(),
                Signatures.verify(DATA, s.sign(DATA), keyring()).fingerprint());
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
        ConfigException noKeyId =
                assertThrows(ConfigException.class, () -> Signers.fromMigrc(rc("[gpg]\n    home = /nonexistent\n")));
        assertTrue(noKeyId.getMessage().contains("[gpg] keyid is not set"), noKeyId.getMessage());
        ConfigException noSecring = assertThrows(
                ConfigException.class,
                () -> Signers.fromMigrc(rc("[gpg]\n    home = " + tmp + "\n    keyid = " + KEY.fingerprint() + "\n")));
        assertTrue(noSecring.getMessage().contains("gpg --export-secret-keys"), noSecring.getMessage());
        ConfigException both =
                assertThrows(ConfigException.class, () -> rc("[gpg]\n    usegpg = on\n    secretkey = /x\n"));
        assertTrue(both.getMessage().contains("keep one of them"), both.getMessage());
    }

    @Test
    void asksTheUsersOwnGpgWhenToldTo() throws Exception {
        try (GpgHome gpg = GpgHome.create(null)) {
            Signer s = Signers.fromMigrc(rc("[gpg]\n    usegpg = on\n    home = \"" + gpg.home() + "\"\n    keyid = "
                    + gpg.fingerprint() + "\n"));
            assertInstanceOf(GpgSigner.class, s);
            Keyring theirs = Keyring.fromArmored(gpg.exportPublic());
            assertEquals(
                    gpg.fingerprint(),
                    Signatures.verify(DATA, s.sign(DATA), theirs).fingerprint());
            assertEquals(
                    gpg.fingerprint(),
                    AuthToken.check(
                            ApiTokens.make(s, Clock.systemUTC()), theirs, Clock.systemUTC(), Duration.ofMinutes(10)));
        }
    }

    @Test
    void givesGpgThePassphraseOfAProtectedKeyInLoopbackMode() throws Exception {
        try (GpgHome gpg = GpgHome.create("correct horse", "ed25519")) {
            Keyring theirs = Keyring.fromArmored(gpg.exportPublic());
            GpgSigner wrong = new GpgSigner(
                    "gpg",
                    java.util.Optional.of(gpg.home()),
                    gpg.fingerprint(),
                    java.util.Optional.of("battery staple"));
            SigningException e = assertThrows(SigningException.class, () -> wrong.sign(DATA));
            assertTrue(e.getMessage().startsWith("gpg could not sign with key " + gpg.fingerprint()), e.getMessage());
            GpgSigner right = new GpgSigner(
                    "gpg",
                    java.util.Optional.of(gpg.home()),
                    gpg.fingerprint(),
                    java.util.Optional.of("correct horse"));
            assertEquals(
                    gpg.fingerprint(),
                    Signatures.verify(DATA, right.sign(DATA), theirs).fingerprint());
        }
    }

    @Test
    void aShortRsaValueFromGpgIsWrittenAtFullLengthForOriginalAgents() throws Exception {
        // gpg drops the leading zero bytes of 1 RSA value in 256, and Go's x/crypto/openpgp (original
        // agents and APIs) refuses those. Real gpg cannot be made to write one on demand, so a
        // stand-in answers GpgSigner's two calls as gpg does: the key for --export, and a short
        // signature (ours with its leading zero byte removed) for --detach-sign.
        byte[] data = null;
        byte[] full = null;
        for (int i = 0; full == null; i++) {
            byte[] d = ("probe " + i).getBytes(StandardCharsets.UTF_8);
            byte[] packet = decode(Signatures.sign(d, KEY.secretKey()));
            if (packet[packet.length - 256] == 0 && packet[packet.length - 255] != 0) {
                data = d;
                full = packet;
            }
        }
        byte[] shortPacket = new byte[full.length - 1];
        System.arraycopy(full, 0, shortPacket, 0, full.length - 258);
        System.arraycopy(full, full.length - 255, shortPacket, full.length - 256, 255);
        int bits = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(full, full.length - 256, full.length))
                .bitLength();
        shortPacket[full.length - 258] = (byte) (bits >> 8);
        shortPacket[full.length - 257] = (byte) bits;
        assertEquals((byte) 0xC2, shortPacket[0], "a new-format signature packet with a two-octet length");
        int len = ((shortPacket[1] & 0xFF) - 192 << 8) + (shortPacket[2] & 0xFF) + 192 - 1;
        shortPacket[1] = (byte) (((len - 192) >> 8) + 192);
        shortPacket[2] = (byte) (len - 192);
        Files.writeString(
                tmp.resolve("sig.asc"),
                "-----BEGIN PGP SIGNATURE-----\n\n"
                        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(shortPacket)
                        + "\n-----END PGP SIGNATURE-----\n");
        Files.writeString(tmp.resolve("pub.asc"), KEY.armoredPublicKey());
        Path fake = Files.writeString(
                tmp.resolve("gpg"),
                "#!/bin/sh\ncase \"$*\" in\n  *--export*) cat '" + tmp.resolve("pub.asc")
                        + "' ;;\n  *) cat >/dev/null; cat '" + tmp.resolve("sig.asc") + "' ;;\nesac\n");
        fake.toFile().setExecutable(true);

        String sig = new GpgSigner(
                        fake.toString(), java.util.Optional.empty(), KEY.fingerprint(), java.util.Optional.empty())
                .sign(data);
        assertEquals(
                java.util.Base64.getEncoder().encodeToString(full),
                sig.substring(0, sig.lastIndexOf('=')),
                "the value is written with its leading zero byte again");
        assertEquals(KEY.fingerprint(), Signatures.verify(data, sig, keyring()).fingerprint());
    }

    private static byte[] decode(String mig) {
        return java.util.Base64.getDecoder().decode(mig.substring(0, mig.lastIndexOf('=')));
    }

    private MigRc rc(String text) throws IOException {
        return MigRc.read(Files.writeString(tmp.resolve("migrc"), text));
    }

    private static Keyring keyring() {
        return Keyring.of(List.of(KEY.secretKey().publicKey()));
    }
}
