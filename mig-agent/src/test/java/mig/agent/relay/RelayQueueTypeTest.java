package mig.agent.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import mig.testkit.TestBroker;
import mig.testkit.TestServices;
import org.junit.jupiter.api.Test;

/**
 * The agent's queue on a relay cluster is a quorum queue; on a single relay it stays the original's
 * classic queue, and a classic queue left from before (an earlier agent of the same endpoint) does
 * not keep the agent from consuming.
 */
class RelayQueueTypeTest {

    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

    /** Whether {@code queue} is a quorum queue: re-declaring it as quorum succeeds only then. */
    private static boolean isQuorum(Connection c, String queue) throws IOException {
        Channel ch = c.createChannel();
        try {
            ch.queueDeclare(queue, true, false, false, QUORUM);
            return true;
        } catch (IOException e) {
            String why = String.valueOf(e.getCause());
            assertTrue(why.contains("PRECONDITION_FAILED"), why);
            return false;
        }
    }

    /** A fresh vhost; quorum queues need RabbitMQ, not the embedded broker the fixture falls back to. */
    private static TestBroker rabbitMq() {
        String broker = TestServices.amqp().description();
        org.junit.jupiter.api.Assumptions.assumeFalse(
                broker.contains("embedded"), "quorum queues need RabbitMQ; the test fixture found only " + broker);
        return TestServices.amqp().newBroker();
    }

    @Test
    void onASingleRelayTheQueueIsTheOriginalsClassicQueueSoAnOriginalAgentCanDeclareIt() throws Exception {
        try (TestBroker broker = rabbitMq();
                Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = Relay.declareQueue(c, "mig.agt.single", false);
            ch.close();
            // what the original agent declares: durable, no arguments
            c.createChannel().queueDeclare("mig.agt.single", true, false, false, null);
            assertEquals(false, isQuorum(c, "mig.agt.single"));
        }
    }

    @Test
    void onAClusterTheQueueIsAQuorumQueue() throws Exception {
        try (TestBroker broker = rabbitMq();
                Connection c = broker.connectionFactory().newConnection()) {
            Channel ch = Relay.declareQueue(c, "mig.agt.cluster", true);
            assertEquals(0, ch.queueDeclarePassive("mig.agt.cluster").getMessageCount());
            assertEquals(true, isQuorum(c, "mig.agt.cluster"));
            // An original agent pointed at the same queue is refused by the relay: documented in
            // docs/operations.md (a mixed fleet keeps one queue kind per endpoint).
            Channel original = c.createChannel();
            IOException e = assertThrows(
                    IOException.class, () -> original.queueDeclare("mig.agt.cluster", true, false, false, null));
            assertEquals(
                    true,
                    e.getCause().getMessage().contains("PRECONDITION_FAILED"),
                    e.getCause().getMessage());
        }
    }

    @Test
    void anEmptyClassicQueueFromBeforeIsReplacedByAQuorumQueue() throws Exception {
        try (TestBroker broker = rabbitMq();
                Connection c = broker.connectionFactory().newConnection()) {
            c.createChannel().queueDeclare("mig.agt.upgraded", true, false, false, null);
            Channel ch = Relay.declareQueue(c, "mig.agt.upgraded", true);
            assertEquals(true, ch.isOpen());
            assertEquals(true, isQuorum(c, "mig.agt.upgraded"));
        }
    }

    @Test
    void aClassicQueueHoldingCommandsIsKeptAndItsCommandsStillArrive() throws Exception {
        try (TestBroker broker = rabbitMq();
                Connection c = broker.connectionFactory().newConnection()) {
            Channel setup = c.createChannel();
            setup.queueDeclare("mig.agt.busy", true, false, false, null);
            setup.confirmSelect();
            setup.basicPublish("", "mig.agt.busy", null, "a command".getBytes(StandardCharsets.UTF_8));
            setup.waitForConfirmsOrDie(10_000);
            Channel ch = Relay.declareQueue(c, "mig.agt.busy", true);
            assertEquals(
                    "a command", new String(ch.basicGet("mig.agt.busy", true).getBody(), StandardCharsets.UTF_8));
            assertEquals(false, isQuorum(c, "mig.agt.busy"));
        }
    }
}
