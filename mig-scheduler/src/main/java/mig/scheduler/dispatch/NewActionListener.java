package mig.scheduler.dispatch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import mig.database.DbConfig;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits on {@code LISTEN mig_action_new} (the V2 migration's trigger notifies it when a pending
 * action is committed) and calls {@code onNewAction} for each burst of notifications. Uses a
 * connection of its own, outside the pool, and opens it again when it is lost; since
 * notifications sent meanwhile are gone, every (re)connection also counts as one.
 */
public final class NewActionListener {

    private static final Logger LOG = LoggerFactory.getLogger(NewActionListener.class);

    /** Channel of the V2 migration's {@code mig_notify_action_new()} trigger. */
    public static final String CHANNEL = "mig_action_new";
    /** Application name of the LISTEN session, as {@code pg_stat_activity} shows it. */
    public static final String APPLICATION_NAME = "mig-scheduler-listen";

    private static final int WAIT_MILLIS = 500;
    private static final Duration LIVENESS_CHECK = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final DbConfig db;
    private final Runnable onNewAction;

    public NewActionListener(DbConfig db, Runnable onNewAction) {
        this.db = db;
        this.onNewAction = onNewAction;
    }

    /** Listens until {@code stopped} says so (checked twice a second). */
    public void run(BooleanSupplier stopped) throws InterruptedException {
        Duration backoff = Duration.ofSeconds(1);
        boolean lost = false;
        while (!stopped.getAsBoolean()) {
            try (Connection c = connect();
                    Statement st = c.createStatement()) {
                st.execute("LISTEN " + CHANNEL);
                if (lost) {
                    LOG.info("LISTEN {} connection re-opened", CHANNEL);
                } else {
                    LOG.info("listening for new actions on channel {}", CHANNEL);
                }
                lost = false;
                backoff = Duration.ofSeconds(1);
                onNewAction.run();
                listen(c.unwrap(PGConnection.class), st, stopped);
            } catch (SQLException e) {
                if (stopped.getAsBoolean()) {
                    return;
                }
                lost = true;
                LOG.warn(
                        "LISTEN {} connection to PostgreSQL lost or refused ({}); trying again in {} s, "
                                + "meanwhile the poll picks new actions up",
                        CHANNEL,
                        e.getMessage(),
                        backoff.toSeconds());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void listen(PGConnection pg, Statement st, BooleanSupplier stopped) throws SQLException {
        long quietSince = System.nanoTime();
        while (!stopped.getAsBoolean()) {
            PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
            if (received != null && received.length > 0) {
                if (LOG.isDebugEnabled()) {
                    for (PGNotification n : received) {
                        LOG.debug("action={} committed as pending", n.getParameter());
                    }
                }
                onNewAction.run();
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > LIVENESS_CHECK.toNanos()) {
                // A silently dropped TCP connection would otherwise look like a quiet channel forever.
                st.execute("SELECT 1");
                quietSince = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", db.user());
        p.setProperty("password", db.password());
        p.setProperty("ApplicationName", APPLICATION_NAME);
        p.setProperty("connectTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(db.jdbcUrl(), p);
    }
}
