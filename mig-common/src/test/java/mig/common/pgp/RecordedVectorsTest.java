package mig.common.pgp;

import static mig.common.pgp.TestKeys.INVESTIGATOR_FPR;
import static mig.common.pgp.TestKeys.INVESTIGATOR_KEYID;
import static mig.common.pgp.TestKeys.investigatorKeyring;
import static mig.common.pgp.TestKeys.resource;
import static mig.common.pgp.TestKeys.resourceBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact compatibility with the original Go MIG: a signed action and an API token recorded from a
 * running original platform must be accepted by our code, and rejected once altered.
 */
class RecordedVectorsTest {
    private static final Instant TOKEN_TIME = Instant.parse("2026-11-28T18:58:15Z");

    private static byte[] actionString() {
        return resourceBytes("05-action-signed-string.txt");
    }

    private static String actionSignature() {
        return resource("05-action-signature.txt").strip();
    }

    @Test
    void investigatorKeyHasTheRecordedIdentity() throws Exception {
        PublicKey key = PublicKey.parse(resource("investigator-pubkey.asc"));
        assertEquals(INVESTIGATOR_FPR, key.fingerprint());
        assertEquals(List.of("root Investigator <root@localhost>"), key.userIds());
        assertEquals("RSA-2048", key.algorithm());
        assertEquals(INVESTIGATOR_KEYID, Fingerprints.keyId(key.keyId()));
    }

    @Test
    void recordedActionSignatureVerifies() throws Exception {
        Verified v = Signatures.verify(actionString(), actionSignature(), investigatorKeyring());
        assertEquals(INVESTIGATOR_FPR, v.fingerprint());
        assertEquals(INVESTIGATOR_KEYID, Fingerprints.keyId(v.issuerKeyId()));
    }

    @Test
    void recordedActionSignatureVerifiesWhenReArmoured() throws Exception {
        String armored = Signatures.toArmored(actionSignature());
        assertTrue(armored.startsWith("-----BEGIN PGP SIGNATURE-----\n\n"), armored);
        assertEquals(actionSignature(), Signatures.fromArmored(armored));
        assertEquals(
                INVESTIGATOR_FPR,
                Signatures.verify(actionString(), armored, investigatorKeyring())
                        .fingerprint());
    }

    @Test
    void oneChangedByteOfTheActionIsABadSignature() throws Exception {
        byte[] data = actionString();
        data[data.length / 2] ^= 0x01;
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(data, actionSignature(), investigatorKeyring()));
        assertEquals(InvalidSignatureException.Reason.BAD_SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains(INVESTIGATOR_KEYID), e.getMessage());
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void anEmptyKeyringReportsTheUnknownKeyId() {
        InvalidSignatureException e = assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(actionString(), actionSignature(), Keyring.empty()));
        assertEquals(InvalidSignatureException.Reason.UNKNOWN_KEY, e.reason());
        assertTrue(e.getMessage().contains("unknown key id " + INVESTIGATOR_KEYID), e.getMessage());
        assertEquals(0xDE59C102AF729558L, e.keyId().orElseThrow());
    }

    @Test
    void recordedTokenIsAcceptedAtItsOwnTime() throws Exception {
        String fpr = AuthToken.check(
                resource("token-action1.txt"), investigatorKeyring(), clockAt(TOKEN_TIME), AuthToken.DEFAULT_WINDOW);
        assertEquals(INVESTIGATOR_FPR, fpr);
    }

    @Test
    void recordedTokenIsAcceptedWhenReusedLaterInItsWindow() throws Exception {
        Keyring keyring = investigatorKeyring();
        String token = resource("token-action1.txt");
        for (int minutes : new int[] {0, 3, 9, 10}) {
            assertEquals(
                    INVESTIGATOR_FPR,
                    AuthToken.check(
                            token,
                            keyring,
                            clockAt(TOKEN_TIME.plus(Duration.ofMinutes(minutes))),
                            AuthToken.DEFAULT_WINDOW));
        }
    }

    @Test
    void recordedTokenIsRefusedElevenMinutesLater() throws Exception {
        Keyring keyring = investigatorKeyring();
        TokenException e = assertThrows(
                TokenException.class,
                () -> AuthToken.check(
                        resource("token-action1.txt"),
                        keyring,
                        clockAt(TOKEN_TIME.plus(Duration.ofMinutes(11))),
                        AuthToken.DEFAULT_WINDOW));
        assertEquals(TokenException.Reason.OUT_OF_WINDOW, e.reason());
        assertTrue(e.getMessage().startsWith("token timestamp is not within acceptable time limits"), e.getMessage());
    }

    @Test
    void recordedTokenWithAnotherNonceIsABadSignature() throws Exception {
        String forged = resource("token-action1.txt").replace(";28090951008257;", ";28090951008258;");
        TokenException e = assertThrows(
                TokenException.class,
                () -> AuthToken.check(forged, investigatorKeyring(), clockAt(TOKEN_TIME), AuthToken.DEFAULT_WINDOW));
        assertEquals(TokenException.Reason.SIGNATURE, e.reason());
        assertEquals(
                InvalidSignatureException.Reason.BAD_SIGNATURE, ((InvalidSignatureException) e.getCause()).reason());
    }

    @Test
    void recordedTokenSignatureCoversTheTrailingLineFeed() throws Exception {
        String[] f = resource("token-action1.txt").split(";");
        String signed = f[0] + ";" + f[1] + ";" + f[2];
        Keyring keyring = investigatorKeyring();
        assertEquals(
                INVESTIGATOR_FPR,
                Signatures.verify((signed + "\n").getBytes(StandardCharsets.UTF_8), f[3], keyring)
                        .fingerprint());
        assertThrows(
                InvalidSignatureException.class,
                () -> Signatures.verify(signed.getBytes(StandardCharsets.UTF_8), f[3], keyring));
    }

    static Clock clockAt(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }
}
