package mig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code MIG_TEST_PG=embedded} and {@code MIG_TEST_AMQP=embedded} start zonky PostgreSQL and Qpid
 * Broker-J in this JVM, even though local servers may be running, and they isolate tests just as
 * well: Qpid gets a virtual host node per test at run time.
 */
class EmbeddedIT {

    private static ServiceResolver resolver;

    @BeforeAll
    static void forceEmbedded() {
        resolver = ServiceResolver.resolve(Map.of("MIG_TEST_PG", "embedded", "MIG_TEST_AMQP", "EMBEDDED"));
    }

    @AfterAll
    static void stopsWhatItStarted() {
        int pgPort = resolver.postgres().port();
        int amqpPort = resolver.amqp().port();
        resolver.close();
        assertThrows(ConnectException.class, () -> connect(pgPort), "zonky PostgreSQL still listens");
        assertThrows(ConnectException.class, () -> connect(amqpPort), "Qpid still listens");
        assertThrows(IllegalStateException.class, resolver::postgres);
    }

    @Test
    void startsEmbeddedPostgres() {
        assertEquals(
                ServiceOrigin.EMBEDDED,
                resolver.postgres().origin(),
                resolver.postgres().description());
    }

    @Test
    void startsEmbeddedQpid() {
        AmqpServer amqp = resolver.amqp();
        assertEquals(ServiceOrigin.EMBEDDED, amqp.origin(), amqp.description());
        assertEquals("127.0.0.1", amqp.host());
    }

    @Test
    void databasesAreIsolated() throws Exception {
        IsolationChecks.databasesAreSeparate(resolver.postgres());
    }

    @Test
    void vhostsAreIsolated() throws Exception {
        IsolationChecks.vhostsAreSeparate(resolver.amqp());
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }
}
