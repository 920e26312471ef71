package mig.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A PostgreSQL database of one's own for one test: created empty (from template0, UTF8) on the
 * chosen server and dropped by {@link #close()}, so tests never see each other's tables or rows
 * even when they run against the same long-lived server.
 *
 * <p>{@link #jdbcUrl()} carries no credentials; hand {@link #user()} and {@link #password()} to the
 * pool or migration tool beside it, as MIG's own config does.
 */
public final class TestDatabase implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final PgEndpoint endpoint;
    private final PostgresServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    TestDatabase(PgEndpoint endpoint, PostgresServer server) {
        this.endpoint = endpoint;
        this.server = server;
    }

    /** The database name, {@code mig_test_} and 16 random hex digits. */
    public String name() {
        return endpoint.database();
    }

    /** {@code jdbc:postgresql://HOST:PORT/NAME}, plus any non-credential options of the server URL. */
    public String jdbcUrl() {
        return endpoint.jdbcUrl();
    }

    public String host() {
        return endpoint.host();
    }

    public int port() {
        return endpoint.port();
    }

    public String user() {
        return endpoint.user();
    }

    /** The password, or the empty string when the server trusts the user. */
    public String password() {
        return endpoint.password();
    }

    /** A new connection to this database; the caller closes it. */
    public Connection connect() throws SQLException {
        return endpoint.connect(CONNECT_TIMEOUT);
    }

    /** Drops the database, closing whatever connections are still open to it. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.drop(name());
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + endpoint.describe() + "]";
    }
}
