package mig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Settings are checked before anything starts: a malformed value fails with a message that names
 * the variable, shows the value without its password and says what was expected; and the settings
 * decide which sources are tried, in which order.
 */
class TestSettingsTest {

    @Test
    void aPostgresUrlWithTheWrongSchemeNamesTheVariable() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServiceResolver.resolve(Map.of("MIG_TEST_PG_URL", "postgres://127.0.0.1:5432/postgres")));
        assertEquals(
                "MIG_TEST_PG_URL is not a usable PostgreSQL JDBC URL: it does not start with"
                        + " jdbc:postgresql://. Got 'postgres://127.0.0.1:5432/postgres'; expected "
                        + "jdbc:postgresql://HOST[:PORT]/DATABASE[?user=USER&password=PASSWORD],"
                        + " e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres",
                e.getMessage());
    }

    @Test
    void aPostgresUrlWithoutAUsableHostNamesTheVariable() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServiceResolver.resolve(Map.of("MIG_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:port/x")));
        assertTrue(
                e.getMessage()
                        .startsWith("MIG_TEST_PG_URL is not a usable PostgreSQL JDBC URL:"
                                + " no HOST[:PORT] could be read from it"),
                e.getMessage());
    }

    @Test
    void aPostgresUrlWithABadParameterHidesThePassword() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServiceResolver.resolve(
                        Map.of("MIG_TEST_PG_URL", "jdbc:postgresql://db:5432/mig?user=u&password=hunter2&sslmode")));
        assertTrue(
                e.getMessage()
                        .startsWith("MIG_TEST_PG_URL is not a usable PostgreSQL JDBC URL:"
                                + " query parameter 'sslmode' is not NAME=VALUE"),
                e.getMessage());
        assertTrue(e.getMessage().contains("password=***"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void anAmqpUrlWithTheWrongSchemeNamesTheVariable() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServiceResolver.resolve(Map.of("MIG_TEST_AMQP_URL", "http://guest:guest@127.0.0.1:5672")));
        assertEquals(
                "MIG_TEST_AMQP_URL is not a usable AMQP URI: the scheme must be amqp or amqps, got http."
                        + " Got 'http://guest:***@127.0.0.1:5672'; expected amqp://USER:PASSWORD@HOST[:PORT],"
                        + " e.g. amqp://guest:guest@127.0.0.1:5672",
                e.getMessage());
    }

    @Test
    void anAmqpUrlThatIsNoUriNamesTheVariable() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServiceResolver.resolve(Map.of("MIG_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/a b")));
        assertTrue(
                e.getMessage().startsWith("MIG_TEST_AMQP_URL is not a usable AMQP URI: Illegal character"),
                e.getMessage());
    }

    @Test
    void anUnknownModeNamesTheVariable() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ServiceResolver.resolve(Map.of("MIG_TEST_AMQP", "docker")));
        assertTrue(e.getMessage().startsWith("MIG_TEST_AMQP='docker' is not understood"), e.getMessage());
    }

    @Test
    void urlsParseWithDefaults() {
        TestSettings settings = TestSettings.from(Map.of(
                "MIG_TEST_PG_URL", "jdbc:postgresql://db.example:6543/?sslmode=require",
                "MIG_TEST_AMQP_URL", "amqps://mig:p%40ss@broker.example/ignored"));
        PgEndpoint pg = settings.postgresUrl().orElseThrow();
        assertEquals(new PgEndpoint("db.example", 6543, "postgres", "postgres", "", Map.of("sslmode", "require")), pg);
        assertEquals(
                "jdbc:postgresql://db.example:6543/mig_test_1?sslmode=require",
                pg.withDatabase("mig_test_1").jdbcUrl());
        assertEquals(
                new AmqpEndpoint(true, "broker.example", 5671, "mig", "p@ss"),
                settings.amqpUrl().orElseThrow());
    }

    @Test
    void aBrokerUriEncodesEveryPartAndRoundTrips() throws Exception {
        AmqpEndpoint endpoint = new AmqpEndpoint(false, "127.0.0.1", 5672, "mig user", "p@ss:word");
        String uri = endpoint.uri("tests/a b");
        assertEquals("amqp://mig%20user:p%40ss%3Aword@127.0.0.1:5672/tests%2Fa%20b", uri);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        assertEquals("tests/a b", factory.getVirtualHost());
        assertEquals("mig user", factory.getUsername());
        assertEquals("p@ss:word", factory.getPassword());
    }

    @Test
    void theSettingsDecideWhichSourcesAreTried() {
        assertEquals(
                List.of("local PostgreSQL on 127.0.0.1:5432", "embedded PostgreSQL (zonky)"),
                postgresSources(Map.of()));
        assertEquals(
                List.of("PostgreSQL from MIG_TEST_PG_URL"),
                postgresSources(Map.of("MIG_TEST_PG_URL", "jdbc:postgresql://h/db")));
        assertEquals(
                List.of("embedded PostgreSQL (zonky)"),
                postgresSources(Map.of("MIG_TEST_PG_URL", "jdbc:postgresql://h/db", "MIG_TEST_PG", "embedded")));
        assertEquals(List.of("local RabbitMQ on 127.0.0.1:5672", "embedded Qpid Broker-J"), amqpSources(Map.of()));
        assertEquals(
                List.of("AMQP broker from MIG_TEST_AMQP_URL"), amqpSources(Map.of("MIG_TEST_AMQP_URL", "amqp://h")));
        assertEquals(List.of("embedded Qpid Broker-J"), amqpSources(Map.of("MIG_TEST_AMQP", "embedded")));
    }

    @Test
    void aSystemPropertyOverridesItsVariable() {
        System.setProperty("mig.test.amqp", "embedded");
        try {
            assertEquals("embedded", TestServices.settings().get("MIG_TEST_AMQP"));
        } finally {
            System.clearProperty("mig.test.amqp");
        }
    }

    private static List<String> postgresSources(Map<String, String> env) {
        return ServiceResolver.postgresSources(TestSettings.from(env)).stream()
                .map(ServiceSource::description)
                .toList();
    }

    private static List<String> amqpSources(Map<String, String> env) {
        return ServiceResolver.amqpSources(TestSettings.from(env)).stream()
                .map(ServiceSource::description)
                .toList();
    }
}
