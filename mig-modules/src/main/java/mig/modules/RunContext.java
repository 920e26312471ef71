package mig.modules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a module run may use: a deadline (module timeout or action expiry, whichever is first), a
 * clock, how many threads it may use (at most half of the cores, the original's rule), and a bound
 * on the size of its result.
 *
 * @param deadline        the run must return before this instant
 * @param clock           time source (tests move a fake one)
 * @param parallelism     worker threads the module may use, at least 1
 * @param maxResultBytes  approximate cap on the JSON size of the result; modules stop collecting
 *                        elements past it and say so in {@code errors}
 */
public record RunContext(Instant deadline, Clock clock, int parallelism, long maxResultBytes) {

    /** The default result cap: 16 MiB of JSON. */
    public static final long DEFAULT_MAX_RESULT_BYTES = 16L * 1024 * 1024;

    public RunContext {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be positive, got " + maxResultBytes);
        }
    }

    /** A context with {@code timeout} from now, half the cores and the default result cap. */
    public static RunContext withTimeout(Duration timeout) {
        Clock clock = Clock.systemUTC();
        return new RunContext(clock.instant().plus(timeout), clock, halfTheCores(), DEFAULT_MAX_RESULT_BYTES);
    }

    /**
     * A context with {@code timeout} from now, {@code parallelism} worker threads and the default
     * result cap.
     */
    public static RunContext withTimeout(Duration timeout, int parallelism) {
        Clock clock = Clock.systemUTC();
        return new RunContext(clock.instant().plus(timeout), clock, parallelism, DEFAULT_MAX_RESULT_BYTES);
    }

    /** At most half of the available processors, at least one (the original agent's rule). */
    public static int halfTheCores() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** True once the deadline has passed. */
    public boolean pastDeadline() {
        return !clock.instant().isBefore(deadline);
    }

    /** Time left before the deadline (zero or negative once past). */
    public Duration remaining() {
        return Duration.between(clock.instant(), deadline);
    }
}
