package mig.common.target;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * SQL text with JDBC {@code ?} placeholders and the values for them, in order. SQL and values are
 * produced together by one walk of the target tree, so they cannot drift apart; the constructor
 * checks that the placeholder count (outside quoted literals) matches the value count.
 *
 * @param sql the SQL text; its only literals are fixed strings written in this package
 * @param params the parameter values: String, Long, Integer, BigDecimal or Boolean, never null
 */
public record SqlFragment(String sql, List<Object> params) {

    public SqlFragment {
        Objects.requireNonNull(sql, "sql");
        params = List.copyOf(params);
        int placeholders = placeholders(sql);
        if (placeholders != params.size()) {
            throw new IllegalArgumentException(
                    "SQL has " + placeholders + " placeholders but " + params.size() + " parameters: " + sql);
        }
    }

    /**
     * Binds {@link #params()} to {@code statement}, starting at parameter 1.
     *
     * @throws SQLException as thrown by the driver
     */
    public void bind(PreparedStatement statement) throws SQLException {
        for (int k = 0; k < params.size(); k++) {
            statement.setObject(k + 1, params.get(k));
        }
    }

    private static int placeholders(String sql) {
        int count = 0;
        boolean quoted = false;
        for (int k = 0; k < sql.length(); k++) {
            char c = sql.charAt(k);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '?' && !quoted) {
                count++;
            }
        }
        return count;
    }
}
