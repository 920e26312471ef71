package mig.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the tests of this JVM share, whichever {@link ServiceSource} provided it.
 * Tests never use it directly for data: they ask it for a {@link TestDatabase} of their own, which
 * is what keeps them apart on a shared server. Creating one costs one CREATE DATABASE.
 */
public final class PostgresServer {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final String DATABASE_PREFIX = "mig_test_";

    private final ServiceOrigin origin;
    private final String description;
    private final PgEndpoint admin;
    private final int versionNumber;
    private final AutoCloseable stopper;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread shutdownHook;

    private PostgresServer(
            ServiceOrigin origin, String description, PgEndpoint admin, int versionNumber, AutoCloseable stopper) {
        this.origin = origin;
        this.description = description;
        this.admin = admin;
        this.versionNumber = versionNumber;
        this.stopper = stopper;
    }

    /**
     * Logs in to {@code admin} (the maintenance database of the server) within {@code timeout}; the
     * login, not an open port, is the proof that tests can use the server.
     *
     * @param stopper stops the server on {@link #close()}, or null when it is not ours to stop
     */
    static PostgresServer open(
            ServiceOrigin origin, String what, PgEndpoint admin, Duration timeout, AutoCloseable stopper)
            throws SQLException {
        try (Connection c = admin.connect(timeout);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT current_setting('server_version_num')::int," + " current_setting('server_version')")) {
            rs.next();
            String description = what + " (PostgreSQL " + rs.getString(2) + ") at " + admin.describe();
            PostgresServer server = new PostgresServer(origin, description, admin, rs.getInt(1), stopper);
            if (stopper != null) {
                server.shutdownHook = ShutdownHooks.register("postgres", server::close);
            }
            return server;
        }
    }

    public ServiceOrigin origin() {
        return origin;
    }

    /** Which server this is, e.g. "local server (PostgreSQL 15.20) at 127.0.0.1:5432/postgres as postgres". */
    public String description() {
        return description;
    }

    public String host() {
        return admin.host();
    }

    public int port() {
        return admin.port();
    }

    /** The user tests log in as; it may create databases. */
    public String user() {
        return admin.user();
    }

    /** The password, or the empty string when the server trusts the user. */
    public String password() {
        return admin.password();
    }

    /** A new, empty database for one test; close it to drop it. */
    public TestDatabase newDatabase() {
        if (closed.get()) {
            throw new IllegalStateException("the test PostgreSQL server is already stopped: " + description);
        }
        String name = DATABASE_PREFIX
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = admin.connect(ADMIN_TIMEOUT);
                Statement st = c.createStatement()) {
            try {
                st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
            } catch (SQLException e) {
                if (!"22023".equals(e.getSQLState())) {
                    throw e;
                }
                // The server's default locale does not fit UTF8 (e.g. a Latin-1 locale): C fits every encoding.
                st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'"
                        + " LC_COLLATE 'C' LC_CTYPE 'C'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create test database " + name + " on " + description + " (does the user have CREATEDB?): "
                            + e.getMessage(),
                    e);
        }
        return new TestDatabase(admin.withDatabase(name), this);
    }

    void drop(String name) {
        try (Connection c = admin.connect(ADMIN_TIMEOUT);
                Statement st = c.createStatement()) {
            if (versionNumber >= 130000) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } else {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
                st.execute("DROP DATABASE IF EXISTS " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot drop test database " + name + " on " + description + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server if this JVM started it; a server found running is left alone. */
    void close() {
        if (closed.compareAndSet(false, true) && stopper != null) {
            ShutdownHooks.unregister(shutdownHook);
            try {
                stopper.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", description, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + origin + ", " + description + "]";
    }
}
