package mig.database.scheduling;

import mig.database.ActionStore;
import mig.database.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import mig.common.ActionCounters;
import mig.common.Command;
import mig.database.CommandStore;
import mig.database.DatabaseException;

/**
 * Commands reaching a final status, from an agent's result ({@link #finish}) or from the action's
 * expiry ({@link #expire}), and the action completing once every command is final.
 *
 * <p>Both take the action's row lock before touching its commands, so concurrent results of one
 * action (two schedulers consume the same queue) are counted one after the other and exactly one
 * of them completes the action; taking locks in that one order also keeps results and expiry from
 * deadlocking.
 */
public final class CommandCompletion {

    private final DataSource ds;

    public CommandCompletion(DataSource ds) {
        this.ds = ds;
    }

    /** What became of a returned command. */
    public sealed interface Finish {
        /** Stored; {@code completed} if it was the action's last open command. */
        record Recorded(long actionId, ActionCounters counters, boolean completed) implements Finish {
        }

        /** No command with this id. */
        record Unknown() implements Finish {
        }

        /** The command was final already (a duplicate, or a result after expiry): nothing changed. */
        record AlreadyFinal(long actionId, String status) implements Finish {
        }

        /** The result names another endpoint than the one the command was sent to: refused. */
        record WrongAgent(long actionId, String expectedQueueLoc) implements Finish {
        }
    }

    /**
     * Stores an agent's result: status, results (NUL escapes replaced as the original does) and
     * finish time {@code now}, only if the command is still {@code sent} and the result comes from
     * the endpoint (queueloc) the command went to. Unlike the original, the agent row's pid and
     * status do not matter, so a restarted or idle agent's result is not left stuck.
     */
    public Finish finish(Command returned, Instant now) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Finish f = finish(c, returned, now);
                c.commit();
                return f;
            } catch (SQLException | RuntimeException e) {
                Sql.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("storing the result of command " + returned.id() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static Finish finish(Connection c, Command returned, Instant now) throws SQLException {
        long actionId;
        String queueLoc;
        try (PreparedStatement ps = c.prepareStatement("SELECT c.actionid, ag.queueloc FROM commands c "
                + "JOIN agents ag ON ag.id = c.agentid WHERE c.id = ?")) {
            ps.setLong(1, returned.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Finish.Unknown();
                }
                actionId = Rows.id(rs, "actionid");
                queueLoc = rs.getString("queueloc");
            }
        }
        if (!queueLoc.equals(returned.agent().queueLoc())) {
            return new Finish.WrongAgent(actionId, queueLoc);
        }
        String actionStatus = lockAction(c, actionId);
        try (PreparedStatement ps = c.prepareStatement("UPDATE commands SET status = ?, results = ?::json, "
                + "finishtime = ? WHERE id = ? AND status = 'sent'")) {
            ps.setString(1, returned.status());
            ps.setString(2, CommandStore.resultsJson(returned.results()));
            Rows.time(ps, 3, now);
            ps.setLong(4, returned.id());
            if (ps.executeUpdate() == 0) {
                return new Finish.AlreadyFinal(actionId, commandStatus(c, returned.id()));
            }
        }
        ActionCounters counters = ActionStore.counters(c, actionId);
        return new Finish.Recorded(actionId, counters, landIfDone(c, actionId, actionStatus, counters, now));
    }

    /** What {@link #expire} did. */
    public record Expiry(int expired, ActionCounters counters, boolean completed) {
    }

    /**
     * Expires the unanswered commands of an action whose expireafter is at or before {@code now}
     * (status {@code expired}, finish time now), whether their agent is online or not, and
     * completes the action. The original never counted the commands of offline agents as done,
     * so such actions stayed inflight forever. Does nothing to an action that is not preparing or
     * inflight, or not expired yet.
     */
    public Expiry expire(long actionId, Instant now) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Expiry e = expire(c, actionId, now);
                c.commit();
                return e;
            } catch (SQLException | RuntimeException e) {
                Sql.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("expiring the commands of action " + actionId + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static Expiry expire(Connection c, long actionId, Instant now) throws SQLException {
        String status;
        Instant expireAfter;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status, expireafter FROM actions WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Expiry(0, ActionCounters.EMPTY, false);
                }
                status = rs.getString("status");
                expireAfter = Rows.time(rs, "expireafter");
            }
        }
        if (!isOpen(status) || expireAfter.isAfter(now)) {
            return new Expiry(0, ActionStore.counters(c, actionId), false);
        }
        int expired;
        try (PreparedStatement ps = c.prepareStatement("UPDATE commands SET status = 'expired', finishtime = ? "
                + "WHERE actionid = ? AND status = 'sent'")) {
            Rows.time(ps, 1, now);
            ps.setLong(2, actionId);
            expired = ps.executeUpdate();
        }
        ActionCounters counters = ActionStore.counters(c, actionId);
        return new Expiry(expired, counters, landIfDone(c, actionId, status, counters, now));
    }

    private static boolean isOpen(String actionStatus) {
        return "preparing".equals(actionStatus) || "inflight".equals(actionStatus);
    }

    private static String lockAction(Connection c, long actionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM actions WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static String commandStatus(Connection c, long commandId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM commands WHERE id = ?")) {
            ps.setLong(1, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    /**
     * Completes an open action once done == sent (finish and last update time now), else records
     * the progress in last update time, as the original's updateAction and landAction do.
     */
    private static boolean landIfDone(Connection c, long actionId, String status, ActionCounters counters,
            Instant now) throws SQLException {
        boolean done = isOpen(status) && counters.done() == counters.sent();
        String sql = done
                ? "UPDATE actions SET status = 'completed', finishtime = ?, lastupdatetime = ? WHERE id = ?"
                : "UPDATE actions SET lastupdatetime = ? WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            Rows.time(ps, i++, now);
            if (done) {
                Rows.time(ps, i++, now);
            }
            ps.setLong(i, actionId);
            ps.executeUpdate();
        }
        return done;
    }
}
