package mig.database.search;

import com.fasterxml.jackson.core.type.TypeReference;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import mig.common.Action;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.AgentsStats;
import mig.common.Command;
import mig.common.Investigator;
import mig.common.InvestigatorPerms;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.DatabaseException;

/**
 * The API's searches ({@code GET /search}), one method per search type, with the original's filters,
 * ordering and paging ({@code database/searches.go}) and the same fields filled in each result, so
 * that the JSON the API returns has the original's shape.
 *
 * <p>Two bugs of the original are fixed without changing what a working search returns: a search
 * with no effective filter no longer builds {@code WHERE GROUP BY} (it failed), and the action status
 * filter reads {@code actions.status} (the original's {@code action.status} failed). Joins the
 * original made for filtering are {@code EXISTS} sub-queries here, so no row is listed twice.
 *
 * <p>Every value is a bound parameter; string filters are {@code ILIKE} patterns as in the original.
 * The {@code after}/{@code before} window only filters when set inside the default window (the
 * original's rule), so the defaults cost nothing.
 */
public final class Searches {

    private static final String ACTION_COLUMNS = "a.id, a.name, a.target, a.description, a.threat, a.operations, "
            + "a.validfrom, a.expireafter, a.starttime, a.finishtime, a.lastupdatetime, a.status, a.pgpsignatures, "
            + "a.syntaxversion";

    private final DataSource ds;
    private final Clock clock;
    private final ActionStore actions;

    public Searches(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
        this.actions = new ActionStore(ds);
    }

    /**
     * Actions, newest {@code validfrom} first, each with its counters and signers (as
     * {@code GET /action} shows them).
     */
    public List<Action> actions(SearchParameters p) {
        Window w = window(p);
        Where where = new Where();
        if (w.before) {
            where.and("a.expireafter <= ?", p.before());
        }
        if (w.after) {
            where.and("a.validfrom >= ?", p.after());
        }
        actionFilters(where, p, true);
        where.andExists(
                "SELECT 1 FROM signatures s JOIN investigators i ON i.id = s.investigatorid",
                "s.actionid = a.id",
                investigatorFilters(new Where(), p));
        where.andExists(
                "SELECT 1 FROM commands c JOIN agents ag ON ag.id = c.agentid",
                "c.actionid = a.id",
                agentFilters(commandIdFilter(new Where(), p), p));
        String sql = "SELECT a.id FROM actions a" + where.clause()
                + " ORDER BY a.validfrom DESC, a.id DESC LIMIT ? OFFSET ?";
        List<Action> out = new ArrayList<>();
        for (long id : ids(sql, where, p)) {
            actions.get(id).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Commands, newest first, each with its action (without the action's progress fields, but with its
     * counters and signers) and its agent's id, name, version, environment and tags, as the original
     * lists them.
     *
     * @param filterFoundAnything true when the caller gave {@code foundanything}: then only successful
     *                            commands with a result whose {@code foundanything} equals it match
     */
    public List<Command> commands(SearchParameters p, boolean filterFoundAnything) {
        Window w = window(p);
        Where where = new Where();
        if (w.before) {
            where.and("c.starttime <= ?", p.before());
        }
        if (w.after) {
            where.and("c.starttime >= ?", p.after());
        }
        commandIdFilter(where, p);
        if (!p.status().equals(SearchParameters.ANY)) {
            where.and("c.status ILIKE ?", p.status());
        }
        actionFilters(where, p, false);
        agentFilters(where, p);
        if (filterFoundAnything) {
            where.and(
                    "c.status = 'success' AND EXISTS (SELECT 1 FROM json_array_elements(CASE WHEN "
                            + "json_typeof(c.results) = 'array' THEN c.results ELSE '[]'::json END) r "
                            + "WHERE r->>'foundanything' = ?)",
                    Boolean.toString(p.foundAnything()));
        }
        // As in the original, a command is listed only if its action has a signer (it always has one).
        where.andExistsAlways(
                "SELECT 1 FROM signatures s JOIN investigators i ON i.id = s.investigatorid",
                "s.actionid = a.id",
                investigatorFilters(new Where(), p));
        String sql = "SELECT c.id AS cid, c.status AS cstatus, c.results, c.starttime AS cstart, "
                + "c.finishtime AS cfinish, " + ACTION_COLUMNS + ", ag.id AS agid, ag.name AS agname, "
                + "ag.version AS agversion, ag.tags AS agtags, ag.environment AS agenv "
                + "FROM commands c JOIN actions a ON a.id = c.actionid JOIN agents ag ON ag.id = c.agentid"
                + where.clause() + " ORDER BY c.starttime DESC, c.id DESC LIMIT ? OFFSET ?";
        Map<Long, Action> progress = new HashMap<>();
        return query(sql, where, p, rs -> {
            Action a = ActionStore.read(rs);
            Action known =
                    progress.computeIfAbsent(a.id(), id -> actions.get(id).orElse(a));
            Action listed =
                    a.withProgress("", GoTime.ZERO, GoTime.ZERO, GoTime.ZERO, known.counters(), known.investigators());
            Agent agent = new Agent(
                    id(rs, "agid"),
                    rs.getString("agname"),
                    "",
                    "",
                    rs.getString("agversion"),
                    0,
                    "",
                    null,
                    null,
                    null,
                    null,
                    "",
                    false,
                    env(rs.getString("agenv")),
                    tags(rs.getString("agtags")));
            String results = rs.getString("results");
            List<ModuleResult> parsed =
                    results == null ? null : GoJson.unmarshal(results, new TypeReference<List<ModuleResult>>() {});
            return new Command(
                    id(rs, "cid"),
                    listed,
                    agent,
                    rs.getString("cstatus"),
                    parsed,
                    time(rs, "cstart"),
                    time(rs, "cfinish"));
        });
    }

    /**
     * Agents, latest heartbeat first, with the fields the original's agent search fills (no refresh
     * time, no loader name). For {@code target=} searches use {@link AgentStore#targeted} instead.
     */
    public List<Agent> agents(SearchParameters p) {
        Window w = window(p);
        Where where = new Where();
        if (w.before) {
            where.and("ag.heartbeattime <= ?", p.before());
        }
        if (w.after) {
            where.and("ag.heartbeattime >= ?", p.after());
        }
        agentFilters(where, p);
        if (!p.status().equals(SearchParameters.ANY)) {
            where.and("ag.status ILIKE ?", p.status());
        }
        Where viaCommands = commandIdFilter(new Where(), p);
        actionFilters(viaCommands, p, false);
        Where signers = investigatorFilters(new Where(), p);
        where.andExists(
                "SELECT 1 FROM commands c JOIN actions a ON a.id = c.actionid",
                "c.agentid = ag.id",
                viaCommands.andExists(
                        "SELECT 1 FROM signatures s JOIN investigators i ON i.id = s.investigatorid",
                        "s.actionid = a.id",
                        signers));
        String sql = "SELECT ag.id, ag.name, ag.queueloc, ag.mode, ag.version, ag.pid, ag.starttime, "
                + "ag.destructiontime, ag.heartbeattime, NULL::timestamptz AS refreshtime, ag.status, ag.environment, "
                + "ag.tags, NULL::varchar AS loadername FROM agents ag" + where.clause()
                + " ORDER BY ag.heartbeattime DESC, ag.id DESC LIMIT ? OFFSET ?";
        return query(sql, where, p, AgentStore::read);
    }

    /** Investigators by id, without keys (no public key, no API key marker), as the original lists them. */
    public List<Investigator> investigators(SearchParameters p) {
        Window w = window(p);
        Where where = new Where();
        if (w.before) {
            where.and("i.lastmodified <= ?", p.before());
        }
        if (w.after) {
            where.and("i.lastmodified >= ?", p.after());
        }
        investigatorFilters(where, p);
        if (!p.status().equals(SearchParameters.ANY)) {
            where.and("i.status ILIKE ?", p.status());
        }
        Where viaActions = actionFilters(new Where(), p, false);
        Where viaCommands = agentFilters(commandIdFilter(new Where(), p), p);
        viaActions.andExists(
                "SELECT 1 FROM commands c JOIN agents ag ON ag.id = c.agentid", "c.actionid = a.id", viaCommands);
        where.andExists(
                "SELECT 1 FROM signatures s JOIN actions a ON a.id = s.actionid",
                "s.investigatorid = i.id",
                viaActions);
        String sql = "SELECT i.id, i.name, COALESCE(i.pgpfingerprint, '') AS pgpfingerprint, i.status, i.createdat, "
                + "i.lastmodified, i.permissions FROM investigators i" + where.clause()
                + " ORDER BY i.id ASC LIMIT ? OFFSET ?";
        return query(
                sql,
                where,
                p,
                rs -> new Investigator(
                        id(rs, "id"),
                        rs.getString("name"),
                        rs.getString("pgpfingerprint"),
                        null,
                        null,
                        rs.getString("status"),
                        time(rs, "createdat"),
                        time(rs, "lastmodified"),
                        "",
                        InvestigatorPerms.fromMask(rs.getLong("permissions"))));
    }

    /** Manifests, newest first, without content or signatures. */
    public List<ManifestRecord> manifests(SearchParameters p) {
        Window w = window(p);
        Where where = new Where();
        if (w.before) {
            where.and("m.timestamp <= ?", p.before());
        }
        if (w.after) {
            where.and("m.timestamp >= ?", p.after());
        }
        if (!p.manifestName().equals(SearchParameters.ANY)) {
            where.and("m.name ILIKE ?", p.manifestName());
        }
        if (!p.manifestId().equals(SearchParameters.ANY_ID)) {
            where.and("m.id = ?", SearchRequest.idValue("manifestid", p.manifestId()));
        }
        if (!p.status().equals(SearchParameters.ANY)) {
            where.and("m.status ILIKE ?", p.status());
        }
        String sql = "SELECT m.id, m.name, m.status, m.target, m.timestamp FROM manifests m" + where.clause()
                + " ORDER BY m.timestamp DESC, m.id DESC LIMIT ? OFFSET ?";
        return query(
                sql,
                where,
                p,
                rs -> new ManifestRecord(
                        id(rs, "id"),
                        rs.getString("name"),
                        "",
                        time(rs, "timestamp"),
                        rs.getString("status"),
                        rs.getString("target"),
                        null));
    }

    /** Loaders by loader name, without keys. */
    public List<LoaderEntry> loaders(SearchParameters p) {
        Window w = window(p);
        Where where = new Where();
        if (w.before) {
            where.and("l.lastseen <= ?", p.before());
        }
        if (w.after) {
            where.and("l.lastseen >= ?", p.after());
        }
        if (!p.loaderName().equals(SearchParameters.ANY)) {
            where.and("l.loadername ILIKE ?", p.loaderName());
        }
        if (!p.agentName().equals(SearchParameters.ANY)) {
            where.and("l.name ILIKE ?", p.agentName());
        }
        if (!p.loaderId().equals(SearchParameters.ANY_ID)) {
            where.and("l.id = ?", SearchRequest.idValue("loaderid", p.loaderId()));
        }
        String sql = "SELECT l.id, l.loadername, l.name, l.lastseen, l.enabled FROM loaders l" + where.clause()
                + " ORDER BY l.loadername, l.id LIMIT ? OFFSET ?";
        return query(sql, where, p, rs -> {
            String agentName = rs.getString("name");
            return new LoaderEntry(
                    id(rs, "id"),
                    rs.getString("loadername"),
                    "",
                    "",
                    agentName == null ? "unset" : agentName,
                    time(rs, "lastseen"),
                    rs.getBoolean("enabled"),
                    "");
        });
    }

    /** The latest row of {@code agents_stats}, if the scheduler has written one (the dashboard's summary). */
    public Optional<AgentsStats> latestAgentsStats() {
        String sql = "SELECT timestamp, online_agents, online_agents_by_version, online_endpoints, idle_agents, "
                + "idle_agents_by_version, idle_endpoints, new_endpoints, multi_agents_endpoints, "
                + "disappeared_endpoints, flapping_endpoints FROM agents_stats ORDER BY timestamp DESC LIMIT 1";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new AgentsStats(
                    time(rs, "timestamp"),
                    rs.getDouble("online_agents"),
                    versions(rs.getString("online_agents_by_version")),
                    rs.getDouble("online_endpoints"),
                    rs.getDouble("idle_agents"),
                    versions(rs.getString("idle_agents_by_version")),
                    rs.getDouble("idle_endpoints"),
                    rs.getDouble("new_endpoints"),
                    rs.getDouble("multi_agents_endpoints"),
                    rs.getDouble("disappeared_endpoints"),
                    rs.getDouble("flapping_endpoints")));
        } catch (SQLException e) {
            throw new DatabaseException("reading the latest agent statistics failed: " + e.getMessage(), e);
        }
    }

    // ---- filters shared by several search types ----

    /** Filters on the action ({@code a}): id, name, threat family, and status when it is the action's. */
    private static Where actionFilters(Where where, SearchParameters p, boolean statusIsTheAction) {
        if (statusIsTheAction && !p.status().equals(SearchParameters.ANY)) {
            where.and("a.status ILIKE ?", p.status());
        }
        if (!p.actionId().equals(SearchParameters.ANY_ID)) {
            where.and("a.id = ?", SearchRequest.idValue("actionid", p.actionId()));
        }
        if (!p.actionName().equals(SearchParameters.ANY)) {
            where.and("a.name ILIKE ?", p.actionName());
        }
        if (!p.threatFamily().equals(SearchParameters.ANY)) {
            where.and("a.threat->>'family' ILIKE ?", p.threatFamily());
        }
        return where;
    }

    /** Filters on the agent ({@code ag}): id, name, version. */
    private static Where agentFilters(Where where, SearchParameters p) {
        if (!p.agentId().equals(SearchParameters.ANY_ID)) {
            where.and("ag.id = ?", SearchRequest.idValue("agentid", p.agentId()));
        }
        if (!p.agentName().equals(SearchParameters.ANY)) {
            where.and("ag.name ILIKE ?", p.agentName());
        }
        if (!p.agentVersion().equals(SearchParameters.ANY)) {
            where.and("ag.version ILIKE ?", p.agentVersion());
        }
        return where;
    }

    /** Filters on the signing investigator ({@code i}): id, name. */
    private static Where investigatorFilters(Where where, SearchParameters p) {
        if (!p.investigatorId().equals(SearchParameters.ANY_ID)) {
            where.and("i.id = ?", SearchRequest.idValue("investigatorid", p.investigatorId()));
        }
        if (!p.investigatorName().equals(SearchParameters.ANY)) {
            where.and("i.name ILIKE ?", p.investigatorName());
        }
        return where;
    }

    private static Where commandIdFilter(Where where, SearchParameters p) {
        if (!p.commandId().equals(SearchParameters.ANY_ID)) {
            where.and("c.id = ?", SearchRequest.idValue("commandid", p.commandId()));
        }
        return where;
    }

    // ---- plumbing ----

    /** Which ends of the time window filter: only those set inside the default window, as in the original. */
    private record Window(boolean before, boolean after) {}

    private Window window(SearchParameters p) {
        Instant now = clock.instant();
        java.time.Duration inner = SearchParameters.DEFAULT_WINDOW.minusHours(1);
        return new Window(p.before().isBefore(now.plus(inner)), p.after().isAfter(now.minus(inner)));
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Where where, SearchParameters p, RowReader<T> reader) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int next = where.bind(ps);
            ps.setLong(next, p.limit());
            ps.setLong(next + 1, p.offset());
            ps.setQueryTimeout(60);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("search type=" + p.type() + " failed: " + e.getMessage(), e);
        }
    }

    private List<Long> ids(String sql, Where where, SearchParameters p) {
        return query(sql, where, p, rs -> id(rs, "id"));
    }

    private static long id(ResultSet rs, String col) throws SQLException {
        BigDecimal d = rs.getBigDecimal(col);
        return d == null ? 0 : d.longValueExact();
    }

    private static Instant time(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? GoTime.ZERO : t.toInstant();
    }

    private static AgentEnv env(String json) {
        return json == null ? null : GoJson.unmarshal(json, AgentEnv.class);
    }

    private static Map<String, String> tags(String json) {
        return json == null || json.equals("null")
                ? null
                : GoJson.unmarshal(json, new TypeReference<Map<String, String>>() {});
    }

    private static List<AgentsStats.VersionCount> versions(String json) {
        return json == null || json.equals("null")
                ? null
                : GoJson.unmarshal(json, new TypeReference<List<AgentsStats.VersionCount>>() {});
    }
}
