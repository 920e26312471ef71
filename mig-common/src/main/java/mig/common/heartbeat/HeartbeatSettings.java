package mig.common.heartbeat;

import java.util.Objects;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;

/**
 * The {@code [heartbeats]} section of {@code api.cfg} and {@code scheduler.cfg} (ours; the original
 * had none and took every heartbeat).
 *
 * @param perAddress  {@code peraddress}: heartbeats a minute taken from one source address (API
 *     only; AMQP messages carry none). Default {@value #DEFAULT_PER_ADDRESS}: agents heartbeat every
 *     5 minutes by default, so this lets about 15,000 agents share one NAT address; 0 = no limit
 * @param perQueueLoc {@code perqueueloc}: heartbeats a minute taken for one queueloc. Default
 *     {@value #DEFAULT_PER_QUEUELOC}: an agent sends one each heartbeatfreq (5m), a restarted one
 *     a few more; 0 = no limit
 * @param total       {@code total}: heartbeats a minute taken in all (scheduler only, standing in
 *     for the source address the broker does not tell). Default {@value #DEFAULT_TOTAL}, a
 *     300,000-agent fleet at 5 minutes; 0 = no limit
 * @param secret      {@code secret}: the shared secret heartbeats must be authenticated with
 *     (HMAC-SHA256 of the body, {@link HeartbeatAuth}); empty (the default) takes unauthenticated
 *     heartbeats as the original did
 */
public record HeartbeatSettings(long perAddress, long perQueueLoc, long total, String secret) {

    public static final long DEFAULT_PER_ADDRESS = 3000;
    public static final long DEFAULT_PER_QUEUELOC = 10;
    public static final long DEFAULT_TOTAL = 60_000;
    /** Shortest secret taken: 16 characters, so that it cannot be guessed by trying. */
    public static final int MIN_SECRET = 16;

    /** The keys {@code api.cfg} accepts in {@code [heartbeats]}. */
    public static final Set<String> API_KEYS = Set.of("peraddress", "perqueueloc", "secret");
    /** The keys {@code scheduler.cfg} accepts in {@code [heartbeats]}. */
    public static final Set<String> SCHEDULER_KEYS = Set.of("perqueueloc", "total", "secret");

    public static final HeartbeatSettings DEFAULT =
            new HeartbeatSettings(DEFAULT_PER_ADDRESS, DEFAULT_PER_QUEUELOC, DEFAULT_TOTAL, "");

    public HeartbeatSettings {
        Objects.requireNonNull(secret, "secret");
        nonNegative("peraddress", perAddress);
        nonNegative("perqueueloc", perQueueLoc);
        nonNegative("total", total);
        if (!secret.isEmpty() && secret.length() < MIN_SECRET) {
            throw new ConfigException("[heartbeats] secret must be at least " + MIN_SECRET
                    + " characters (or empty: heartbeats unauthenticated), got " + secret.length());
        }
    }

    /** Reads {@code [heartbeats]}; absent keys take the defaults. */
    public static HeartbeatSettings from(IniConfig ini) {
        return new HeartbeatSettings(
                ini.getLong("heartbeats", "peraddress").orElse(DEFAULT_PER_ADDRESS),
                ini.getLong("heartbeats", "perqueueloc").orElse(DEFAULT_PER_QUEUELOC),
                ini.getLong("heartbeats", "total").orElse(DEFAULT_TOTAL),
                ini.getString("heartbeats", "secret", ""));
    }

    /** Whether heartbeats must be authenticated. */
    public boolean authenticated() {
        return !secret.isEmpty();
    }

    public HeartbeatSettings withPerAddress(long n) {
        return new HeartbeatSettings(n, perQueueLoc, total, secret);
    }

    public HeartbeatSettings withPerQueueLoc(long n) {
        return new HeartbeatSettings(perAddress, n, total, secret);
    }

    public HeartbeatSettings withTotal(long n) {
        return new HeartbeatSettings(perAddress, perQueueLoc, n, secret);
    }

    public HeartbeatSettings withSecret(String s) {
        return new HeartbeatSettings(perAddress, perQueueLoc, total, s);
    }

    /** Hides the secret: settings end up in logs. */
    @Override
    public String toString() {
        return "HeartbeatSettings[perAddress=" + perAddress + ", perQueueLoc=" + perQueueLoc + ", total=" + total
                + ", secret=" + (secret.isEmpty() ? "none" : "set") + "]";
    }

    private static void nonNegative(String key, long v) {
        if (v < 0) {
            throw new ConfigException(
                    "[heartbeats] " + key + " must be 0 (no limit) or a number of heartbeats a " + "minute, got " + v);
        }
    }
}
