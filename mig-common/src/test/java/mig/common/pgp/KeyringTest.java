package mig.common.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading the public keys signatures are checked against, from every place MIG finds them. */
class KeyringTest {
    @TempDir
    Path dir;

    private static String fpr(KeyGen.Generated k) {
        return k.fingerprint();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void concatenatedArmouredBlocksGiveAllKeysInOrder() throws Exception {
        String text = "Keys of the team:\n" + TestKeys.rsa().armoredPublicKey() + "\nand\n"
                + TestKeys.ed25519().armoredPublicKey() + "-- \nsignature of the mail\n";
        Keyring keyring = Keyring.fromArmored(text);
        assertEquals(
                List.of(fpr(TestKeys.rsa()), fpr(TestKeys.ed25519())),
                keyring.keys().stream().map(PublicKey::fingerprint).toList());
    }

    @Test
    void oneArmouredBlockMayHoldSeveralKeys() throws Exception {
        byte[] both = concat(
                TestKeys.rsa().secretKey().publicKey().encoded(),
                TestKeys.otherRsa().secretKey().publicKey().encoded());
        Keyring keyring = Keyring.fromArmored(Armor.armor(Armor.PUBLIC_KEY, both));
        assertEquals(2, keyring.size());
        assertTrue(keyring.contains(fpr(TestKeys.otherRsa())));
    }

    @Test
    void binaryPubringInGnupg1FormatWithTrustPacketsLoads() throws Exception {
        byte[] pubring = TestKeys.withGnupg1TrustPackets(concat(
                TestKeys.rsa().secretKey().publicKey().encoded(),
                TestKeys.ed25519().secretKey().publicKey().encoded()));
        Keyring keyring = Keyring.fromFile(Files.write(dir.resolve("pubring.gpg"), pubring));
        assertEquals(2, keyring.size());
        assertTrue(keyring.contains(fpr(TestKeys.rsa())) && keyring.contains(fpr(TestKeys.ed25519())));
    }

    @Test
    void armouredKeyFileLoads() throws Exception {
        Path file = Files.writeString(dir.resolve("key.asc"), TestKeys.resource("investigator-pubkey.asc"));
        assertTrue(Keyring.fromFile(file).contains(TestKeys.INVESTIGATOR_FPR.toLowerCase()));
    }

    @Test
    void emptyPubringIsAnEmptyKeyring() throws Exception {
        assertTrue(Keyring.fromFile(Files.write(dir.resolve("pubring.gpg"), new byte[0]))
                .isEmpty());
    }

    @Test
    void keyboxIsRefusedWithTheExportCommand() throws Exception {
        byte[] kbxHeader = {0, 0, 0, 32, 1, 1, 0, 2, 'K', 'B', 'X', 'f', 0, 0, 0, 0, 0, 0, 0, 0};
        Path kbx = Files.write(dir.resolve("pubring.kbx"), kbxHeader);
        PgpException e = assertThrows(PgpException.class, () -> Keyring.fromFile(kbx));
        assertTrue(
                e.getMessage().contains(kbx.toString()) && e.getMessage().contains("gpg --export > pubring.gpg"),
                e.getMessage());
    }

    static Stream<Arguments> junk() {
        byte[] random = new byte[600];
        new Random(42).nextBytes(random);
        byte[] key = TestKeys.rsa().secretKey().publicKey().encoded();
        return Stream.of(
                Arguments.of("random bytes", random),
                Arguments.of("zeros", new byte[64]),
                Arguments.of("plain text", "this is not a keyring\n".getBytes()),
                Arguments.of("truncated key", Arrays.copyOf(key, key.length / 2)),
                Arguments.of("lone packet header", new byte[] {(byte) 0x99}),
                Arguments.of("armour without end", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBGsL\n".getBytes()),
                Arguments.of(
                        "armour with bad base64",
                        ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nm*QENB\n" + "-----END PGP PUBLIC KEY BLOCK-----\n")
                                .getBytes()),
                Arguments.of(
                        "armour of junk",
                        Armor.armor(Armor.PUBLIC_KEY, new byte[] {1, 2, 3, 4, 5})
                                .getBytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("junk")
    void junkKeyringFileIsAClearErrorNamingTheFile(String what, byte[] junk) throws Exception {
        Path file = Files.write(dir.resolve("pubring.gpg"), junk);
        PgpException e = assertThrows(PgpException.class, () -> Keyring.fromFile(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void alteredArmourFailsItsChecksum() {
        String armored = TestKeys.ed25519().armoredPublicKey();
        int i = armored.indexOf("\n\n") + 10;
        String altered = armored.substring(0, i) + (armored.charAt(i) == 'A' ? 'B' : 'A') + armored.substring(i + 1);
        PgpException e = assertThrows(PgpException.class, () -> Keyring.fromArmored(altered));
        assertTrue(e.getMessage().contains("CRC24"), e.getMessage());
    }

    @Test
    void secretKeyGivenAsPublicKeySaysWhatToExport() {
        PgpException e = assertThrows(
                PgpException.class, () -> Keyring.fromArmored(TestKeys.ed25519().armoredSecretKey()));
        assertTrue(e.getMessage().contains("gpg --export --armor"), e.getMessage());
    }

    @Test
    void singleKeyParsingRefusesTwoKeys() {
        String two = TestKeys.rsa().armoredPublicKey() + TestKeys.ed25519().armoredPublicKey();
        PgpException e = assertThrows(PgpException.class, () -> PublicKey.parse(two));
        assertEquals("public key text contains 2 keys, wanted 1", e.getMessage());
    }

    @Test
    void agentKeyDirectorySkipsWhatIsNotOneValidKey() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("agentkeys"));
        Files.writeString(keys.resolve("alice"), TestKeys.rsa().armoredPublicKey());
        Files.writeString(keys.resolve("carol.asc"), TestKeys.ed25519().armoredPublicKey());
        Files.writeString(keys.resolve("badkey"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\ngarbage\n");
        Files.writeString(
                keys.resolve("two-keys"),
                TestKeys.otherRsa().armoredPublicKey() + TestKeys.rsa().armoredPublicKey());
        Files.write(
                keys.resolve("binary"),
                TestKeys.otherRsa().secretKey().publicKey().encoded());
        Files.createDirectory(keys.resolve("subdir"));

        Keyring keyring = Keyring.fromDirectory(keys);
        assertEquals(
                List.of(fpr(TestKeys.rsa()), fpr(TestKeys.ed25519())),
                keyring.keys().stream().map(PublicKey::fingerprint).toList());
    }

    @Test
    void missingKeyDirectoryIsAnError() {
        PgpException e = assertThrows(PgpException.class, () -> Keyring.fromDirectory(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void mergeKeepsEachKeyOnce() {
        Keyring a = TestKeys.keyringOf(TestKeys.rsa(), TestKeys.ed25519());
        Keyring b = TestKeys.keyringOf(TestKeys.ed25519(), TestKeys.otherRsa());
        Keyring merged = a.merge(b);
        assertEquals(
                List.of(fpr(TestKeys.rsa()), fpr(TestKeys.ed25519()), fpr(TestKeys.otherRsa())),
                merged.keys().stream().map(PublicKey::fingerprint).toList());
        assertEquals(2, a.size());
    }

    @Test
    void findAcceptsFingerprintOrLongIdInAnyCase() throws Exception {
        Keyring keyring = TestKeys.investigatorKeyring().merge(TestKeys.keyringOf(TestKeys.rsa()));
        String fpr = TestKeys.INVESTIGATOR_FPR;
        String keyId = TestKeys.INVESTIGATOR_KEYID;
        for (String sel : List.of(
                fpr,
                fpr.toLowerCase(),
                keyId,
                "0x" + keyId.toLowerCase(),
                "D903 231F 7344 F6E5 66A7  6688 DE59 C102 AF72 9558")) {
            assertEquals(fpr, keyring.find(sel).orElseThrow().fingerprint(), sel);
        }
        assertFalse(keyring.find("0123456789ABCDEF").isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> keyring.find("AF729558"));
        assertTrue(e.getMessage().contains("16-hex long key id"), e.getMessage());
    }

    @Test
    void encryptionSubkeyIsFoundButIsNotASigner() throws Exception {
        // the recorded investigator key has an encryption-only subkey
        Keyring keyring = TestKeys.investigatorKeyring();
        PublicKey key = keyring.keys().get(0);
        assertEquals(2, key.ring().size());
        long subkeyId = subkeyId(key);
        assertEquals(key, keyring.find(Fingerprints.keyId(subkeyId)).orElseThrow());
        assertTrue(keyring.signersWithKeyId(subkeyId).isEmpty());
        assertEquals(List.of(key), keyring.signersWithKeyId(key.keyId()));
    }

    @Test
    void armouredPublicKeyHasNoVersionHeaderAndRoundTrips() throws Exception {
        String armored = TestKeys.rsa().armoredPublicKey();
        assertTrue(armored.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"), armored);
        assertTrue(armored.endsWith("-----END PGP PUBLIC KEY BLOCK-----\n"), armored);
        assertFalse(armored.contains("Version:"), armored);
        assertTrue(armored.lines().allMatch(l -> l.length() <= 64), armored);
        assertEquals(fpr(TestKeys.rsa()), PublicKey.parse(armored).fingerprint());
        assertEquals(
                List.of("Alice Investigator <alice@example.net>"),
                PublicKey.parse(armored).userIds());
    }

    private static long subkeyId(PublicKey key) {
        var it = key.ring().getPublicKeys();
        it.next();
        return it.next().getKeyID();
    }
}
