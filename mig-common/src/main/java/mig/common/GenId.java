package mig.common;

import java.time.Clock;

/**
 * MIG's per-process ID generator ({@code mig.GenID}): the first ID is
 * {@code (seconds since 2013-04-29T18:00:00Z + 1) << 16}, later ones add one. IDs stay below
 * 2^53 so that Go clients, which hold them as float64, read them exactly.
 *
 * <p>Two processes started in the same second would collide, as in the original; the database
 * primary keys catch that, and callers that insert in bulk retry with fresh IDs.
 */
public final class GenId {

    /** MIG's epoch: 2013-04-29T18:00:00Z. */
    public static final long MIG_EPOCH_SECONDS = 1367258400L;

    private static final GenId PROCESS = new GenId(Clock.systemUTC());

    private final Clock clock;
    private long last;

    /** A generator of its own (tests, or several independent sequences). */
    public GenId(Clock clock) {
        this.clock = clock;
    }

    /** The next ID of this process. */
    public static long next() {
        return PROCESS.nextId();
    }

    /** The next ID of this generator. */
    public synchronized long nextId() {
        if (last < 1) {
            long seconds = Math.floorDiv(clock.millis(), 1000L) - MIG_EPOCH_SECONDS + 1;
            last = seconds << 16;
            return last;
        }
        return ++last;
    }
}
