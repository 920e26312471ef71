package mig.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a test author relies on, checked the same way for every source: two test databases, or two
 * test vhosts, do not see each other, and closing one really removes it.
 */
final class IsolationChecks {

    private static final Logger log = LoggerFactory.getLogger(IsolationChecks.class);

    private IsolationChecks() {}

    /** Two databases: a table made in one is absent from the other; a closed one is dropped. */
    static void databasesAreSeparate(PostgresServer server) throws SQLException {
        long start = System.nanoTime();
        TestDatabase first = server.newDatabase();
        long created = System.nanoTime();
        try (TestDatabase second = server.newDatabase()) {
            assertNotEquals(first.name(), second.name());
            assertTrue(first.name().matches("mig_test_[0-9a-f]{16}"), first.name());
            try (java.sql.Connection c = first.connect();
                    Statement st = c.createStatement()) {
                assertEquals(first.name(), scalar(st, "SELECT current_database()"));
                assertEquals("UTF8", scalar(st, "SHOW server_encoding"));
                st.execute("CREATE TABLE agents (id bigint PRIMARY KEY, name text)");
                st.execute("INSERT INTO agents VALUES (1, 'agent one')");
            }
            try (java.sql.Connection c = second.connect();
                    Statement st = c.createStatement()) {
                assertNull(
                        scalar(st, "SELECT to_regclass('public.agents')::text"),
                        "the table made in " + first.name() + " must not exist in " + second.name());
                st.execute("CREATE TABLE agents (id text)"); // same name, other shape: no clash
                long dropStart = System.nanoTime();
                first.close();
                log.info(
                        "{}: CREATE DATABASE took {} ms, DROP DATABASE {} ms",
                        server.origin(),
                        (created - start) / 1_000_000,
                        (System.nanoTime() - dropStart) / 1_000_000);
                assertEquals(
                        "0",
                        scalar(st, "SELECT count(*) FROM pg_database WHERE datname = '" + first.name() + "'"),
                        "closing a TestDatabase drops it");
            }
        } finally {
            first.close();
        }
    }

    /**
     * Two vhosts: exchange {@code toagents} with different flags in each, a message published with
     * publisher confirms comes back only in its own vhost, and a closed vhost disappears.
     */
    static void vhostsAreSeparate(AmqpServer server) throws Exception {
        long start = System.nanoTime();
        TestBroker first = server.newBroker();
        TestBroker second = server.newBroker();
        long created = System.nanoTime();
        try (second;
                Connection c1 = first.connectionFactory().newConnection("isolation-1");
                Connection c2 = second.connectionFactory().newConnection("isolation-2")) {
            log.info("{}: two vhosts took {} ms to hand out", server.origin(), (created - start) / 1_000_000);
            assertNotEquals(first.vhost(), second.vhost());
            Channel ch1 = c1.createChannel();
            Channel ch2 = c2.createChannel();
            ch1.exchangeDeclare("toagents", BuiltinExchangeType.DIRECT, true);
            ch2.exchangeDeclare("toagents", BuiltinExchangeType.TOPIC, false);

            // The control: within one vhost the same redeclaration fails (RabbitMQ closes the channel
            // with 406, Qpid the connection with 530), so the success above is the vhosts' doing.
            try (Connection c3 = first.connectionFactory().newConnection("isolation-clash")) {
                Channel clash = c3.createChannel();
                IOException redeclared = assertThrows(
                        IOException.class, () -> clash.exchangeDeclare("toagents", BuiltinExchangeType.TOPIC, false));
                assertTrue(
                        String.valueOf(redeclared.getCause()).contains("toagents"),
                        String.valueOf(redeclared.getCause()));
            } catch (AlreadyClosedException closedByBroker) {
                // Qpid closed the connection itself.
            }

            assertEquals("for " + first.vhost(), roundTrip(ch1, "agent.one", "for " + first.vhost()));
            assertEquals("for " + second.vhost(), roundTrip(ch2, "agent.one", "for " + second.vhost()));
            assertEquals(0, ch1.queueDeclarePassive("mig.agt.one").getMessageCount());

            Channel probe = c2.createChannel();
            ch1.queueDeclare("only-in-first", false, false, false, null);
            assertThrows(IOException.class, () -> probe.queueDeclarePassive("only-in-first"));
        } finally {
            first.close();
        }
        assertVhostGone(first);
    }

    /** Publishes with confirms to {@code toagents}, consumes the message back from its queue. */
    private static String roundTrip(Channel channel, String routingKey, String body)
            throws IOException, InterruptedException, TimeoutException {
        channel.queueDeclare("mig.agt.one", true, false, false, null);
        channel.queueBind("mig.agt.one", "toagents", routingKey);
        channel.confirmSelect();
        channel.basicPublish(
                "toagents",
                routingKey,
                true,
                MessageProperties.PERSISTENT_TEXT_PLAIN,
                body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
        BlockingQueue<String> received = new ArrayBlockingQueue<>(10);
        String tag = channel.basicConsume(
                "mig.agt.one",
                false,
                (consumerTag, delivery) -> {
                    received.add(new String(delivery.getBody(), StandardCharsets.UTF_8));
                    channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                },
                consumerTag -> {});
        String message = received.poll(5, TimeUnit.SECONDS);
        channel.basicCancel(tag);
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "exactly one message expected");
        return message;
    }

    /** Deletion runs in the background, so wait until a login to the vhost is refused (RabbitMQ took over 15 s at load 30). */
    static void assertVhostGone(TestBroker broker) {
        await("vhost " + broker.vhost() + " refusing logins after close()")
                .atMost(Duration.ofSeconds(60))
                .until(() -> {
                    Connection stillThere;
                    try {
                        stillThere = broker.connectionFactory().newConnection("gone-check");
                    } catch (IOException | TimeoutException refused) {
                        return true;
                    }
                    try {
                        stillThere.close();
                    } catch (IOException | AlreadyClosedException kickedOutByTheDeletion) {
                        return true;
                    }
                    return false;
                });
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
