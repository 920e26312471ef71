package mig.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL 17 inside the demo process (zonky's binaries from Maven Central), with its data kept in
 * the demo folder so a second start finds the same investigators, actions and results. As root,
 * zonky runs PostgreSQL in a user namespace, so the demo also works in a root shell or container.
 */
final class EmbeddedPostgres implements AutoCloseable {

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg) {
        this.pg = pg;
    }

    static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres server = new EmbeddedPostgres(builder.start());
        server.createDatabaseIfMissing("mig");
        return server;
    }

    /** JDBC URL of a database on this server, as the postgres superuser (trust auth, loopback only). */
    String jdbcUrl(String database) {
        return pg.getJdbcUrl("postgres", database);
    }

    int port() {
        return pg.getPort();
    }

    private void createDatabaseIfMissing(String name) throws IOException {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("database name must be lowercase letters: " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
                Statement st = c.createStatement()) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IOException("cannot create database " + name + " in the embedded PostgreSQL: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
