package mig.database.scheduling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import mig.common.AgentsStats;
import mig.common.json.GoJson;
import mig.database.DatabaseException;
import mig.database.Rows;

/**
 * The periodic agent bookkeeping of spec §6.4, as the original's queries: online agents that
 * stopped heartbeating become idle, idle ones past the timeout offline, and one
 * {@code agents_stats} row is written per run.
 */
public final class AgentUpkeep {

    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration WEEK = Duration.ofDays(7);

    private final DataSource ds;

    public AgentUpkeep(DataSource ds) {
        this.ds = ds;
    }

    /** idle agents whose last heartbeat is before {@code before} become offline; returns how many. */
    public int markOffline(Instant before) {
        return mark("offline", "idle", before);
    }

    /** online agents whose last heartbeat is before {@code before} become idle; returns how many. */
    public int markIdle(Instant before) {
        return mark("idle", "online", before);
    }

    private int mark(String to, String from, Instant before) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("UPDATE agents SET status = ? WHERE heartbeattime < ? AND status = ?")) {
            ps.setString(1, to);
            Rows.time(ps, 2, before);
            ps.setString(3, from);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("marking " + from + " agents " + to + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Counts agents and endpoints as of {@code now}: online and idle agents by version (idle ones
     * only on endpoints without an online agent), online and idle endpoints, new endpoints (started
     * in the last 24 h, not seen 7 days to 24 h ago), endpoints with several online agents,
     * endpoints seen in the last 7 days without an online or idle agent, and flapping endpoints
     * (several online or idle rows).
     */
    public AgentsStats compute(Instant now) {
        try (Connection c = ds.getConnection()) {
            List<AgentsStats.VersionCount> online = byVersion(
                    c,
                    "SELECT version, COUNT(*) FROM agents "
                            + "WHERE status = 'online' GROUP BY version ORDER BY version");
            List<AgentsStats.VersionCount> idle = byVersion(
                    c,
                    "SELECT version, COUNT(*) FROM agents "
                            + "WHERE status = 'idle' AND queueloc NOT IN "
                            + "(SELECT DISTINCT queueloc FROM agents WHERE status = 'online') GROUP BY version ORDER BY version");
            long onlineEndpoints = count(c, "SELECT COUNT(DISTINCT queueloc) FROM agents WHERE status = 'online'");
            long idleEndpoints = count(
                    c,
                    "SELECT COUNT(DISTINCT queueloc) FROM agents WHERE status = 'idle' "
                            + "AND queueloc NOT IN (SELECT queueloc FROM agents WHERE status = 'online')");
            long newEndpoints = count(
                    c,
                    "SELECT COUNT(DISTINCT queueloc) FROM agents WHERE starttime > ? "
                            + "AND queueloc NOT IN (SELECT queueloc FROM agents WHERE heartbeattime > ? "
                            + "AND heartbeattime < ?)",
                    now.minus(DAY),
                    now.minus(WEEK),
                    now.minus(DAY));
            long multi = count(
                    c,
                    "SELECT COUNT(*) FROM (SELECT queueloc FROM agents WHERE status = 'online' "
                            + "GROUP BY queueloc HAVING COUNT(*) > 1) AS multi");
            long disappeared = count(
                    c,
                    "SELECT COUNT(DISTINCT queueloc) FROM agents WHERE heartbeattime > ? "
                            + "AND queueloc NOT IN (SELECT queueloc FROM agents WHERE status IN ('online', 'idle'))",
                    now.minus(WEEK));
            long flapping = count(
                    c,
                    "SELECT COUNT(*) FROM (SELECT queueloc FROM agents "
                            + "WHERE status IN ('online', 'idle') GROUP BY queueloc HAVING COUNT(*) > 1) AS flapping");
            return new AgentsStats(
                    now,
                    sum(online),
                    online,
                    onlineEndpoints,
                    sum(idle),
                    idle,
                    idleEndpoints,
                    newEndpoints,
                    multi,
                    disappeared,
                    flapping);
        } catch (SQLException e) {
            throw new DatabaseException("computing agent statistics failed: " + e.getMessage(), e);
        }
    }

    /** Inserts one {@code agents_stats} row; an empty by-version list is stored as JSON null, as Go's nil slice. */
    public void store(AgentsStats s) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO agents_stats (timestamp, online_agents, "
                        + "online_agents_by_version, online_endpoints, idle_agents, idle_agents_by_version, "
                        + "idle_endpoints, new_endpoints, multi_agents_endpoints, disappeared_endpoints, "
                        + "flapping_endpoints) VALUES (?, ?, ?::json, ?, ?, ?::json, ?, ?, ?, ?, ?)")) {
            Rows.time(ps, 1, s.timestamp());
            ps.setDouble(2, s.onlineAgents());
            ps.setString(3, versions(s.onlineAgentsByVersion()));
            ps.setDouble(4, s.onlineEndpoints());
            ps.setDouble(5, s.idleAgents());
            ps.setString(6, versions(s.idleAgentsByVersion()));
            ps.setDouble(7, s.idleEndpoints());
            ps.setDouble(8, s.newEndpoints());
            ps.setDouble(9, s.multiAgentsEndpoints());
            ps.setDouble(10, s.disappearedEndpoints());
            ps.setDouble(11, s.flappingEndpoints());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("storing agent statistics failed: " + e.getMessage(), e);
        }
    }

    /** Endpoints with more than one non-checkin agent heartbeating since {@code since} (duplicate agents). */
    public List<String> multiAgentQueues(Instant since) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT queueloc FROM agents WHERE heartbeattime > ? "
                        + "AND mode != 'checkin' AND status != 'offline' GROUP BY queueloc HAVING COUNT(*) > 1 "
                        + "ORDER BY queueloc")) {
            Rows.time(ps, 1, since);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("listing endpoints with several agents failed: " + e.getMessage(), e);
        }
    }

    private static String versions(List<AgentsStats.VersionCount> list) {
        return list.isEmpty() ? "null" : GoJson.marshal(list);
    }

    private static double sum(List<AgentsStats.VersionCount> list) {
        return list.stream().mapToDouble(AgentsStats.VersionCount::count).sum();
    }

    private static List<AgentsStats.VersionCount> byVersion(Connection c, String sql) throws SQLException {
        List<AgentsStats.VersionCount> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AgentsStats.VersionCount(rs.getString(1) == null ? "" : rs.getString(1), rs.getLong(2)));
            }
        }
        return out;
    }

    private static long count(Connection c, String sql, Instant... times) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < times.length; i++) {
                ps.setObject(i + 1, times[i].atOffset(java.time.ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
