package mig.common.pgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import mig.common.pgp.TokenException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The X-PGPAUTHORIZATION token, with a fixed clock instead of waiting. */
class AuthTokenTest {
    private static final Instant NOW = Instant.parse("2026-11-28T18:58:15.734Z");
    private static final Duration WINDOW = AuthToken.DEFAULT_WINDOW;

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    private static String token() {
        return AuthToken.make(TestKeys.rsa().secretKey(), at(NOW));
    }

    private static Keyring keyring() {
        return TestKeys.keyringOf(TestKeys.rsa(), TestKeys.ed25519());
    }

    private static String check(String token, Instant now) throws TokenException {
        return AuthToken.check(token, keyring(), at(now), WINDOW);
    }

    private static TokenException refusal(String token, Instant now) {
        return assertThrows(TokenException.class, () -> check(token, now));
    }

    @Test
    void tokenHasTheOriginalLayout() {
        String token = token();
        String[] f = token.split(";");
        assertEquals(4, f.length, token);
        assertEquals("1", f[0]);
        assertEquals("2026-11-28T18:58:15Z", f[1]);
        assertTrue(f[2].matches("[1-9][0-9]*") && Long.parseLong(f[2]) < (1L << 53), f[2]);
        assertTrue(f[3].matches("[A-Za-z0-9+/]+={0,2}=[A-Za-z0-9+/]{4}"), f[3]);
    }

    @Test
    void tokenSignsTheFirstThreeFieldsAndALineFeed() throws Exception {
        String token = token();
        int last = token.lastIndexOf(';');
        byte[] signed = (token.substring(0, last) + "\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(
                TestKeys.rsa().fingerprint(),
                Signatures.verify(signed, token.substring(last + 1), keyring()).fingerprint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed25519"})
    void roundTripNamesTheSigner(String algorithm) throws Exception {
        KeyGen.Generated key = algorithm.equals("rsa") ? TestKeys.rsa() : TestKeys.ed25519();
        String token = AuthToken.make(key.secretKey(), at(NOW));
        assertEquals(key.fingerprint(), check(token, NOW));
    }

    @Test
    void tokenMayBeReusedWithinItsWindow() throws Exception {
        String token = token();
        // the token says 18:58:15 and NOW is 18:58:15.734, so it expires after 19:08:15
        for (int seconds : new int[] {0, 1, 60, 599}) {
            assertEquals(TestKeys.rsa().fingerprint(), check(token, NOW.plusSeconds(seconds)));
            assertEquals(TestKeys.rsa().fingerprint(), check(token, NOW.plusSeconds(seconds)));
        }
    }

    @Test
    void everyTokenHasAFreshNonce() {
        assertNotEquals(token().split(";")[2], token().split(";")[2]);
    }

    @Test
    void windowEdgeIsInclusiveLikeTheOriginal() throws Exception {
        Instant stamped = NOW.truncatedTo(ChronoUnit.SECONDS);
        assertEquals(TestKeys.rsa().fingerprint(), check(token(), stamped.plus(WINDOW)));
        assertEquals(TestKeys.rsa().fingerprint(), check(token(), stamped.minus(WINDOW)));
        refusal(token(), stamped.plus(WINDOW).plusMillis(1));
    }

    @Test
    void expiredTokenIsRefused() {
        TokenException e = refusal(token(), NOW.plus(Duration.ofMinutes(11)));
        assertEquals(Reason.OUT_OF_WINDOW, e.reason());
        assertTrue(e.getMessage().startsWith("token timestamp is not within acceptable time limits"), e.getMessage());
    }

    @Test
    void tokenFromTheFutureIsRefused() {
        TokenException e = refusal(token(), NOW.minus(Duration.ofMinutes(11)));
        assertEquals(Reason.OUT_OF_WINDOW, e.reason());
        assertTrue(e.getMessage().startsWith("token timestamp is not within acceptable time limits"), e.getMessage());
    }

    @Test
    void windowIsConfigurable() throws Exception {
        Clock later = at(NOW.plus(Duration.ofMinutes(11)));
        assertEquals(TestKeys.rsa().fingerprint(), AuthToken.check(token(), keyring(), later, Duration.ofMinutes(15)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1;2026-11-28T18:58:15Z;42", "1;2026-11-28T18:58:15Z;42;sig;extra", "1;;;;"})
    void wrongFieldCountIsAFormatError(String header) {
        TokenException e = refusal(header, NOW);
        assertEquals(Reason.FORMAT, e.reason());
        assertTrue(e.getMessage().startsWith("invalid token format"), e.getMessage());
    }

    @Test
    void nullHeaderIsAFormatError() {
        TokenException e = refusal(null, NOW);
        assertEquals(Reason.FORMAT, e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "0", "", "v1", "1.0"})
    void otherVersionsAreRefused(String version) {
        String token = token().replaceFirst("^1;", version + ";");
        TokenException e = refusal(token, NOW);
        assertEquals(Reason.VERSION, e.reason());
        assertTrue(e.getMessage().contains("must be 1"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-28 18:58:15",
                "2026-11-28T18:58:15+00:00",
                "2026-11-28T18:58:15.734Z",
                "2026-11-28T18:58:15",
                "28/11/2026",
                "2026-02-30T18:58:15Z",
                "2026-11-28T24:58:15Z",
                "1795892295"
            })
    void otherTimestampLayoutsAreRefused(String timestamp) {
        String token = token().replace("2026-11-28T18:58:15Z", timestamp);
        TokenException e = refusal(token, NOW);
        assertEquals(Reason.TIMESTAMP_LAYOUT, e.reason());
        assertTrue(e.getMessage().contains("expected UTC YYYY-MM-DDTHH:MM:SSZ"), e.getMessage());
    }

    @Test
    void tokenByKeyOutsideTheKeyringIsRefused() {
        String token = AuthToken.make(TestKeys.otherRsa().secretKey(), at(NOW));
        TokenException e = refusal(token, NOW);
        assertEquals(Reason.SIGNATURE, e.reason());
        InvalidSignatureException cause = (InvalidSignatureException) e.getCause();
        assertEquals(InvalidSignatureException.Reason.UNKNOWN_KEY, cause.reason());
        String keyId = Fingerprints.keyId(TestKeys.otherRsa().secretKey().keyId());
        assertTrue(e.getMessage().contains(keyId), e.getMessage());
    }

    @Test
    void tokenWithAlteredTimestampIsABadSignature() {
        String token = token().replace("18:58:15Z", "18:59:15Z");
        TokenException e = refusal(token, NOW);
        assertEquals(Reason.SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains("bad signature"), e.getMessage());
    }

    @Test
    void tokenWithGarbageSignatureIsRefusedAsMalformed() {
        String token = token();
        String garbage = token.substring(0, token.lastIndexOf(';') + 1) + "garbage";
        TokenException e = refusal(garbage, NOW);
        assertEquals(Reason.SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains("malformed MIG signature"), e.getMessage());
    }
}
