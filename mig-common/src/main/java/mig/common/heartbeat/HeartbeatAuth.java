package mig.common.heartbeat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Heartbeat authentication (ours, off by default): the sender puts {@code sha256=<hex HMAC-SHA256
 * of the body under the shared secret>} in the {@value #HEADER} HTTP header, or the
 * {@value #AMQP_HEADER} AMQP header. The receiver recomputes it and compares in constant time.
 * The HMAC covers the whole body, so a captured heartbeat cannot be altered; replaying it unchanged
 * only refreshes the agent's heartbeat time, and expires with its {@code startTime} (5 minutes on
 * the API, the agent timeout on the scheduler).
 */
public final class HeartbeatAuth {

    public static final String HEADER = "X-MIG-Heartbeat-Signature";
    public static final String AMQP_HEADER = "mig-heartbeat-signature";
    private static final String PREFIX = "sha256=";

    private HeartbeatAuth() {}

    /** The header value for {@code body}. */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(secret, body));
    }

    /** Whether {@code header} (may be null) authenticates {@code body}. */
    public static boolean verify(String secret, byte[] body, String header) {
        if (header == null || !header.startsWith(PREFIX) || header.length() != PREFIX.length() + 64) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header, PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, body), given);
    }

    private static byte[] mac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
