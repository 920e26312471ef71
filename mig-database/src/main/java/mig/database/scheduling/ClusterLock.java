package mig.database.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import mig.database.DatabaseException;

/**
 * A mutex shared by every process using the database (a PostgreSQL advisory lock), for one-off
 * work that must not run twice at once, such as creating the scheduler's key on first start.
 */
public final class ClusterLock {

    /** Key of the lock around creating the {@code migscheduler} key ("migsched" in ASCII). */
    public static final long SCHEDULER_KEY_CREATION = 0x6d69677363686564L;

    private final DataSource ds;
    private final long key;

    public ClusterLock(DataSource ds, long key) {
        this.ds = ds;
        this.key = key;
    }

    /** Runs {@code body} holding the lock, waiting for it if another process holds it. */
    public <T> T run(Supplier<T> body) {
        Connection c = null;
        try {
            c = ds.getConnection();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                ps.setLong(1, key);
                ps.execute();
            }
            try {
                return body.get();
            } finally {
                unlock(c);
                c = null;
            }
        } catch (SQLException e) {
            throw new DatabaseException("advisory lock " + Long.toHexString(key) + " failed: " + e.getMessage(), e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Locking failed already, which is what gets reported.
                }
            }
        }
    }

    /** Unlocks and returns the connection; if unlocking fails, aborts it so the lock dies with the session. */
    private void unlock(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            ps.execute();
            c.close();
        } catch (SQLException e) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException ignored) {
                // The server ends the session, and the lock, when the socket closes.
            }
        }
    }
}
