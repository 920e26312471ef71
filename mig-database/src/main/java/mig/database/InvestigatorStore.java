package mig.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import mig.common.Investigator;
import mig.common.InvestigatorPerms;

/**
 * Investigators in the {@code investigators} table. Public keys are stored as the armoured key text
 * (bytea), fingerprints as 40 uppercase hex digits. The scheduler's private key never leaves this
 * class except through {@link #schedulerKey()}.
 */
public final class InvestigatorStore {

    static final String COLUMNS = "id, name, pgpfingerprint, publickey, status, createdat, lastmodified, permissions, "
            + "apikey IS NOT NULL AS hasapikey";

    private final DataSource ds;

    public InvestigatorStore(DataSource ds) {
        this.ds = ds;
    }

    /** An active investigator's key, for building the API's keyring. */
    public record ActiveKey(long id, String name, String fingerprint, byte[] publicKey) {}

    /** The investigator, with its public key, without any private key. */
    public Optional<Investigator> get(long id) {
        return one("SELECT " + COLUMNS + " FROM investigators WHERE id = ?", id);
    }

    /** The investigator whose primary key has this fingerprint (case-insensitive). */
    public Optional<Investigator> byFingerprint(String fingerprint) {
        return one(
                "SELECT " + COLUMNS + " FROM investigators WHERE upper(pgpfingerprint) = ?",
                fingerprint.toUpperCase(Locale.ROOT));
    }

    /** Every active investigator's public key. */
    public List<ActiveKey> activeKeys() {
        List<ActiveKey> keys = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT id, name, pgpfingerprint, publickey FROM investigators "
                                + "WHERE status = 'active' AND publickey IS NOT NULL")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ActiveKey(
                            Rows.id(rs, "id"),
                            rs.getString("name"),
                            rs.getString("pgpfingerprint"),
                            rs.getBytes("publickey")));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new DatabaseException("reading active investigator keys failed: " + e.getMessage(), e);
        }
    }

    /**
     * Creates an active investigator.
     *
     * @return its id
     */
    public long create(String name, String fingerprint, byte[] publicKey, long permissions, Instant now) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO investigators (name, pgpfingerprint, publickey, "
                                + "status, createdat, lastmodified, permissions) VALUES (?, ?, ?, 'active', ?, ?, ?)",
                        // only the id: RETURNING * would read privatekey, which the migapi role may not
                        new String[] {"id"})) {
            ps.setString(1, name);
            ps.setString(2, fingerprint == null ? null : fingerprint.toUpperCase(Locale.ROOT));
            ps.setBytes(3, publicKey);
            Rows.time(ps, 4, now);
            Rows.time(ps, 5, now);
            ps.setLong(6, permissions);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return Rows.id(rs, "id");
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new DatabaseException("an investigator with fingerprint " + fingerprint + " already exists", e);
            }
            throw new DatabaseException("creating investigator '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /** Sets status ({@code active}/{@code disabled}); returns false if no such investigator. */
    public boolean setStatus(long id, String status, Instant now) {
        return update("UPDATE investigators SET status = ?, lastmodified = ? WHERE id = ?", id, ps -> {
            ps.setString(1, status);
            Rows.time(ps, 2, now);
            ps.setLong(3, id);
        });
    }

    /** Sets the permission mask; returns false if no such investigator. */
    public boolean setPermissions(long id, long mask, Instant now) {
        return update("UPDATE investigators SET permissions = ?, lastmodified = ? WHERE id = ?", id, ps -> {
            ps.setLong(1, mask);
            Rows.time(ps, 2, now);
            ps.setLong(3, id);
        });
    }

    /**
     * Sets the status and/or the permission mask (null: unchanged) unless that leaves no active
     * investigator holding every permission of {@code adminMask} where there was one. Done under a
     * transaction-scoped advisory lock, so two concurrent changes (each seeing the other admin still
     * there) cannot both pass: the original's check raced, and two disables left no admin.
     *
     * @return false, with nothing changed, when the change would remove the last administrator
     */
    public boolean updateKeepingAnAdmin(long id, String status, Long mask, long adminMask, Instant now) {
        String count = "SELECT COUNT(*) FROM investigators WHERE (permissions & ?) = ? AND status = 'active'";
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, ADMIN_LOCK);
                    lock.execute();
                }
                int before = countOn(c, count, adminMask);
                if (status != null) {
                    try (PreparedStatement ps =
                            c.prepareStatement("UPDATE investigators SET status = ?, lastmodified = ? WHERE id = ?")) {
                        ps.setString(1, status);
                        Rows.time(ps, 2, now);
                        ps.setLong(3, id);
                        ps.executeUpdate();
                    }
                }
                if (mask != null) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE investigators SET permissions = ?, lastmodified = ? WHERE id = ?")) {
                        ps.setLong(1, mask);
                        Rows.time(ps, 2, now);
                        ps.setLong(3, id);
                        ps.executeUpdate();
                    }
                }
                if (before > 0 && countOn(c, count, adminMask) == 0) {
                    c.rollback();
                    return false;
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DatabaseException("updating investigator " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** Advisory lock key of investigator status and permission changes ("MIGADMIN" in ASCII). */
    static final long ADMIN_LOCK = 0x4d4947_41444d494eL;

    private static int countOn(Connection c, String sql, long mask) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, mask);
            ps.setLong(2, mask);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Sets (or with nulls clears) the API key hash and salt. */
    public boolean setApiKey(long id, byte[] hash, byte[] salt, Instant now) {
        return update("UPDATE investigators SET apikey = ?, apisalt = ?, lastmodified = ? WHERE id = ?", id, ps -> {
            ps.setBytes(1, hash);
            ps.setBytes(2, salt);
            Rows.time(ps, 3, now);
            ps.setLong(4, id);
        });
    }

    /** Active investigators that have an API key: id, hash, salt. */
    public record ApiKeyRow(long id, byte[] hash, byte[] salt) {}

    /**
     * Active investigators whose API key salt starts with {@code saltPrefix}: the key's non-secret id
     * (normally one row, so one key derivation per request).
     */
    public List<ApiKeyRow> activeApiKeysBySaltPrefix(byte[] saltPrefix) {
        return apiKeyRows("AND substring(apisalt from 1 for ?) = ?", ps -> {
            ps.setInt(1, saltPrefix.length);
            ps.setBytes(2, saltPrefix);
        });
    }

    /** Active investigators whose API key salt does not start with {@code mark}: keys issued without an id. */
    public List<ApiKeyRow> activeApiKeysWithoutSaltMark(byte[] mark) {
        return apiKeyRows("AND substring(apisalt from 1 for ?) IS DISTINCT FROM ?", ps -> {
            ps.setInt(1, mark.length);
            ps.setBytes(2, mark);
        });
    }

    /** Replaces the hash and salt of a key that still has {@code oldHash} (re-salting, not a new key). */
    public boolean resaltApiKey(long id, byte[] oldHash, byte[] hash, byte[] salt) {
        return update("UPDATE investigators SET apikey = ?, apisalt = ? WHERE id = ? AND apikey = ?", id, ps -> {
            ps.setBytes(1, hash);
            ps.setBytes(2, salt);
            ps.setLong(3, id);
            ps.setBytes(4, oldHash);
        });
    }

    private List<ApiKeyRow> apiKeyRows(String condition, Binder binder) {
        List<ApiKeyRow> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, apikey, apisalt FROM investigators "
                        + "WHERE status = 'active' AND apikey IS NOT NULL AND apisalt IS NOT NULL " + condition
                        + " ORDER BY id")) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiKeyRow(Rows.id(rs, "id"), rs.getBytes("apikey"), rs.getBytes("apisalt")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("reading API keys failed: " + e.getMessage(), e);
        }
    }

    /** The scheduler's own signing identity, if it created one: its id and armoured private key. */
    public record SchedulerKey(long id, String fingerprint, byte[] publicKey, byte[] privateKey) {}

    /** The {@code migscheduler} investigator's key pair. */
    public Optional<SchedulerKey> schedulerKey() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, pgpfingerprint, publickey, privatekey "
                                + "FROM investigators WHERE name = 'migscheduler' AND privatekey IS NOT NULL ORDER BY id LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new SchedulerKey(
                    Rows.id(rs, "id"),
                    rs.getString("pgpfingerprint"),
                    rs.getBytes("publickey"),
                    rs.getBytes("privatekey")));
        } catch (SQLException e) {
            throw new DatabaseException("reading the scheduler key failed: " + e.getMessage(), e);
        }
    }

    /** Stores the scheduler's key pair (permissions 0), as the original scheduler does on first start. */
    public long createSchedulerKey(String fingerprint, byte[] publicKey, byte[] privateKey, Instant now) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO investigators (name, pgpfingerprint, publickey, "
                                + "privatekey, status, createdat, lastmodified, permissions) "
                                + "VALUES ('migscheduler', ?, ?, ?, 'active', ?, ?, 0)",
                        Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, fingerprint.toUpperCase(Locale.ROOT));
            ps.setBytes(2, publicKey);
            ps.setBytes(3, privateKey);
            Rows.time(ps, 4, now);
            Rows.time(ps, 5, now);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return Rows.id(rs, "id");
            }
        } catch (SQLException e) {
            throw new DatabaseException("storing the scheduler key failed: " + e.getMessage(), e);
        }
    }

    /** Investigators who signed an action, without keys (as embedded in the action). */
    List<Investigator> signersOf(Connection c, long actionId) throws SQLException {
        List<Investigator> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + prefixed() + " FROM investigators i "
                + "JOIN signatures s ON s.investigatorid = i.id WHERE s.actionid = ? ORDER BY i.id")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs).withoutKeys());
                }
            }
        }
        return out;
    }

    private static String prefixed() {
        return "i.id, i.name, i.pgpfingerprint, i.publickey, i.status, i.createdat, i.lastmodified, i.permissions, "
                + "i.apikey IS NOT NULL AS hasapikey";
    }

    /** Maps a row of {@link #COLUMNS}. */
    static Investigator read(ResultSet rs) throws SQLException {
        return new Investigator(
                Rows.id(rs, "id"),
                rs.getString("name"),
                rs.getString("pgpfingerprint"),
                rs.getBytes("publickey"),
                null,
                rs.getString("status"),
                Rows.time(rs, "createdat"),
                Rows.time(rs, "lastmodified"),
                rs.getBoolean("hasapikey") ? "set" : "",
                InvestigatorPerms.fromMask(rs.getLong("permissions")));
    }

    private Optional<Investigator> one(String sql, Object param) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading investigator " + param + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String sql, long id, Binder binder) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException("updating investigator " + id + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The investigator whose primary key has this 16-hex-digit key id (the low 64 bits of a v4
     * fingerprint), whatever its status: names the signer of a signature the keyring refused.
     */
    public Optional<Investigator> byKeyId(String keyIdHex) {
        return one(
                "SELECT " + COLUMNS + " FROM investigators WHERE right(upper(pgpfingerprint), 16) = ? "
                        + "ORDER BY id LIMIT 1",
                keyIdHex.toUpperCase(Locale.ROOT));
    }
}
