package mig.database.search;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditions of one search, with their values, built together so that placeholders and values
 * cannot drift apart. No condition means no WHERE at all: the original wrote {@code WHERE GROUP BY}
 * in that case and failed.
 */
final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /** Adds a condition whose {@code ?} placeholders take {@code params}, in order. */
    Where and(String condition, Object... params) {
        conditions.add(condition);
        values.addAll(List.of(params));
        return this;
    }

    /** Adds {@code EXISTS (<select> WHERE <link> AND <inner conditions>)} when {@code inner} has any. */
    Where andExists(String selectFrom, String link, Where inner) {
        return inner.isEmpty() ? this : andExistsAlways(selectFrom, link, inner);
    }

    /** Adds {@code EXISTS (<select> WHERE <link> [AND <inner conditions>])}, even without inner conditions. */
    Where andExistsAlways(String selectFrom, String link, Where inner) {
        conditions.add(
                "EXISTS (" + selectFrom + " WHERE " + link + (inner.isEmpty() ? "" : " AND " + inner.joined()) + ")");
        values.addAll(inner.values);
        return this;
    }

    boolean isEmpty() {
        return conditions.isEmpty();
    }

    /** {@code " WHERE a AND b"}, or the empty string. */
    String clause() {
        return conditions.isEmpty() ? "" : " WHERE " + joined();
    }

    private String joined() {
        return String.join(" AND ", conditions);
    }

    /** Binds the values from parameter 1; returns the next free parameter index. */
    int bind(PreparedStatement ps) throws SQLException {
        int i = 1;
        for (Object v : values) {
            if (v instanceof Instant t) {
                ps.setObject(i++, t.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setObject(i++, v);
            }
        }
        return i;
    }
}
