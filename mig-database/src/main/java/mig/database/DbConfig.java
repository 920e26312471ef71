package mig.database;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;

/**
 * The {@code [postgres]} section shared by {@code api.cfg} and {@code scheduler.cfg}: host, port,
 * dbname, user, password, sslmode ({@code disable|require|verify-full}) and maxconn.
 */
public record DbConfig(
        String host, int port, String dbName, String user, String password, String sslMode, int maxConn) {

    /** Keys allowed in {@code [postgres]}. */
    public static final Set<String> KEYS = Set.of("host", "port", "dbname", "user", "password", "sslmode", "maxconn");

    public DbConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dbName, "dbname");
        Objects.requireNonNull(user, "user");
        password = Objects.requireNonNullElse(password, "");
        sslMode = Objects.requireNonNullElse(sslMode, "disable");
        if (port < 1 || port > 65535) {
            throw new ConfigException("[postgres] port must be 1-65535, got " + port);
        }
        if (!Set.of("disable", "require", "verify-full", "verify-ca", "prefer", "allow")
                .contains(sslMode)) {
            throw new ConfigException(
                    "[postgres] sslmode must be disable, require or verify-full, got '" + sslMode + "'");
        }
        if (maxConn < 1) {
            throw new ConfigException("[postgres] maxconn must be at least 1, got " + maxConn);
        }
    }

    /** Reads {@code [postgres]} with the original's defaults (localhost:5432, maxconn 10). */
    public static DbConfig from(IniConfig ini) {
        return new DbConfig(
                ini.getString("postgres", "host", "127.0.0.1"),
                Math.toIntExact(ini.getLong("postgres", "port").orElse(5432L)),
                ini.getString("postgres", "dbname", "mig"),
                ini.getString("postgres", "user", "migadmin"),
                ini.getString("postgres", "password", ""),
                ini.getString("postgres", "sslmode", "disable"),
                Math.toIntExact(ini.getLong("postgres", "maxconn").orElse(10L)));
    }

    /** A config pointing at a JDBC URL (tests, the standalone platform). */
    public static DbConfig ofJdbcUrl(String jdbcUrl, String user, String password, int maxConn) {
        return new DbConfig(jdbcUrl, 5432, "", user, password, "disable", maxConn);
    }

    /** The JDBC URL. */
    public String jdbcUrl() {
        if (host.startsWith("jdbc:")) {
            return host;
        }
        return "jdbc:postgresql://" + host + ":" + port + "/" + dbName + "?sslmode=" + sslMode;
    }

    /** For logs: everything but the password. */
    @Override
    public String toString() {
        return "DbConfig[" + jdbcUrl() + ", user=" + user + ", maxconn=" + maxConn + "]";
    }

    /** Config keys of this section, as a map for {@link IniConfig#requireKnown}. */
    public static Map<String, Set<String>> section() {
        return Map.of("postgres", KEYS);
    }
}
