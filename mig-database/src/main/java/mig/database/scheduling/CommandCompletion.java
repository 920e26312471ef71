package mig.database.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import mig.common.ActionCounters;
import mig.common.Command;
import mig.database.ActionStore;
import mig.database.CommandStore;
import mig.database.DatabaseException;
import mig.database.Rows;

/**
 * Commands reaching a final status, from agents' results ({@link #finishAll}, a delivery batch
 * at a time) or from the action's expiry ({@link #expire}), and the action completing once every
 * command is final.
 *
 * <p>Both take the action's row lock before touching its commands, so concurrent batches of
 * results of one action (two schedulers consume the same queue) are stored one after the other and
 * exactly one of them completes the action; taking locks in that one order (actions by id, then
 * their commands) also keeps batches and expiry from deadlocking.
 */
public final class CommandCompletion {

    private final DataSource ds;

    public CommandCompletion(DataSource ds) {
        this.ds = ds;
    }

    /** What became of a returned command. */
    public sealed interface Finish {
        /** Stored; {@code completed} if it was the action's last open command. */
        record Recorded(long actionId, boolean completed) implements Finish {}

        /** No command with this id. */
        record Unknown() implements Finish {}

        /** The command was final already (a duplicate, or a result after expiry): nothing changed. */
        record AlreadyFinal(long actionId, String status) implements Finish {}

        /**
         * The result names another agent than the one the command was sent to (another queueloc, or
         * the same endpoint's queueloc with another pid, as the original checked): refused.
         */
        record WrongAgent(long actionId, String expectedQueueLoc, int expectedPid) implements Finish {}
    }

    /**
     * What {@link #finishAll} did: one {@link Finish} per returned command, in the same order, and
     * the counters of each action the batch completed.
     */
    public record Batch(List<Finish> finishes, Map<Long, ActionCounters> completed) {}

    /** {@link #finishAll} of one result. */
    public Finish finish(Command returned, Instant now) {
        return finishAll(List.of(returned), now).finishes().get(0);
    }

    /**
     * Stores agents' results in one transaction: status, results (NUL escapes replaced as the
     * original does) and finish time {@code now}, only for commands still {@code sent}, and only
     * from the agent each command went to: its queueloc and pid, as the original checked (the agent
     * returns the command with the agent record it was sent, so a restarted agent answering a command
     * its predecessor received still matches; a result forged under another pid does not). The agent
     * row's status does not matter, so an idle agent's result is not left stuck. A command
     * returned twice (in one batch or another) is stored once.
     *
     * <p>The actions concerned are locked in id order (so that two batches, or a batch and an
     * expiry, cannot deadlock), their commands updated in one statement, and an action completes
     * when none of its commands is {@code sent} any more: a probe of the partial index
     * {@code commands_status_sent_idx}, instead of the original's recount of every command of the
     * action after each result (quadratic in the size of the action). Counters are read once, when
     * the action completes.
     */
    public Batch finishAll(List<Command> returned, Instant now) {
        if (returned.isEmpty()) {
            return new Batch(List.of(), Map.of());
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Batch b = finishAll(c, returned, now);
                c.commit();
                return b;
            } catch (SQLException | RuntimeException e) {
                Sql.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException(
                    "storing " + returned.size() + " results (commands "
                            + returned.get(0).id() + (returned.size() > 1 ? " and more" : "") + ") failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /** The row of a returned command. */
    private record Target(long actionId, String queueLoc, int pid) {}

    private static Batch finishAll(Connection c, List<Command> returned, Instant now) throws SQLException {
        Map<Long, Target> targets = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.actionid, ag.queueloc, ag.pid FROM commands c "
                + "JOIN agents ag ON ag.id = c.agentid WHERE c.id = ANY(?::numeric[])")) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "bigint",
                            returned.stream().map(Command::id).distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    targets.put(
                            Rows.id(rs, "id"),
                            new Target(Rows.id(rs, "actionid"), rs.getString("queueloc"), rs.getInt("pid")));
                }
            }
        }
        // The first result of each known command from the right endpoint is a candidate; the rest is settled now.
        Finish[] out = new Finish[returned.size()];
        Map<Long, Integer> candidates = new LinkedHashMap<>();
        for (int i = 0; i < returned.size(); i++) {
            Command r = returned.get(i);
            Target t = targets.get(r.id());
            if (t == null) {
                out[i] = new Finish.Unknown();
            } else if (!t.queueLoc().equals(r.agent().queueLoc())
                    || t.pid() != r.agent().pid()) {
                out[i] = new Finish.WrongAgent(t.actionId(), t.queueLoc(), t.pid());
            } else {
                candidates.putIfAbsent(r.id(), i);
            }
        }
        Map<Long, Boolean> completedActions = new HashMap<>();
        Map<Long, ActionCounters> completed = new TreeMap<>();
        if (!candidates.isEmpty()) {
            Map<Long, String> actionStatus = lockActions(
                    c,
                    candidates.keySet().stream()
                            .map(id -> targets.get(id).actionId())
                            .collect(Collectors.toCollection(TreeSet::new)));
            Set<Long> stored = update(c, returned, candidates.values(), now);
            Set<Long> touched = new TreeSet<>();
            for (long id : stored) {
                touched.add(targets.get(id).actionId());
            }
            for (long actionId : touched) {
                String status = actionStatus.getOrDefault(actionId, "");
                boolean done = isOpen(status) && !hasSentCommands(c, actionId);
                land(c, actionId, done, now);
                completedActions.put(actionId, done);
                if (done) {
                    completed.put(actionId, ActionStore.counters(c, actionId));
                }
            }
            Map<Long, String> finalStatus = new HashMap<>();
            List<Long> notStored = candidates.keySet().stream()
                    .filter(id -> !stored.contains(id))
                    .toList();
            if (!notStored.isEmpty()) {
                finalStatus = commandStatuses(c, notStored);
            }
            // Exactly one Recorded per action carries completed = true: its last one in the batch.
            Map<Long, Integer> lastOfAction = new HashMap<>();
            for (int i : candidates.values()) {
                long id = returned.get(i).id();
                if (stored.contains(id)) {
                    lastOfAction.put(targets.get(id).actionId(), i);
                }
            }
            for (int i : candidates.values()) {
                long id = returned.get(i).id();
                long actionId = targets.get(id).actionId();
                if (stored.contains(id)) {
                    out[i] = new Finish.Recorded(
                            actionId,
                            completedActions.getOrDefault(actionId, false) && lastOfAction.get(actionId) == i);
                } else {
                    out[i] = new Finish.AlreadyFinal(actionId, finalStatus.getOrDefault(id, ""));
                }
            }
        }
        // Later copies of a command in this batch: final by now, whatever became of the first one.
        for (int i = 0; i < returned.size(); i++) {
            if (out[i] == null) {
                long id = returned.get(i).id();
                Finish first = out[candidates.get(id)];
                long actionId = targets.get(id).actionId();
                out[i] = new Finish.AlreadyFinal(
                        actionId,
                        first instanceof Finish.AlreadyFinal a
                                ? a.status()
                                : returned.get(candidates.get(id)).status());
            }
        }
        return new Batch(Arrays.asList(out), completed);
    }

    /** Locks the rows of these actions, in id order; their statuses. */
    private static Map<Long, String> lockActions(Connection c, Set<Long> actionIds) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, status FROM actions WHERE id = ANY(?::numeric[]) " + "ORDER BY id FOR UPDATE")) {
            ps.setArray(1, c.createArrayOf("bigint", actionIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Rows.id(rs, "id"), rs.getString("status"));
                }
            }
        }
        return out;
    }

    /** Stores the results at these indexes into commands still sent; the ids stored. */
    private static Set<Long> update(Connection c, List<Command> returned, Iterable<Integer> indexes, Instant now)
            throws SQLException {
        List<Object> ids = new ArrayList<>();
        List<Object> statuses = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        for (int i : indexes) {
            Command r = returned.get(i);
            ids.add(r.id());
            statuses.add(r.status());
            results.add(CommandStore.resultsJson(r.results()));
        }
        Set<Long> stored = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE commands c SET status = v.status, "
                + "results = v.results::json, finishtime = ? "
                + "FROM unnest(?::numeric[], ?::text[], ?::text[]) AS v(id, status, results) "
                + "WHERE c.id = v.id AND c.status = 'sent' RETURNING c.id")) {
            Rows.time(ps, 1, now);
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            ps.setArray(3, c.createArrayOf("text", statuses.toArray()));
            ps.setArray(4, c.createArrayOf("text", results.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(Rows.id(rs, "id"));
                }
            }
        }
        return stored;
    }

    /** Whether the action has a command not final yet: a probe of the partial index on sent commands. */
    private static boolean hasSentCommands(Connection c, long actionId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT EXISTS (SELECT 1 FROM commands WHERE actionid = ? AND status = 'sent')")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static Map<Long, String> commandStatuses(Connection c, List<Long> ids) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT id, status FROM commands WHERE id = ANY(?::numeric[])")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Rows.id(rs, "id"), rs.getString("status"));
                }
            }
        }
        return out;
    }

    /** What {@link #expire} did. */
    public record Expiry(int expired, ActionCounters counters, boolean completed) {}

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
            throw new DatabaseException(
                    "expiring the commands of action " + actionId + " failed: " + e.getMessage(), e);
        }
    }

    private static Expiry expire(Connection c, long actionId, Instant now) throws SQLException {
        String status;
        Instant expireAfter;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT status, expireafter FROM actions WHERE id = ? FOR UPDATE")) {
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
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE commands SET status = 'expired', finishtime = ? " + "WHERE actionid = ? AND status = 'sent'")) {
            Rows.time(ps, 1, now);
            ps.setLong(2, actionId);
            expired = ps.executeUpdate();
        }
        ActionCounters counters = ActionStore.counters(c, actionId);
        return new Expiry(expired, counters, landIfDone(c, actionId, status, counters, now));
    }

    /** What {@link #cancel} did. */
    public enum CancelOutcome {
        /** no such action */
        NOT_FOUND,
        /** the caller did not sign the action */
        NOT_A_SIGNER,
        /** completed, invalid or already finished: nothing left to cancel */
        ALREADY_FINISHED,
        /** pending or scheduled: completed before any command was made */
        CANCELLED_BEFORE_DISPATCH,
        /** preparing or inflight: the commands still sent are cancelled */
        CANCELLED
    }

    /** The outcome, the commands cancelled, the action's counters and status afterwards. */
    public record Cancellation(CancelOutcome outcome, int cancelled, ActionCounters counters, String status) {}

    /**
     * Cancels what an action has not done yet (MIG for Java's own; the original had no way to stop
     * an action): commands still {@code sent} become {@code cancelled} (finish time now), so results
     * that arrive later are not stored and the dispatcher does not publish them; an action not
     * dispatched yet ({@code pending}, {@code scheduled}) is completed with no command. The action is
     * completed once no command is left sent. Locks the action row as the scheduler does.
     *
     * @param signerId the investigator asking; 0 skips the check that they signed the action
     */
    public Cancellation cancel(long actionId, long signerId, Instant now) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Cancellation out = cancel(c, actionId, signerId, now);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                Sql.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("cancelling action " + actionId + " failed: " + e.getMessage(), e);
        }
    }

    private static Cancellation cancel(Connection c, long actionId, long signerId, Instant now) throws SQLException {
        String status;
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM actions WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Cancellation(CancelOutcome.NOT_FOUND, 0, ActionCounters.EMPTY, "");
                }
                status = rs.getString("status");
            }
        }
        if (signerId != 0) {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT 1 FROM signatures WHERE actionid = ? AND investigatorid = ?")) {
                ps.setLong(1, actionId);
                ps.setLong(2, signerId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Cancellation(
                                CancelOutcome.NOT_A_SIGNER, 0, ActionStore.counters(c, actionId), status);
                    }
                }
            }
        }
        if ("pending".equals(status) || "scheduled".equals(status)) {
            land(c, actionId, true, now);
            return new Cancellation(
                    CancelOutcome.CANCELLED_BEFORE_DISPATCH, 0, ActionStore.counters(c, actionId), "completed");
        }
        if (!isOpen(status)) {
            return new Cancellation(CancelOutcome.ALREADY_FINISHED, 0, ActionStore.counters(c, actionId), status);
        }
        int cancelled;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE commands SET status = 'cancelled', finishtime = ? WHERE actionid = ? AND status = 'sent'")) {
            Rows.time(ps, 1, now);
            ps.setLong(2, actionId);
            cancelled = ps.executeUpdate();
        }
        ActionCounters counters = ActionStore.counters(c, actionId);
        boolean done = landIfDone(c, actionId, status, counters, now);
        return new Cancellation(CancelOutcome.CANCELLED, cancelled, counters, done ? "completed" : status);
    }

    private static boolean isOpen(String actionStatus) {
        return "preparing".equals(actionStatus) || "inflight".equals(actionStatus);
    }

    /**
     * Completes an open action once done == sent (finish and last update time now), else records
     * the progress in last update time, as the original's updateAction and landAction do.
     */
    private static boolean landIfDone(Connection c, long actionId, String status, ActionCounters counters, Instant now)
            throws SQLException {
        boolean done = isOpen(status) && counters.done() == counters.sent();
        land(c, actionId, done, now);
        return done;
    }

    /** Completes the action ({@code done}: finish and last update time now), or records progress. */
    private static void land(Connection c, long actionId, boolean done, Instant now) throws SQLException {
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
    }
}
