package mig.common.heartbeat;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One log line a minute at most for heartbeats refused by a rate limit or unauthenticated: a flood must not turn into
 * a flood of log lines. The first refusal is logged at once; later ones are counted, and the count
 * is logged with the latest example when a minute has passed.
 */
public final class RefusalLog {

    private static final long MINUTE = 60_000_000_000L;

    private final Logger log;
    private final LongSupplier nanos;
    private long windowStart;
    private long count;
    private boolean started;

    public RefusalLog(Logger log) {
        this(log, System::nanoTime);
    }

    RefusalLog(Logger log, LongSupplier nanos) {
        this.log = log;
        this.nanos = nanos;
    }

    /** Counts one refusal; {@code why} describes it (key and limit). */
    public void refused(String why) {
        long now = nanos.getAsLong();
        long toLog;
        synchronized (this) {
            count++;
            if (started && now - windowStart < MINUTE) {
                return;
            }
            toLog = count;
            count = 0;
            windowStart = now;
            started = true;
        }
        log.warn("{} heartbeat(s) refused since the last report, latest: {}", toLog, why);
    }
}
