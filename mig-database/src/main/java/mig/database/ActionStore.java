package mig.database;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Description;
import mig.common.Investigator;
import mig.common.Operation;
import mig.common.Threat;
import mig.common.json.GoJson;

/**
 * Actions and their signatures in the {@code actions} and {@code signatures} tables. Counters are
 * never stored: they are computed from {@code commands} on every read, as in the original.
 */
public final class ActionStore {

    /** The columns {@link #read} maps, in the original's order. */
    public static final String COLUMNS = "id, name, target, description, threat, operations, validfrom, expireafter, "
            + "starttime, finishtime, lastupdatetime, status, pgpsignatures, syntaxversion";

    private final DataSource ds;
    private final InvestigatorStore investigators;

    public ActionStore(DataSource ds) {
        this.ds = ds;
        this.investigators = new InvestigatorStore(ds);
    }

    /** A signer of an action: who (investigators.id) and the signature they made. */
    public record Signer(long investigatorId, String signature) {}

    /**
     * Inserts a new action and one {@code signatures} row per signer in one transaction
     * (the API's action create).
     */
    public void insert(Action a, List<Signer> signers) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                insert(c, a);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO signatures (actionid, investigatorid, pgpsignature) VALUES (?, ?, ?)")) {
                    for (Signer s : signers) {
                        ps.setLong(1, a.id());
                        ps.setLong(2, s.investigatorId());
                        ps.setString(3, s.signature());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("inserting action " + a.id() + " failed: " + e.getMessage(), e);
        }
    }

    static void insert(Connection c, Action a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO actions (" + COLUMNS
                + ") VALUES (?, ?, ?, ?::json, ?::json, ?::json, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, a.id());
            ps.setString(2, a.name());
            ps.setString(3, a.target());
            ps.setString(4, GoJson.marshal(a.description()));
            ps.setString(5, GoJson.marshal(a.threat()));
            ps.setString(6, GoJson.marshal(a.operations()));
            Rows.time(ps, 7, a.validFrom());
            Rows.time(ps, 8, a.expireAfter());
            Rows.time(ps, 9, a.startTime());
            Rows.time(ps, 10, a.finishTime());
            Rows.time(ps, 11, a.lastUpdateTime());
            ps.setString(12, a.status());
            ps.setString(13, GoJson.marshal(a.pgpSignatures() == null ? List.of() : a.pgpSignatures()));
            ps.setInt(14, a.syntaxVersion());
            ps.executeUpdate();
        }
    }

    /** The action with its investigators and counters, as {@code GET /action} shows it. */
    public Optional<Action> get(long id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM actions WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Action a = read(rs);
                return Optional.of(complete(c, a));
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading action " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** Adds the investigators who signed it and the counters computed from its commands. */
    Action complete(Connection c, Action a) throws SQLException {
        List<Investigator> invs = investigators.signersOf(c, a.id());
        return a.withProgress(
                a.status(),
                a.startTime(),
                a.finishTime(),
                a.lastUpdateTime(),
                counters(c, a.id()),
                invs.isEmpty() ? null : invs);
    }

    /** The last {@code n} actions by start time, newest first, with investigators and counters (dashboard). */
    public List<Action> latest(int n) {
        List<Action> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM actions ORDER BY starttime DESC NULLS LAST LIMIT ?")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            List<Action> completed = new ArrayList<>(out.size());
            for (Action a : out) {
                completed.add(complete(c, a));
            }
            return completed;
        } catch (SQLException e) {
            throw new DatabaseException("reading the latest actions failed: " + e.getMessage(), e);
        }
    }

    /** Counters of an action (spec §1.3). */
    public ActionCounters counters(long actionId) {
        try (Connection c = ds.getConnection()) {
            return counters(c, actionId);
        } catch (SQLException e) {
            throw new DatabaseException("counting commands of action " + actionId + " failed: " + e.getMessage(), e);
        }
    }

    /** Counters of an action inside the caller's transaction (spec §1.3). */
    public static ActionCounters counters(Connection c, long actionId) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT status, COUNT(id) FROM commands WHERE actionid = ? GROUP BY status")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return ActionCounters.fromStatusCounts(counts);
    }

    /** Maps a row of {@link #COLUMNS} to an action (no investigators, no counters). */
    public static Action read(ResultSet rs) throws SQLException {
        String ops = rs.getString("operations");
        String sigs = rs.getString("pgpsignatures");
        String desc = rs.getString("description");
        String threat = rs.getString("threat");
        Instant validFrom = Rows.time(rs, "validfrom");
        Instant expireAfter = Rows.time(rs, "expireafter");
        return new Action(
                Rows.id(rs, "id"),
                rs.getString("name"),
                rs.getString("target"),
                desc == null ? null : GoJson.unmarshal(desc, Description.class),
                threat == null ? null : GoJson.unmarshal(threat, Threat.class),
                validFrom,
                expireAfter,
                ops == null ? null : GoJson.unmarshal(ops, new TypeReference<List<Operation>>() {}),
                sigs == null ? null : GoJson.unmarshal(sigs, new TypeReference<List<String>>() {}),
                null,
                rs.getString("status"),
                Rows.time(rs, "starttime"),
                Rows.time(rs, "finishtime"),
                Rows.time(rs, "lastupdatetime"),
                null,
                rs.getInt("syntaxversion"));
    }
}
