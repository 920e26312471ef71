package mig.api.action;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import mig.database.DbConfig;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes long-polling requests when a command of their action finishes.
 *
 * <p>One connection, held by one thread, LISTENs on {@code mig_command_done} (payload: the action
 * id; the trigger is in the V2 migration). Each waiting request {@link #subscribe}s to its action id
 * and sleeps on its own semaphore; a notification releases every subscriber of that id. If the
 * connection drops, the thread reconnects every {@link #RETRY} and waiters fall back on their own
 * periodic re-check, so nothing is lost, only slower.
 *
 * <p>Concurrency: {@code subscribers} is the only shared state (a concurrent map of concurrent sets);
 * the connection is touched by the listener thread only.
 */
public final class ActionWaiter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionWaiter.class);

    /** The channel the commands trigger notifies. */
    public static final String CHANNEL = "mig_command_done";

    static final Duration RETRY = Duration.ofSeconds(2);
    private static final int POLL_MILLIS = 500;

    private final DbConfig db;
    private final Map<Long, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;

    public ActionWaiter(DbConfig db) {
        this.db = db;
        this.thread = new Thread(this::run, "mig-api-listen-" + CHANNEL);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** One request waiting for news of one action; close it when done. */
    public final class Subscription implements AutoCloseable {
        private final long actionId;
        private final Semaphore signal = new Semaphore(0);

        private Subscription(long actionId) {
            this.actionId = actionId;
        }

        /**
         * Sleeps until a command of the action finishes or {@code max} passes.
         *
         * @return true if woken by a notification
         */
        public boolean await(Duration max) throws InterruptedException {
            boolean woken = signal.tryAcquire(Math.max(0, max.toMillis()), TimeUnit.MILLISECONDS);
            signal.drainPermits();
            return woken;
        }

        @Override
        public void close() {
            subscribers.computeIfPresent(actionId, (id, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Starts listening for news of {@code actionId}; subscribe before reading the action to miss nothing. */
    public Subscription subscribe(long actionId) {
        Subscription s = new Subscription(actionId);
        subscribers
                .computeIfAbsent(actionId, id -> ConcurrentHashMap.newKeySet())
                .add(s);
        return s;
    }

    /** Whether the LISTEN connection is up (for tests and diagnostics). */
    public boolean isListening() {
        return listening;
    }

    private void run() {
        while (running) {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                LOG.debug("listening on {}", CHANNEL);
                while (running) {
                    PGNotification[] news = pg.getNotifications(POLL_MILLIS);
                    if (news != null) {
                        for (PGNotification n : news) {
                            wake(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                listening = false;
                if (running) {
                    LOG.warn(
                            "LISTEN {} connection lost ({}); long polls re-check every few seconds until it is back,"
                                    + " reconnecting in {}s",
                            CHANNEL,
                            e.getMessage(),
                            RETRY.toSeconds());
                    sleep(RETRY);
                }
            }
        }
        listening = false;
    }

    private void wake(String payload) {
        long id;
        try {
            id = Long.parseLong(payload.strip());
        } catch (NumberFormatException e) {
            LOG.debug("ignoring {} notification with payload '{}'", CHANNEL, payload);
            return;
        }
        Set<Subscription> waiting = subscribers.get(id);
        if (waiting != null) {
            waiting.forEach(s -> s.signal.release());
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
