package mig.database.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import mig.common.Action;
import mig.common.Command;
import mig.common.json.GoTime;
import mig.database.CommandStore;
import mig.database.DatabaseException;
import mig.database.Rows;

/**
 * A {@code scheduled} action locked by this scheduler (see {@link ActionQueue#lockScheduled}): an
 * open transaction that ends in exactly one of {@link #invalidate}, {@link #prepare} or
 * {@link #close} (which gives the action back, still scheduled). Not thread-safe.
 */
public final class ActionClaim implements AutoCloseable {

    /** Rows per INSERT batch, as the original's sender batches them. */
    public static final int BATCH = 1024;

    private Connection connection;
    private final Action action;
    private final List<String> inactiveSigners;

    ActionClaim(Connection connection, Action action, List<String> inactiveSigners) {
        this.connection = connection;
        this.action = action;
        this.inactiveSigners = List.copyOf(inactiveSigners);
    }

    /** Names of the action's signers whose investigator is no longer active (disabled since they signed). */
    public List<String> inactiveSigners() {
        return inactiveSigners;
    }

    /** The action as stored (no counters, no investigators). */
    public Action action() {
        return action;
    }

    /**
     * Marks the action {@code invalid} (expired, no target, target refused) with start, last
     * update and finish times {@code now}, and commits.
     */
    public void invalidate(Instant now) {
        Connection c = requireOpen();
        try (PreparedStatement ps = c.prepareStatement("UPDATE actions SET status = 'invalid', starttime = ?, "
                + "lastupdatetime = ?, finishtime = ? WHERE id = ?")) {
            Rows.time(ps, 1, now);
            Rows.time(ps, 2, now);
            Rows.time(ps, 3, now);
            ps.setLong(4, action.id());
            ps.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            Sql.rollback(c, e);
            throw new DatabaseException("invalidating action " + action.id() + " failed: " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    /**
     * Inserts the commands (status {@code sent}, finish time far in the future, as the original),
     * moves the action to {@code preparing} with start and last update time {@code now}, takes the
     * publishing lock and commits: from here on a result for any of these commands finds its row.
     *
     * @return the handle to hold while the commands are published
     */
    public Dispatch prepare(List<Command> commands, Instant now) {
        Connection c = requireOpen();
        boolean locked = false;
        try {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO commands (id, actionid, agentid, status, "
                    + "results, starttime, finishtime) VALUES (?, ?, ?, ?, ?::json, ?, ?)")) {
                int inBatch = 0;
                for (Command cmd : commands) {
                    ps.setLong(1, cmd.id());
                    ps.setLong(2, action.id());
                    ps.setLong(3, cmd.agent().id());
                    ps.setString(4, Command.STATUS_SENT);
                    ps.setString(5, CommandStore.resultsJson(cmd.results()));
                    Rows.time(ps, 6, cmd.startTime());
                    Rows.time(ps, 7, GoTime.FAR_FUTURE);
                    ps.addBatch();
                    if (++inBatch == BATCH) {
                        ps.executeBatch();
                        inBatch = 0;
                    }
                }
                if (inBatch > 0) {
                    ps.executeBatch();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE actions SET status = 'preparing', starttime = ?, " + "lastupdatetime = ? WHERE id = ?")) {
                Rows.time(ps, 1, now);
                Rows.time(ps, 2, now);
                ps.setLong(3, action.id());
                ps.executeUpdate();
            }
            // Free right now: nobody else can be publishing an action we hold locked as scheduled.
            locked = ActionQueue.tryAdvisoryLock(c, action.id());
            if (!locked) {
                throw new SQLException("the publishing lock of action " + action.id() + " is held elsewhere");
            }
            c.commit();
        } catch (SQLException e) {
            Sql.rollback(c, e);
            if (locked) {
                // A session lock outlives the rollback: release it before the pool reuses the session.
                connection = null;
                new Dispatch(c, action.id()).close();
            } else {
                close();
            }
            throw new DatabaseException(
                    "storing " + commands.size() + " commands of action " + action.id() + " failed: " + e.getMessage(),
                    e);
        }
        connection = null;
        Dispatch dispatch = new Dispatch(c, action.id());
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // Committed already; a broken connection shows again in markInflight, and close() aborts it.
        }
        return dispatch;
    }

    /** Gives the action back (rolls back) unless it was invalidated or prepared. Idempotent. */
    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try (c) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            // Closing the session releases its locks anyway.
        }
    }

    private Connection requireOpen() {
        if (connection == null) {
            throw new IllegalStateException("the claim on action " + action.id() + " is already closed");
        }
        return connection;
    }
}
