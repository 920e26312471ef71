package mig.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * The built-in places a test PostgreSQL comes from, in the order {@link ServiceResolver} tries them.
 */
final class PostgresSources {

    /** A short login timeout: a local server that does not answer in 2 s is not worth waiting for. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    static final PgEndpoint LOCAL = new PgEndpoint("127.0.0.1", 5432, "postgres", "postgres", "", Map.of());
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private PostgresSources() {}

    /** The server named by MIG_TEST_PG_URL; asked for explicitly, so failing to log in is an error. */
    static ServiceSource<PostgresServer> environment(PgEndpoint url) {
        return new SimpleSource<>("PostgreSQL from " + TestSettings.PG_URL, () -> {
            try {
                return PostgresServer.open(
                        ServiceOrigin.ENVIRONMENT, "server from " + TestSettings.PG_URL, url, TIMEOUT, null);
            } catch (SQLException e) {
                throw new IllegalStateException(
                        TestSettings.PG_URL + " points at " + url.describe()
                                + " but logging in failed: " + e.getMessage()
                                + ". Fix the URL, or unset it to use a local"
                                + " or the embedded PostgreSQL",
                        e);
            }
        });
    }

    /** A PostgreSQL on 127.0.0.1:5432 that lets user postgres in without a password. */
    static ServiceSource<PostgresServer> local() {
        return new SimpleSource<>("local PostgreSQL on 127.0.0.1:5432", () -> {
            try {
                return PostgresServer.open(ServiceOrigin.LOCAL, "local server", LOCAL, PROBE_TIMEOUT, null);
            } catch (SQLException e) {
                throw new ServiceSource.Unavailable("no login as postgres without password: " + e.getMessage(), e);
            }
        });
    }

    /**
     * zonky's PostgreSQL 17 started in a temp folder on a free port. As root, zonky runs it under
     * {@code unshare -U}, which needs user namespaces.
     */
    static ServiceSource<PostgresServer> embedded() {
        return new SimpleSource<>("embedded PostgreSQL (zonky)", () -> {
            EmbeddedPostgres pg;
            try {
                pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(
                        "the embedded PostgreSQL (zonky) did not start: " + e.getMessage()
                                + ". As root it needs user namespaces ('unshare -U id -u' must print 65534);"
                                + " otherwise set " + TestSettings.PG_URL + " to a server",
                        e);
            }
            PgEndpoint endpoint = PgEndpoint.parse(pg.getJdbcUrl("postgres", "postgres"), "zonky's JDBC URL");
            try {
                return PostgresServer.open(ServiceOrigin.EMBEDDED, "embedded zonky server", endpoint, TIMEOUT, pg);
            } catch (SQLException e) {
                closeQuietly(pg);
                throw new IllegalStateException(
                        "the embedded PostgreSQL started but refused the login at " + endpoint.describe() + ": "
                                + e.getMessage(),
                        e);
            }
        });
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException ignored) {
            // Stopping a server that already failed us; the original error is what matters.
        }
    }
}
