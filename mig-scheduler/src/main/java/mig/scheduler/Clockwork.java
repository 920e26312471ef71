package mig.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import mig.database.scheduling.DatabaseFailures;
import mig.scheduler.dispatch.ActionDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every thread and timer of the scheduler, and nothing else:
 * <ul>
 * <li>the <b>dispatch thread</b> runs dispatch rounds and expiry timers one at a time, so the
 *     action flow never runs concurrently with itself inside one scheduler. Round requests
 *     coalesce: however many arrive while a round is queued, one round runs, and a request made
 *     during a round queues exactly one more;</li>
 * <li>the <b>upkeep thread</b> runs the periodic agent job, so a slow statistics query never
 *     delays a dispatch;</li>
 * <li><b>loop threads</b> run blocking loops (the LISTEN connection) until {@link #close}.</li>
 * </ul>
 * Threads of others only ask: the RabbitMQ client's threads call {@link #cancelExpiry} (a result
 * completed an action) and {@link #requestRound} (the connection recovered). Delays are computed
 * with the injected clock.
 */
final class Clockwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Clockwork.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** A dispatch round, see {@link ActionDispatcher#run}. */
    @FunctionalInterface
    interface Rounds {
        ActionDispatcher.Round run(boolean full) throws InterruptedException;
    }

    /** A blocking loop that returns soon after {@code stopped} turns true. */
    @FunctionalInterface
    interface Loop {
        void run(BooleanSupplier stopped) throws InterruptedException;
    }

    private final Clock clock;
    private final Rounds rounds;
    private final LongConsumer expire;
    private final ScheduledThreadPoolExecutor dispatch = executor("mig-scheduler-dispatch");
    private final ScheduledThreadPoolExecutor upkeep = executor("mig-scheduler-upkeep");
    private final List<Thread> loops = new CopyOnWriteArrayList<>();
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private final AtomicBoolean fullRoundWanted = new AtomicBoolean();
    private volatile boolean stopped;

    /** Guarded by itself: one expiry timer per action id. */
    private final Map<Long, ScheduledFuture<?>> expiries = new HashMap<>();
    /** Guarded by {@code this}: the next validfrom wake-up and its time. */
    private ScheduledFuture<?> wake;

    private Instant wakeAt;

    Clockwork(Clock clock, Rounds rounds, LongConsumer expire) {
        this.clock = clock;
        this.rounds = rounds;
        this.expire = expire;
    }

    /** Asks for a dispatch round; {@code full} adds the recovery work of {@link ActionDispatcher#run}. */
    void requestRound(boolean full) {
        if (full) {
            fullRoundWanted.set(true);
        }
        if (roundQueued.compareAndSet(false, true)) {
            try {
                dispatch.execute(this::round);
            } catch (RejectedExecutionException e) {
                roundQueued.set(false);
            }
        }
    }

    /** Asks for a round at {@code when}, unless one is already planned for then or earlier. */
    synchronized void requestRoundAt(Instant when) {
        if (wake != null && !wake.isDone() && !when.isBefore(wakeAt)) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAt = when;
        wake = schedule(dispatch, when, () -> requestRound(false));
    }

    /** Arms the expiry timer of an action, unless it has one. */
    void expireAt(long actionId, Instant when) {
        synchronized (expiries) {
            if (stopped || expiries.containsKey(actionId)) {
                return;
            }
            ScheduledFuture<?> f = schedule(dispatch, when, () -> {
                synchronized (expiries) {
                    expiries.remove(actionId);
                }
                expire.accept(actionId);
            });
            if (f != null) {
                expiries.put(actionId, f);
            }
        }
    }

    /** Disarms the expiry timer of an action that completed. */
    void cancelExpiry(long actionId) {
        synchronized (expiries) {
            ScheduledFuture<?> f = expiries.remove(actionId);
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** Runs {@code job} every {@code period} on the dispatch thread, first after one period. */
    void everyOnDispatch(String name, Duration period, Runnable job) {
        dispatch.scheduleWithFixedDelay(
                guarded(name, job), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code job} now and then every {@code period} on the upkeep thread. */
    void everyOnUpkeep(String name, Duration period, Runnable job) {
        upkeep.scheduleWithFixedDelay(guarded(name, job), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts a loop on a thread of its own. */
    void loop(String name, Loop loop) {
        Thread t = new Thread(
                () -> {
                    try {
                        loop.run(() -> stopped);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.error("{} stopped after an unexpected error", name, e);
                    }
                },
                name);
        t.setDaemon(true);
        loops.add(t);
        t.start();
    }

    /**
     * Stops: no new rounds or timers, the round under way finishes (up to 30 s), loops end.
     * Timers are not run; a restarted scheduler arms them again from the database.
     */
    @Override
    public void close() {
        stopped = true;
        dispatch.shutdown();
        upkeep.shutdown();
        try {
            if (!dispatch.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the dispatch round did not finish within {} s; interrupting it", STOP_WAIT.toSeconds());
                dispatch.shutdownNow();
            }
            if (!upkeep.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                upkeep.shutdownNow();
            }
            for (Thread t : loops) {
                t.join(5_000);
                if (t.isAlive()) {
                    t.interrupt();
                }
            }
        } catch (InterruptedException e) {
            dispatch.shutdownNow();
            upkeep.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void round() {
        roundQueued.set(false);
        boolean full = fullRoundWanted.getAndSet(false);
        try {
            ActionDispatcher.Round r = rounds.run(full);
            r.dispatched().forEach(d -> expireAt(d.actionId(), d.expireAfter()));
            r.nextValidFrom().ifPresent(this::requestRoundAt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            report("dispatch round", e);
        }
    }

    private ScheduledFuture<?> schedule(ScheduledThreadPoolExecutor on, Instant when, Runnable job) {
        long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis() + 1);
        try {
            return on.schedule(guarded("timer", job), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private Runnable guarded(String name, Runnable job) {
        return () -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                report(name, e);
            }
        };
    }

    private static void report(String what, RuntimeException e) {
        if (DatabaseFailures.isTransient(e)) {
            LOG.warn("{} failed, the database is unavailable ({}); the next poll tries again", what, e.getMessage());
        } else {
            LOG.error("{} failed", what, e);
        }
    }

    private static ScheduledThreadPoolExecutor executor(String name) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        e.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        e.setRemoveOnCancelPolicy(true);
        return e;
    }
}
