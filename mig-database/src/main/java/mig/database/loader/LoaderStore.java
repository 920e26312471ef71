package mig.database.loader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import mig.common.Agent;
import mig.common.json.GoJson;
import mig.database.DatabaseException;
import mig.database.Rows;
import mig.database.search.LoaderEntry;

/** The {@code loaders} table, with the original's queries (database/loader.go), targets compiled safely. */
public final class LoaderStore {
    private final DataSource ds;

    public LoaderStore(DataSource ds) {
        this.ds = ds;
    }

    /** What authenticates a loader key: the hashed key part and its salt, for an enabled loader. */
    public record AuthDetails(long id, byte[] hash, byte[] salt) {}

    /** The enabled loader whose key starts with {@code prefix}. */
    public Optional<AuthDetails> authDetails(String prefix) {
        return query(
                        "SELECT id, salt, loaderkey FROM loaders WHERE keyprefix = ? AND enabled = TRUE",
                        ps -> ps.setString(1, prefix),
                        rs -> new AuthDetails(Rows.id(rs, "id"), rs.getBytes("loaderkey"), rs.getBytes("salt")))
                .stream()
                .findFirst();
    }

    /** A loader entry (never its key). */
    public Optional<LoaderEntry> get(long id) {
        return query(
                        "SELECT id, loadername, keyprefix, name, lastseen, enabled, expectenv FROM loaders WHERE id = ?",
                        ps -> ps.setLong(1, id),
                        rs -> new LoaderEntry(
                                Rows.id(rs, "id"),
                                rs.getString("loadername"),
                                rs.getString("keyprefix"),
                                "",
                                rs.getString("name") == null ? "" : rs.getString("name"),
                                Rows.time(rs, "lastseen"),
                                rs.getBoolean("enabled"),
                                rs.getString("expectenv") == null ? "" : rs.getString("expectenv")))
                .stream()
                .findFirst();
    }

    /** Records what the loader reported about its agent (name, environment, tags, queue), and when. */
    public void reportedAgent(long id, Agent agent) {
        update(
                "UPDATE loaders SET name = ?, env = ?::json, tags = ?::json, queueloc = NULLIF(?, ''), "
                        + "lastseen = now() WHERE id = ?",
                ps -> {
                    ps.setString(1, agent.name());
                    ps.setString(2, GoJson.marshal(agent.environment()));
                    ps.setString(3, GoJson.marshal(agent.tags()));
                    ps.setString(4, agent.queueLoc() == null ? "" : agent.queueLoc());
                    ps.setLong(5, id);
                });
    }

    /** Whether the loader satisfies its expected environment (true when none is set). */
    public boolean expectedEnvironmentHolds(long id) {
        try (Connection c = ds.getConnection()) {
            String expect = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT expectenv FROM loaders WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    expect = rs.getString(1);
                }
            }
            return expect == null || expect.isEmpty() || LoaderTargets.matches(c, id, expect);
        } catch (SQLException e) {
            throw new DatabaseException(
                    "checking loader " + id + "'s expected environment failed: " + e.getMessage(), e);
        }
    }

    /** The enabled loaders that satisfy {@code target}. */
    public List<LoaderEntry> matching(String target) {
        List<LoaderEntry> out = new ArrayList<>();
        List<Long> ids =
                query("SELECT id FROM loaders WHERE enabled = TRUE ORDER BY id", ps -> {}, rs -> Rows.id(rs, "id"));
        try (Connection c = ds.getConnection()) {
            for (long id : ids) {
                if (LoaderTargets.matches(c, id, target)) {
                    get(id).map(l -> new LoaderEntry(
                                    l.id(), l.name(), "", "", l.agentName(), l.lastSeen(), l.enabled(), ""))
                            .ifPresent(out::add);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("selecting loaders failed: " + e.getMessage(), e);
        }
        return out;
    }

    public boolean setEnabled(long id, boolean enabled) {
        return update("UPDATE loaders SET enabled = ? WHERE id = ?", ps -> {
                    ps.setBoolean(1, enabled);
                    ps.setLong(2, id);
                })
                == 1;
    }

    public boolean setExpectedEnvironment(long id, String expect) {
        return update("UPDATE loaders SET expectenv = ? WHERE id = ?", ps -> {
                    ps.setString(1, expect == null || expect.isEmpty() ? null : expect);
                    ps.setLong(2, id);
                })
                == 1;
    }

    public boolean setKey(long id, byte[] hash, byte[] salt) {
        return update("UPDATE loaders SET loaderkey = ?, salt = ? WHERE id = ?", ps -> {
                    ps.setBytes(1, hash);
                    ps.setBytes(2, salt);
                    ps.setLong(3, id);
                })
                == 1;
    }

    /** A new, disabled loader; returns its id. */
    public long add(String name, String prefix, byte[] hash, byte[] salt, String expect) {
        return query(
                        "INSERT INTO loaders (loadername, keyprefix, loaderkey, salt, lastseen, enabled, expectenv) "
                                + "VALUES (?, ?, ?, ?, now(), FALSE, ?) RETURNING id",
                        ps -> {
                            ps.setString(1, name);
                            ps.setString(2, prefix);
                            ps.setBytes(3, hash);
                            ps.setBytes(4, salt);
                            ps.setString(5, expect == null || expect.isEmpty() ? null : expect);
                        },
                        rs -> Rows.id(rs, "id"))
                .get(0);
    }

    /** The enabled loader's name. */
    public Optional<String> name(long id) {
        return query(
                        "SELECT loadername FROM loaders WHERE id = ? AND enabled = TRUE",
                        ps -> ps.setLong(1, id),
                        rs -> rs.getString(1))
                .stream()
                .findFirst();
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, Binder binder, Reader<T> reader) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("loaders: " + e.getMessage(), e);
        }
    }

    int update(String sql, Binder binder) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("loaders: " + e.getMessage(), e);
        }
    }
}
