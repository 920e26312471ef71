package mig.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import mig.common.Command;
import mig.common.json.GoJson;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The scheduler's side of the relay, as agent tests need it: the exchanges and the durable
 * {@code mig.agt.results} queue declared as the scheduler declares them, commands published to an
 * agent's queue, results collected.
 */
public final class FakeScheduler implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;
    private final BlockingQueue<Command> results = new LinkedBlockingQueue<>();

    public FakeScheduler(ConnectionFactory factory) throws IOException, TimeoutException {
        connection = factory.newConnection("fake-scheduler");
        channel = connection.createChannel();
        channel.exchangeDeclare("toagents", BuiltinExchangeType.DIRECT, true, false, null);
        channel.exchangeDeclare("toschedulers", BuiltinExchangeType.DIRECT, true, false, null);
        channel.queueDeclare("mig.agt.results", true, false, false, null);
        channel.queueBind("mig.agt.results", "toschedulers", "mig.agt.results");
        channel.basicConsume(
                "mig.agt.results",
                true,
                (tag, d) -> results.add(GoJson.unmarshal(d.getBody(), Command.class)),
                tag -> {});
    }

    /** Publishes {@code cmd} to queue {@code mig.agt.<queueLoc>}, persistent, as the scheduler does. */
    public void send(String queueLoc, Command cmd) throws IOException {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("text/plain")
                .expiration("360000")
                .build();
        channel.basicPublish("toagents", "mig.agt." + queueLoc, true, props, GoJson.marshalBytes(cmd));
    }

    /** Publishes raw bytes to an agent's queue (a malformed message). */
    public void sendRaw(String queueLoc, String body) throws IOException {
        channel.basicPublish("toagents", "mig.agt." + queueLoc, true, null, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The next result, failing the test after {@code timeout}. */
    public Command nextResult(Duration timeout) throws InterruptedException {
        Command c = results.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(c, "no result within " + timeout.toSeconds() + " s");
        return c;
    }

    /** Every result that arrives within {@code quiet}, without failing. */
    public List<Command> drain(Duration quiet) throws InterruptedException {
        List<Command> out = new ArrayList<>();
        Command c;
        while ((c = results.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            out.add(c);
        }
        return out;
    }

    /** The results that arrived so far, without waiting. */
    public List<Command> arrived() {
        List<Command> out = new ArrayList<>();
        results.drainTo(out);
        return out;
    }

    /** Consumers and ready messages of a queue (0, 0 when it does not exist yet). */
    public int[] queueState(String queue) throws IOException, TimeoutException {
        try (Channel probe = connection.createChannel()) {
            AMQP.Queue.DeclareOk ok = probe.queueDeclarePassive(queue);
            return new int[] {ok.getConsumerCount(), ok.getMessageCount()};
        } catch (IOException e) {
            return new int[] {0, 0};
        }
    }

    /**
     * Waits until the agent whose run folder is {@code runDir} consumes its queue.
     *
     * @return the agent's queue location
     */
    public String awaitAgent(Path runDir, Duration timeout, AgentProcess agent) throws Exception {
        Path id = runDir.resolve(".migagtid");
        try {
            return await("the agent consumes its queue")
                    .atMost(timeout)
                    .until(
                            () -> {
                                if (agent != null && !agent.isAlive()) {
                                    throw new AssertionError("the agent exited:\n" + agent.log()); // no use waiting on
                                }
                                String queueLoc = Files.exists(id)
                                        ? "linux." + Files.readString(id).strip()
                                        : null;
                                return queueLoc != null && queueState("mig.agt." + queueLoc)[0] > 0 ? queueLoc : null;
                            },
                            Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + (agent != null ? ":\n" + agent.log() : ""), e);
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
