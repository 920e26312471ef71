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
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.GenId;
import mig.common.json.GoJson;
import mig.common.target.SqlFragment;
import mig.common.target.TargetQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents in the {@code agents} table: one row per agent process (queueloc + pid). Heartbeats from
 * either path (HTTP to the API, legacy AMQP to the scheduler) land in {@link #heartbeat}.
 */
public final class AgentStore {

    private static final Logger LOG = LoggerFactory.getLogger(AgentStore.class);

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
     * online (a {@code destroyed} agent stays destroyed, as the original's {@code UpdateAgentHeartbeat}
     * says it should, so that its kill order is not issued again before three heartbeats) and the new heartbeat time (and the environment fields that change while an agent
     * runs); without one, a new row is inserted.
     *
     * <p>A heartbeat that claims the (queueloc, pid) of a row still online or idle but another
     * identity (name, mode, version, tags, or the environment's init, ident, os, arch) is refused
     * with {@link IdentityConflict}: none of these change while one agent process runs (a restarted
     * or upgraded agent has a new pid, so a new row), so such a heartbeat comes from someone else
     * who learnt the queueloc and pid, and used to rename or re-tag the real agent, changing which
     * targets select it. The original never rewrote these columns either (its
     * {@code UpdateAgentHeartbeat} sets only status and heartbeat time). Addresses, public IP,
     * proxy, AWS data and modules do change while an agent runs (a DHCP lease, a new NAT), so they
     * are still updated in place, as before, and logged when they change.
     *
     * @return the agent row id
     * @throws IdentityConflict if the row of (queueloc, pid) holds another identity
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
            throw new DatabaseException(
                    "recording heartbeat of " + hb.queueLoc() + " pid " + hb.pid() + " failed: " + e.getMessage(), e);
        }
    }

    private static long heartbeat(Connection c, Agent hb, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM agents WHERE queueloc = ? "
                + "AND pid = ? AND status != 'offline' ORDER BY heartbeattime DESC LIMIT 1 FOR UPDATE")) {
            ps.setString(1, hb.queueLoc());
            ps.setInt(2, hb.pid());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    Agent stored = read(rs);
                    String conflict = identityConflict(stored, hb);
                    if (conflict != null) {
                        throw new IdentityConflict(stored.id(), conflict);
                    }
                    AgentEnv env = hb.environment() == null ? AgentEnv.EMPTY : hb.environment();
                    if (!env.equals(stored.environment())) {
                        LOG.info(
                                "agent {} ({} pid {}) reported a new environment: addresses {} public IP '{}'",
                                stored.id(),
                                stored.queueLoc(),
                                stored.pid(),
                                env.addresses(),
                                env.publicIp());
                    }
                    try (PreparedStatement up = c.prepareStatement(
                            "UPDATE agents SET status = CASE status "
                                    + "WHEN 'destroyed' THEN 'destroyed' ELSE 'online' END, heartbeattime = ?, environment = ?::json WHERE id = ?")) {
                        Rows.time(up, 1, now);
                        up.setString(2, GoJson.marshal(hb.environment()));
                        up.setLong(3, stored.id());
                        up.executeUpdate();
                    }
                    return stored.id();
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

    /** What differs between the stored agent and a heartbeat for the same process, or null. */
    static String identityConflict(Agent stored, Agent hb) {
        if (!Objects.equals(stored.name(), hb.name())) {
            return "name '" + stored.name() + "'";
        }
        if (!Objects.equals(stored.mode(), hb.mode())) {
            return "mode '" + stored.mode() + "'";
        }
        if (!Objects.equals(stored.version(), hb.version())) {
            return "version '" + stored.version() + "'";
        }
        Map<String, String> storedTags = stored.tags() == null ? Map.of() : stored.tags();
        Map<String, String> tags = hb.tags() == null ? Map.of() : hb.tags();
        if (!storedTags.equals(tags)) {
            return "other tags";
        }
        AgentEnv was = stored.environment() == null ? AgentEnv.EMPTY : stored.environment();
        AgentEnv is = hb.environment() == null ? AgentEnv.EMPTY : hb.environment();
        if (!was.init().equals(is.init())
                || !was.ident().equals(is.ident())
                || !was.os().equals(is.os())
                || !was.arch().equals(is.arch())) {
            return "another environment (init, ident, os or arch)";
        }
        return null;
    }

    /**
     * A heartbeat claimed the (queueloc, pid) of an agent that is not offline with another
     * identity: refused, the stored row is unchanged.
     */
    public static final class IdentityConflict extends RuntimeException {
        private final long agentId;

        IdentityConflict(long agentId, String storedAs) {
            super("agent " + agentId + " with this queueloc and pid is already online with " + storedAs);
            this.agentId = agentId;
        }

        public long agentId() {
            return agentId;
        }
    }

    /**
     * The original's {@code ActiveAgentsByQueue}: the agents of {@code queueLoc} heartbeating since
     * {@code since} and not offline (destroyed ones included), oldest start first. Unlike the
     * original's query it reads {@code destructiontime}, which its kill-order check needs.
     */
    public List<Agent> activeByQueue(String queueLoc, Instant since) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM agents WHERE heartbeattime > ? "
                        + "AND queueloc = ? AND status != 'offline' ORDER BY starttime, id")) {
            Rows.time(ps, 1, since);
            ps.setString(2, queueLoc);
            List<Agent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("finding the agents of " + queueLoc + " failed: " + e.getMessage(), e);
        }
    }

    /** The original's {@code MarkAgentDestroyed}: status {@code destroyed}, destruction time {@code when}. */
    public void markDestroyed(long agentId, Instant when) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE agents SET destructiontime = ?, status = 'destroyed' WHERE id = ?")) {
            Rows.time(ps, 1, when);
            ps.setLong(2, agentId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("marking agent " + agentId + " destroyed failed: " + e.getMessage(), e);
        }
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
        return new Agent(
                Rows.id(rs, "id"),
                rs.getString("name"),
                rs.getString("queueloc"),
                rs.getString("mode"),
                rs.getString("version"),
                rs.getInt("pid"),
                rs.getString("loadername"),
                Rows.time(rs, "starttime"),
                Rows.time(rs, "destructiontime"),
                Rows.time(rs, "heartbeattime"),
                Rows.time(rs, "refreshtime"),
                rs.getString("status"),
                false,
                env == null ? null : GoJson.unmarshal(env, AgentEnv.class),
                tags == null || tags.equals("null")
                        ? null
                        : GoJson.unmarshal(tags, new TypeReference<Map<String, String>>() {}));
    }
}
