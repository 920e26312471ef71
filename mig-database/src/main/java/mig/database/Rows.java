package mig.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import mig.common.json.GoJson;
import mig.common.json.GoTime;

/** Column conversions shared by the stores: times as {@link Instant}, JSON columns as text, ids as long. */
public final class Rows {
    private Rows() {}

    public static Instant time(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? GoTime.ZERO : t.toInstant();
    }

    public static void time(PreparedStatement ps, int idx, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(idx, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(idx, t.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    public static void json(PreparedStatement ps, int idx, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(idx, Types.OTHER);
        } else {
            ps.setObject(idx, GoJson.marshal(value), Types.OTHER);
        }
    }

    public static long id(ResultSet rs, String col) throws SQLException {
        java.math.BigDecimal d = rs.getBigDecimal(col);
        return d == null ? 0 : d.longValueExact();
    }
}
