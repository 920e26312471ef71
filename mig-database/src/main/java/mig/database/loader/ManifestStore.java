package mig.database.loader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import mig.database.DatabaseException;
import mig.database.Rows;
import mig.database.search.ManifestRecord;

/**
 * The {@code manifests} and {@code manifestsig} tables, with the original's queries
 * (database/manifest.go): a manifest is staged when created, becomes active once it holds the
 * required number of signatures, and once disabled never changes status again.
 */
public final class ManifestStore {
    public static final String STAGED = "staged";
    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    private final DataSource ds;

    public ManifestStore(DataSource ds) {
        this.ds = ds;
    }

    /** Stores a new, staged manifest; returns its id. */
    public long add(String name, String content, String target) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO manifests (name, content, timestamp, status, target) VALUES (?, ?, now(), "
                                + "'staged', ?) RETURNING id")) {
            ps.setString(1, name);
            ps.setString(2, content);
            ps.setString(3, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Rows.id(rs, "id");
            }
        } catch (SQLException e) {
            throw new DatabaseException("storing manifest failed: " + e.getMessage(), e);
        }
    }

    /** The whole manifest, content and signatures included. */
    public Optional<ManifestRecord> get(long id) {
        try (Connection c = ds.getConnection()) {
            ManifestRecord m;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, content, timestamp, status, target FROM manifests WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    m = new ManifestRecord(
                            Rows.id(rs, "id"),
                            rs.getString("name"),
                            rs.getString("content"),
                            Rows.time(rs, "timestamp"),
                            rs.getString("status"),
                            rs.getString("target"),
                            null);
                }
            }
            List<String> sigs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pgpsignature FROM manifestsig WHERE manifestid = ? ORDER BY investigatorid")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sigs.add(rs.getString(1));
                    }
                }
            }
            return Optional.of(new ManifestRecord(
                    m.id(),
                    m.name(),
                    m.content(),
                    m.timestamp(),
                    m.status(),
                    m.target(),
                    sigs.isEmpty() ? null : sigs));
        } catch (SQLException e) {
            throw new DatabaseException("reading manifest " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** The outcome of adding a signature. */
    public enum Signed {
        ADDED,
        /** no such manifest, or it is disabled */
        NOT_SIGNABLE,
        /** this investigator already signed it */
        ALREADY_SIGNED
    }

    /** Adds an investigator's signature, then recomputes the status (active at {@code required} signatures). */
    public Signed addSignature(long id, String signature, long investigatorId, int required) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                        c.prepareStatement("SELECT status FROM manifests WHERE id = ? FOR UPDATE")) {
                    lock.setLong(1, id);
                    try (ResultSet rs = lock.executeQuery()) {
                        if (!rs.next() || DISABLED.equals(rs.getString(1))) {
                            c.rollback();
                            return Signed.NOT_SIGNABLE;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO manifestsig (manifestid, pgpsignature, investigatorid) VALUES (?, ?, ?) "
                                + "ON CONFLICT (manifestid, investigatorid) DO NOTHING")) {
                    ps.setLong(1, id);
                    ps.setString(2, signature);
                    ps.setLong(3, investigatorId);
                    if (ps.executeUpdate() != 1) {
                        c.rollback();
                        return Signed.ALREADY_SIGNED;
                    }
                }
                updateStatus(c, id, required);
                c.commit();
                return Signed.ADDED;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("signing manifest " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** Drops every signature and sets the status from the count (staged), unless disabled. */
    public boolean reset(long id, int required) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM manifestsig WHERE manifestid = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                boolean found = updateStatus(c, id, required);
                c.commit();
                return found;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("resetting manifest " + id + " failed: " + e.getMessage(), e);
        }
    }

    public boolean disable(long id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE manifests SET status = 'disabled' WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException("disabling manifest " + id + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean updateStatus(Connection c, long id, int required) throws SQLException {
        int count;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM manifestsig WHERE manifestid = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getInt(1);
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE manifests SET status = ? WHERE id = ? AND status != 'disabled'")) {
            ps.setString(1, count >= required ? ACTIVE : STAGED);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** The newest active manifest whose target the loader satisfies. */
    public Optional<Long> activeFor(long loaderId) {
        try (Connection c = ds.getConnection()) {
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, target FROM manifests WHERE status = 'active' ORDER BY timestamp DESC, id DESC")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {Rows.id(rs, "id"), rs.getString("target")});
                    }
                }
            }
            for (Object[] r : rows) {
                try {
                    if (LoaderTargets.matches(c, loaderId, (String) r[1])) {
                        return Optional.of((Long) r[0]);
                    }
                } catch (SQLException | RuntimeException e) {
                    // a target stored before targets were checked (by the original API): skipped
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new DatabaseException("finding loader " + loaderId + "'s manifest failed: " + e.getMessage(), e);
        }
    }
}
