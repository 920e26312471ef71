package mig.standalone.badinput;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A digest of every row of MIG's tables: two equal snapshots mean no row was inserted, changed or
 * deleted in between. A bad input test takes one before its corpus and one after.
 */
record RowSnapshot(Map<String, String> digests) {

    static final List<String> TABLES = List.of(
            "actions", "commands", "agents", "investigators", "signatures", "agents_stats", "loaders", "manifests");

    static RowSnapshot of(DataSource ds) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "
                        + "ORDER BY t::text)), '') FROM " + table + " t")) {
                    rs.next();
                    out.put(table, rs.getString(1));
                }
            }
        }
        return new RowSnapshot(out);
    }
}
