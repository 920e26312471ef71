package mig.common.pgp;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import mig.common.pgp.TokenException.Reason;

/**
 * The API's PGP authentication header, {@code X-PGPAUTHORIZATION: 1;<timestamp>;<nonce>;<signature>}.
 *
 * <p>The signature covers {@code "1;<timestamp>;<nonce>\n"} (with the trailing line feed the
 * original client signs). A token is accepted while its timestamp is within the window of the
 * server's clock, on either side, and may be reused within that window: the original client sends
 * one token for a whole session and the original API keeps no nonce list, so refusing reuse would
 * break real clients. The clock is injected so expiry is testable without waiting.
 */
public final class AuthToken {
    /** HTTP header name (HTTP header names are case-insensitive). */
    public static final String HEADER = "X-PGPAUTHORIZATION";
    /** The original API's default {@code tokenduration}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    private static final DateTimeFormatter LAYOUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);
    /** Nonces stay below 2^53 so that a server parsing them as float64 (as Go's %.0f suggests) is exact. */
    private static final long NONCE_BOUND = 1L << 53;

    private static final SecureRandom RANDOM = new SecureRandom();

    private AuthToken() {}

    /** A fresh token signed with the key's primary key, timestamp from the clock (UTC, whole seconds). */
    public static String make(SecretKey key, Clock clock) {
        return make(key, clock, 1 + (RANDOM.nextLong() & Long.MAX_VALUE) % (NONCE_BOUND - 1));
    }

    static String make(SecretKey key, Clock clock, long nonce) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String payload = "1;" + LAYOUT.format(now) + ";" + nonce;
        String sig = Signatures.sign(signedBytes(payload), key, now);
        return payload + ";" + sig;
    }

    /**
     * Checks a token and returns who signed it.
     *
     * @param window maximum distance between the token's timestamp and the clock, either side
     * @return primary key fingerprint of the signer (40 uppercase hex)
     * @throws TokenException with the reason; OUT_OF_WINDOW carries the original's message
     *                        "token timestamp is not within acceptable time limits"
     */
    public static String check(String header, Keyring keyring, Clock clock, Duration window) throws TokenException {
        if (header == null || header.isBlank()) {
            throw new TokenException(Reason.FORMAT, "invalid token format: empty token");
        }
        String[] parts = header.strip().split(";", -1);
        if (parts.length != 4) {
            throw new TokenException(
                    Reason.FORMAT,
                    "invalid token format: expected 4 ';'-separated fields"
                            + " (version;timestamp;nonce;signature), got " + parts.length);
        }
        if (!parts[0].equals("1")) {
            throw new TokenException(
                    Reason.VERSION, "invalid token version '" + Armor.abbreviate(parts[0]) + "', must be 1");
        }
        Instant ts;
        try {
            ts = Instant.from(LAYOUT.parse(parts[1]));
        } catch (DateTimeParseException e) {
            throw new TokenException(
                    Reason.TIMESTAMP_LAYOUT,
                    "invalid token timestamp '" + Armor.abbreviate(parts[1]) + "': expected UTC YYYY-MM-DDTHH:MM:SSZ",
                    e);
        }
        Instant now = clock.instant();
        if (ts.isBefore(now.minus(window)) || ts.isAfter(now.plus(window))) {
            throw new TokenException(
                    Reason.OUT_OF_WINDOW,
                    "token timestamp is not within acceptable time limits" + " (token " + parts[1] + ", server time "
                            + now + ", allowed +/- " + window + ")");
        }
        String payload = parts[0] + ";" + parts[1] + ";" + parts[2];
        try {
            return Signatures.verify(signedBytes(payload), parts[3], keyring).fingerprint();
        } catch (InvalidSignatureException e) {
            throw new TokenException(Reason.SIGNATURE, "token signature rejected: " + e.getMessage(), e);
        }
    }

    private static byte[] signedBytes(String payload) {
        return (payload + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
