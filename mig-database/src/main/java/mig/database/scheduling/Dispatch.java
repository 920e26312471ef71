package mig.database.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Executor;
import mig.database.DatabaseException;
import mig.database.Rows;

/**
 * The right to publish the commands of one {@code preparing} action: a connection holding the
 * session-level advisory lock keyed by the action id. {@link #markInflight} once every command is
 * confirmed by the broker; {@link #close} in any case (it releases the lock). Not thread-safe.
 */
public final class Dispatch implements AutoCloseable {

    private static final Executor CLOSE_NOW = Runnable::run;

    private Connection connection;
    private final long actionId;

    Dispatch(Connection connection, long actionId) {
        this.connection = connection;
        this.actionId = actionId;
    }

    public long actionId() {
        return actionId;
    }

    Connection connection() {
        if (connection == null) {
            throw new IllegalStateException("the dispatch of action " + actionId + " is already closed");
        }
        return connection;
    }

    /**
     * {@code preparing} to {@code inflight}, last update {@code now}.
     *
     * @return false if the action had already left preparing (every result came back first, or it
     *     expired meanwhile)
     */
    public boolean markInflight(Instant now) {
        try (PreparedStatement ps = connection()
                .prepareStatement("UPDATE actions SET status = 'inflight', "
                        + "lastupdatetime = ? WHERE id = ? AND status = 'preparing'")) {
            Rows.time(ps, 1, now);
            ps.setLong(2, actionId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException("marking action " + actionId + " inflight failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the action is still preparing or inflight, i.e. not completed (every command final)
     * nor invalid. When the database cannot answer, it is taken as still open.
     */
    public boolean stillOpen() {
        try (PreparedStatement ps = connection().prepareStatement("SELECT status FROM actions WHERE id = ?")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                String status = rs.getString(1);
                return "preparing".equals(status) || "inflight".equals(status);
            }
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Releases the publishing lock. If that fails the connection is aborted instead, so the pool
     * drops it and the server ends the session, which releases the lock too.
     */
    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, actionId);
            ps.execute();
            c.close();
        } catch (SQLException e) {
            try {
                c.abort(CLOSE_NOW);
            } catch (SQLException ignored) {
                // Nothing more can be done; the server ends the session when the socket closes.
            }
        }
    }
}
