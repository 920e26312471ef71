package mig.common.heartbeat;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a source address, a queueloc): at most {@code perMinute} takes in a
 * burst, refilled at {@code perMinute} a minute. Zero means no limit.
 *
 * <p>Hand-written rather than a library because none of the project's dependencies has a keyed
 * limiter and this is the whole of it. The map cannot grow without bound: a bucket that has filled
 * up again is the same as no bucket, so full buckets are dropped whenever the map passes
 * {@link #SWEEP_AT} keys; new keys only arrive as fast as the limits let heartbeats through.
 */
public final class RateLimiter {

    static final int SWEEP_AT = 50_000;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final long perMinute;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public RateLimiter(long perMinute) {
        this(perMinute, System::nanoTime);
    }

    RateLimiter(long perMinute, LongSupplier nanos) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("a rate limit must be 0 (none) or positive, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanos = nanos;
    }

    /** The limit, takes a minute; 0 for none. */
    public long perMinute() {
        return perMinute;
    }

    /** Takes one token of {@code key}'s bucket. @return false when the bucket is empty (refused) */
    public boolean tryTake(String key) {
        if (perMinute == 0) {
            return true;
        }
        long now = nanos.getAsLong();
        if (buckets.size() > SWEEP_AT) {
            sweep(now);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, now));
        synchronized (b) {
            refill(b, now);
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    private void refill(Bucket b, long now) {
        long elapsed = now - b.at;
        if (elapsed > 0) {
            b.tokens = Math.min(perMinute, b.tokens + (double) elapsed * perMinute / NANOS_PER_MINUTE);
            b.at = now;
        }
    }

    private void sweep(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            synchronized (b) {
                refill(b, now);
                if (b.tokens >= perMinute) {
                    it.remove();
                }
            }
        }
    }

    /** Keys currently tracked (for tests and the log). */
    public int tracked() {
        return buckets.size();
    }
}
