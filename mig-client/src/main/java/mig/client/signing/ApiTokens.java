package mig.client.signing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The API's {@code X-PGPAUTHORIZATION} token, {@code 1;<UTC YYYY-MM-DDTHH:MM:SSZ>;<nonce>;<sig>},
 * where the signature covers {@code "1;<timestamp>;<nonce>\n"} (trailing line feed included, as the
 * original client signs it). Made with any {@link Signer}, so gpg-held keys authenticate too.
 */
public final class ApiTokens {
    private static final DateTimeFormatter LAYOUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** Nonces stay below 2^53, so an API that reads them as float64 (Go's %.0f) keeps them exact. */
    private static final long NONCE_BOUND = 1L << 53;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokens() {}

    /** A fresh token, timestamp from the clock. */
    public static String make(Signer signer, Clock clock) {
        long nonce = 1 + (RANDOM.nextLong() & Long.MAX_VALUE) % (NONCE_BOUND - 1);
        String payload = "1;" + LAYOUT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)) + ";" + nonce;
        return payload + ";" + signer.sign((payload + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
