package mig.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool to MIG's PostgreSQL database and the entry to its typed queries. The schema
 * is the original's ({@code db/migration/V1}); {@link #migrate()} brings a fresh or an original MIG
 * database to the current version (an original database is adopted as version 1).
 */
public final class MigDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MigDatabase.class);

    private final HikariDataSource dataSource;
    private final DbConfig config;

    private MigDatabase(HikariDataSource dataSource, DbConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Opens a pool; fails fast with the reason if the database cannot be reached. */
    public static MigDatabase open(DbConfig config, String poolName) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.maxConn());
        hc.setPoolName(poolName);
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(10_000);
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("ApplicationName", poolName);
        try {
            return new MigDatabase(new HikariDataSource(hc), config);
        } catch (RuntimeException e) {
            throw new DatabaseException("cannot connect to PostgreSQL " + config + ": " + rootMessage(e), e);
        }
    }

    /** Applies pending migrations. */
    public MigDatabase migrate() {
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .baselineOnMigrate(true)
                .baselineVersion("1")
                .load()
                .migrate();
        LOG.info(
                "database {} at schema version {} ({} migrations applied)",
                config.jdbcUrl(),
                result.targetSchemaVersion,
                result.migrationsExecuted);
        return this;
    }

    /** The pool, for the stores and for LISTEN connections. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A pooled connection; the caller closes it. */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** The settings this pool was opened with. */
    public DbConfig config() {
        return config;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
