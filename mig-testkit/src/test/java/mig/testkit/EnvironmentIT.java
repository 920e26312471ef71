package mig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code MIG_TEST_PG_URL} and {@code MIG_TEST_AMQP_URL} win over everything else, and because they
 * were asked for explicitly, a server they name that does not work is an error naming the variable,
 * never a silent fall-back. The servers of this JVM ({@link TestServices}) stand in for "a server
 * somewhere" so the test runs wherever the others do.
 */
class EnvironmentIT {

    @Test
    void usesThePostgresNamedByTheVariable() throws Exception {
        PostgresServer somewhere = TestServices.postgres();
        String url = "jdbc:postgresql://" + somewhere.host() + ":" + somewhere.port() + "/postgres?user="
                + somewhere.user() + (somewhere.password().isEmpty() ? "" : "&password=" + somewhere.password());
        try (ServiceResolver resolver = ServiceResolver.resolve(Map.of("MIG_TEST_PG_URL", url))) {
            PostgresServer server = resolver.postgres();
            assertEquals(ServiceOrigin.ENVIRONMENT, server.origin(), server.description());
            assertEquals(somewhere.port(), server.port());
            IsolationChecks.databasesAreSeparate(server);
        }
    }

    @Test
    void usesTheRabbitMqNamedByTheVariableOrSaysWhyNot() throws Exception {
        AmqpServer somewhere = TestServices.amqp();
        String url = "amqp://" + somewhere.user() + ":" + somewhere.password() + "@" + somewhere.host() + ":"
                + somewhere.port();
        try (ServiceResolver resolver = ServiceResolver.resolve(Map.of("MIG_TEST_AMQP_URL", url))) {
            if (somewhere.origin() == ServiceOrigin.EMBEDDED) {
                // Qpid has no vhost API a client could call, so it cannot be named from outside.
                IllegalStateException e = assertThrows(IllegalStateException.class, resolver::amqp);
                assertTrue(e.getMessage().startsWith("MIG_TEST_AMQP_URL points at "), e.getMessage());
                assertTrue(e.getMessage().contains("only made on RabbitMQ"), e.getMessage());
            } else {
                AmqpServer server = resolver.amqp();
                assertEquals(ServiceOrigin.ENVIRONMENT, server.origin(), server.description());
                IsolationChecks.vhostsAreSeparate(server);
            }
        }
    }

    @Test
    void aPostgresUrlThatDoesNotWorkIsAnErrorNamingTheVariable() {
        try (ServiceResolver resolver = ServiceResolver.resolve(
                Map.of("MIG_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, resolver::postgres);
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "MIG_TEST_PG_URL points at 127.0.0.1:1/postgres as postgres but logging in failed: "),
                    e.getMessage());
            IllegalStateException again = assertThrows(IllegalStateException.class, resolver::postgres);
            assertEquals(e.getMessage(), again.getMessage(), "the failure is remembered, not retried per test");
        }
    }

    @Test
    void anAmqpUrlThatDoesNotWorkIsAnErrorNamingTheVariable() {
        try (ServiceResolver resolver =
                ServiceResolver.resolve(Map.of("MIG_TEST_AMQP_URL", "amqp://guest:secret@127.0.0.1:1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, resolver::amqp);
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "MIG_TEST_AMQP_URL points at 127.0.0.1:1 as guest but logging in to vhost / failed: "),
                    e.getMessage());
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
    }
}
