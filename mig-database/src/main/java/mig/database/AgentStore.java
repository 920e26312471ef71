package mig.database;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.GenId;
import mig.common.json.GoJson;
import mig.common.target.SqlFragment;
import mig.common.target.TargetQuery;

/**
 * Agents in the {@code agents} table: one row per agent process (queueloc + pid). Heartbeats from
 * either path (HTTP to the API, legacy AMQP to the scheduler) land in {@link #heartbeat}.
 */
public final class AgentStore {

    static final String COLUMNS = "id, name, queueloc, mode, version, pid, starttime, destructiontime, "
            + "heartbeattime, refreshtime, status, environment, tags, loadername";

    private final DataSource ds;

    public AgentStore(DataSource ds) {
        this.ds = ds;
    }

    /** The agent row with this id. */
    public Optional<Agent> get(long id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM agents WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading agent " + id + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Records a heartbeat (spec §6.4): the row of (queueloc, pid) that is not offline gets status
     * online and the new heartbeat time (and environment); without one, a new row is inserted.
     *
     * @return the agent row id
     */
    public long heartbeat(Agent hb, Instant now) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id = heartbeat(c, hb, now);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("recording heartbeat of " + hb.queueLoc() + " pid " + hb.pid() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static long heartbeat(Connection c, Agent hb, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM agents WHERE queueloc = ? AND pid = ? "
                + "AND status != 'offline' ORDER BY heartbeattime DESC LIMIT 1 FOR UPDATE")) {
            ps.setString(1, hb.queueLoc());
            ps.setInt(2, hb.pid());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long id = Rows.id(rs, "id");
                    try (PreparedStatement up = c.prepareStatement("UPDATE agents SET status = 'online', "
                            + "heartbeattime = ?, name = ?, mode = ?, version = ?, environment = ?::json, tags = ?::json "
                            + "WHERE id = ?")) {
                        Rows.time(up, 1, now);
                        up.setString(2, hb.name());
                        up.setString(3, hb.mode());
                        up.setString(4, hb.version());
                        up.setString(5, GoJson.marshal(hb.environment()));
                        up.setString(6, GoJson.marshal(hb.tags() == null ? Map.of() : hb.tags()));
                        up.setLong(7, id);
                        up.executeUpdate();
                    }
                    return id;
                }
            }
        }
        long id = GenId.next();
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO agents (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'online', ?::json, ?::json, "
                + "(SELECT loadername FROM loaders WHERE queueloc = ? LIMIT 1))")) {
            ins.setLong(1, id);
            ins.setString(2, hb.name());
            ins.setString(3, hb.queueLoc());
            ins.setString(4, hb.mode());
            ins.setString(5, hb.version());
            ins.setInt(6, hb.pid());
            Rows.time(ins, 7, now);
            Rows.time(ins, 8, mig.common.json.GoTime.FAR_FUTURE);
            Rows.time(ins, 9, now);
            Rows.time(ins, 10, hb.refreshTs().equals(mig.common.json.GoTime.ZERO) ? now : hb.refreshTs());
            ins.setString(11, GoJson.marshal(hb.environment()));
            ins.setString(12, GoJson.marshal(hb.tags() == null ? Map.of() : hb.tags()));
            ins.setString(13, hb.queueLoc());
            ins.executeUpdate();
        }
        return id;
    }

    /**
     * The agents a target selects (spec §6.3): online or idle, one per endpoint (queueloc). The
     * target is parsed and compiled to parameters, never pasted into SQL.
     *
     * @throws mig.common.target.TargetSyntaxException if the target is not allowed
     */
    public List<Agent> targeted(String target, int limit) {
        SqlFragment query = TargetQuery.agentsSql(target);
        try (Connection c = ds.getConnection()) {
            List<Agent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(query.sql() + (limit > 0 ? " LIMIT " + limit : ""))) {
                query.bind(ps);
                ps.setQueryTimeout(30);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("evaluating target '" + target + "' failed: " + e.getMessage(), e);
        }
    }

    /** Maps a row of {@link #COLUMNS}. */
    public static Agent read(ResultSet rs) throws SQLException {
        String env = rs.getString("environment");
        String tags = rs.getString("tags");
        return new Agent(Rows.id(rs, "id"), rs.getString("name"), rs.getString("queueloc"), rs.getString("mode"),
                rs.getString("version"), rs.getInt("pid"), rs.getString("loadername"), Rows.time(rs, "starttime"),
                Rows.time(rs, "destructiontime"), Rows.time(rs, "heartbeattime"), Rows.time(rs, "refreshtime"),
                rs.getString("status"), false, env == null ? null : GoJson.unmarshal(env, AgentEnv.class),
                tags == null || tags.equals("null") ? null
                        : GoJson.unmarshal(tags, new TypeReference<Map<String, String>>() { }));
    }
}
