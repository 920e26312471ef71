package mig.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed API-key attempts per source address: after {@code max} failures within {@code period},
 * further API-key attempts from that address are refused (429, {@code Retry-After}) until the
 * period that began with the first failure is over. Each attempt may cost a PBKDF2 derivation, so a
 * guesser is held to {@code max} of them per period instead of as many as the API can serve.
 *
 * <p>Kept in memory (one API process; a restart forgets); at most {@link #MAX_ADDRESSES} addresses
 * are tracked, the expired ones being dropped first, so a spray of source addresses cannot grow it
 * without bound.
 */
final class FailureLimiter {
    static final int MAX_ADDRESSES = 100_000;

    private record Window(long startMillis, int failures) {}

    private final int max;
    private final Duration period;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    FailureLimiter(int max, Duration period, Clock clock) {
        this.max = max;
        this.period = period;
        this.clock = clock;
    }

    /** Seconds until {@code address} may try again, or empty when it may try now. */
    OptionalLong retryAfter(String address) {
        Window w = windows.get(address);
        long now = clock.millis();
        if (w == null || w.failures() < max) {
            return OptionalLong.empty();
        }
        long left = w.startMillis() + period.toMillis() - now;
        if (left <= 0) {
            windows.remove(address, w);
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (left + 999) / 1000));
    }

    /** Counts a failure of {@code address}. */
    void failed(String address) {
        long now = clock.millis();
        if (windows.size() >= MAX_ADDRESSES) {
            windows.values().removeIf(w -> w.startMillis() + period.toMillis() <= now);
            if (windows.size() >= MAX_ADDRESSES) {
                windows.clear(); // a spray of addresses: forget rather than grow
            }
        }
        windows.compute(
                address,
                (a, w) -> w == null || w.startMillis() + period.toMillis() <= now
                        ? new Window(now, 1)
                        : new Window(w.startMillis(), w.failures() + 1));
    }
}
