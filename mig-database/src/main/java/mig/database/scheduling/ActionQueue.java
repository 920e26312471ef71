package mig.database.scheduling;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import mig.common.Action;
import mig.common.Agent;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.DatabaseException;
import mig.database.Rows;

/**
 * The scheduler's side of the {@code actions} table: which actions are due, and the row locks that
 * let several schedulers share one database without two of them ever dispatching the same action.
 *
 * <p>Locks, and what they guard:
 * <ul>
 * <li>{@link #claimRunnable}: {@code FOR UPDATE SKIP LOCKED} on pending rows, so concurrent claims
 *     split the pending actions between them (pending becomes {@code scheduled}).</li>
 * <li>{@link #lockScheduled}: a row lock held for the whole of target evaluation and command
 *     insertion; whoever gets it while the status is still {@code scheduled} prepares the action,
 *     everyone else skips it. A scheduler that dies mid-way releases the lock with its session and
 *     leaves a {@code scheduled} row any scheduler picks up again.</li>
 * <li>{@link Dispatch}: a session-level advisory lock (key = action id) taken in the same
 *     transaction that commits the commands and held while they are published, so that
 *     {@link #resumePreparing} never re-publishes an action another scheduler is still publishing.</li>
 * </ul>
 * Times are the caller's clock, so a wake-up computed from {@link #nextValidFrom} and the claim that
 * follows it agree even when the database host's clock differs.
 */
public final class ActionQueue {

    private final DataSource ds;

    public ActionQueue(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Moves up to {@code limit} pending actions that are valid at {@code now}, or already expired
     * (they must be invalidated), to {@code scheduled}; rows another transaction holds are skipped.
     *
     * @return the ids claimed, oldest validfrom first
     */
    public List<Long> claimRunnable(Instant now, int limit) {
        String sql = "UPDATE actions SET status = 'scheduled' WHERE status = 'pending' AND id IN ("
                + "SELECT id FROM actions WHERE status = 'pending' AND (validfrom <= ? OR expireafter <= ?) "
                + "ORDER BY validfrom LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id, validfrom";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.time(ps, 1, now);
            Rows.time(ps, 2, now);
            ps.setInt(3, limit);
            List<long[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[] {
                        Rows.id(rs, "id"), Rows.time(rs, "validfrom").toEpochMilli()
                    });
                }
            }
            rows.sort((a, b) -> Long.compare(a[1], b[1]));
            return rows.stream().map(r -> r[0]).toList();
        } catch (SQLException e) {
            throw new DatabaseException("claiming pending actions failed: " + e.getMessage(), e);
        }
    }

    /** The earliest validfrom after {@code now} among pending actions: when to look again. */
    public Optional<Instant> nextValidFrom(Instant now) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT min(validfrom) AS next FROM actions WHERE status = 'pending' AND validfrom > ?")) {
            Rows.time(ps, 1, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject("next") == null ? Optional.empty() : Optional.of(Rows.time(rs, "next"));
            }
        } catch (SQLException e) {
            throw new DatabaseException("looking for the next pending action failed: " + e.getMessage(), e);
        }
    }

    /**
     * True if new pending actions are announced on {@code mig_action_new}: the trigger of the V2
     * migration is installed (a database only the original ever used lacks it).
     */
    public boolean notifiesNewActions() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_trigger "
                        + "WHERE tgname = 'actions_notify_new' AND tgrelid = 'actions'::regclass)");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new DatabaseException("looking for the new-action trigger failed: " + e.getMessage(), e);
        }
    }

    /** Ids of actions in {@code status}, oldest validfrom first, at most {@code limit}. */
    public List<Long> withStatus(String status, int limit) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT id FROM actions WHERE status = ? ORDER BY validfrom LIMIT ?")) {
            ps.setString(1, status);
            ps.setInt(2, limit);
            return ids(ps);
        } catch (SQLException e) {
            throw new DatabaseException("listing " + status + " actions failed: " + e.getMessage(), e);
        }
    }

    /** An action whose commands are out (preparing or inflight) and when it expires. */
    public record Deadline(long actionId, Instant expireAfter) {}

    /** Every action whose commands are out, with its expiry: the timers to arm after a restart. */
    public List<Deadline> openDeadlines() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, expireafter FROM actions "
                        + "WHERE status IN ('preparing', 'inflight') ORDER BY expireafter");
                ResultSet rs = ps.executeQuery()) {
            List<Deadline> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Deadline(Rows.id(rs, "id"), Rows.time(rs, "expireafter")));
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("listing actions in flight failed: " + e.getMessage(), e);
        }
    }

    /** Actions whose commands are out but which expired at or before {@code now}. */
    public List<Long> overdue(Instant now) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM actions "
                        + "WHERE status IN ('preparing', 'inflight') AND expireafter <= ? ORDER BY expireafter")) {
            Rows.time(ps, 1, now);
            return ids(ps);
        } catch (SQLException e) {
            throw new DatabaseException("listing expired actions in flight failed: " + e.getMessage(), e);
        }
    }

    /**
     * Locks a {@code scheduled} action for preparation. Empty if it is not scheduled any more or
     * another scheduler holds it. The caller must close the claim.
     */
    public Optional<ActionClaim> lockScheduled(long actionId) {
        Connection c = null;
        try {
            c = ds.getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Sql.ACTION_COLUMNS
                    + " FROM actions WHERE id = ? AND status = 'scheduled' FOR UPDATE SKIP LOCKED")) {
                ps.setLong(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        Action action = ActionStore.read(rs);
                        ActionClaim claim = new ActionClaim(c, action, inactiveSigners(c, actionId));
                        c = null;
                        return Optional.of(claim);
                    }
                }
            }
            c.rollback();
            return Optional.empty();
        } catch (SQLException e) {
            throw new DatabaseException("locking scheduled action " + actionId + " failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(c);
        }
    }

    /**
     * Names of the investigators who signed the action and are no longer active: an action of a
     * disabled investigator is not dispatched, however long ago it was submitted (the original
     * dispatched it).
     */
    private static List<String> inactiveSigners(Connection c, long actionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.name FROM signatures s "
                + "JOIN investigators i ON i.id = s.investigatorid WHERE s.actionid = ? AND i.status <> 'active' "
                + "ORDER BY i.id")) {
            ps.setLong(1, actionId);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    /** A command already committed and not answered yet, as needed to publish it again. */
    public record SentCommand(long id, Agent agent, List<ModuleResult> results, Instant startTime) {}

    /**
     * What {@link #resumePreparing} found: the action as stored, how many commands it has in all,
     * those still unanswered, and the dispatch handle that holds the publishing lock.
     */
    public record Resumption(Dispatch dispatch, Action action, int total, List<SentCommand> unanswered) {}

    /**
     * Takes over the publishing of a {@code preparing} action whose publisher is gone (crashed,
     * or lost the broker). Empty if another scheduler is publishing it or it left preparing.
     */
    public Optional<Resumption> resumePreparing(long actionId) {
        Connection c = null;
        try {
            c = ds.getConnection();
            if (!tryAdvisoryLock(c, actionId)) {
                return Optional.empty();
            }
            Dispatch dispatch = new Dispatch(c, actionId);
            c = null;
            try {
                Optional<Resumption> found = load(dispatch, actionId);
                if (found.isEmpty()) {
                    dispatch.close();
                }
                return found;
            } catch (SQLException | RuntimeException e) {
                dispatch.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("resuming action " + actionId + " failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(c);
        }
    }

    private static Optional<Resumption> load(Dispatch dispatch, long actionId) throws SQLException {
        Connection c = dispatch.connection();
        Action action;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + Sql.ACTION_COLUMNS + " FROM actions WHERE id = ? AND status = 'preparing'")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                action = ActionStore.read(rs);
            }
        }
        int total;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM commands WHERE actionid = ?")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getInt(1);
            }
        }
        List<SentCommand> sent = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.id AS cmd_id, c.results AS cmd_results, "
                + "c.starttime AS cmd_start, " + Sql.AGENT_COLUMNS + " FROM commands c "
                + "JOIN agents ag ON ag.id = c.agentid WHERE c.actionid = ? AND c.status = 'sent' ORDER BY c.id")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String results = rs.getString("cmd_results");
                    sent.add(new SentCommand(
                            Rows.id(rs, "cmd_id"),
                            AgentStore.read(rs),
                            results == null
                                    ? null
                                    : GoJson.unmarshal(results, new TypeReference<List<ModuleResult>>() {}),
                            Rows.time(rs, "cmd_start")));
                }
            }
        }
        return Optional.of(new Resumption(dispatch, action, total, sent));
    }

    static boolean tryAdvisoryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<Long> ids(PreparedStatement ps) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Rows.id(rs, "id"));
            }
        }
        return out;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // The connection is being given up after a failure already reported.
            }
        }
    }
}
