package mig.database.scheduling;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import mig.common.ActionCounters;
import mig.common.json.GoTime;

/** Column conversions and small queries shared by the scheduling stores. */
final class Sql {

    /** Columns of {@code actions} in the order {@link mig.database.ActionStore#read} expects by name. */
    static final String ACTION_COLUMNS = "id, name, target, description, threat, operations, validfrom, "
            + "expireafter, starttime, finishtime, lastupdatetime, status, pgpsignatures, syntaxversion";

    /** Columns of {@code agents} as {@link mig.database.AgentStore#read} reads them by name. */
    static final String AGENT_COLUMNS = "ag.id, ag.name, ag.queueloc, ag.mode, ag.version, ag.pid, ag.starttime, "
            + "ag.destructiontime, ag.heartbeattime, ag.refreshtime, ag.status, ag.environment, ag.tags, "
            + "ag.loadername";

    private Sql() {
    }

    static Instant time(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? GoTime.ZERO : t.toInstant();
    }

    static void time(PreparedStatement ps, int idx, Instant t) throws SQLException {
        ps.setObject(idx, t.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    static long id(ResultSet rs, String col) throws SQLException {
        BigDecimal d = rs.getBigDecimal(col);
        return d == null ? 0 : d.longValueExact();
    }

    /** Counters of one action (spec §1.3), read inside the caller's transaction. */
    static ActionCounters counters(Connection c, long actionId) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status, COUNT(id) FROM commands WHERE actionid = ? GROUP BY status")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return ActionCounters.fromStatusCounts(counts);
    }

    /** Rolls back, keeping the first failure as the one reported. */
    static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
