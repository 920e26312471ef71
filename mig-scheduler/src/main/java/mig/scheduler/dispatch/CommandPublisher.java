package mig.scheduler.dispatch;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeoutException;
import mig.common.Command;
import mig.common.amqp.AmqpNames;
import mig.common.json.GoJson;
import mig.database.scheduling.ActionClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes commands to {@code toagents} with the original's message properties (persistent,
 * {@code text/plain}, timestamp, mandatory, {@code expiration} = expireafter − validfrom in ms) and
 * waits for the broker's confirms, batch by batch. A command the broker cannot route (the agent
 * never declared its queue) comes back and is logged; it stays {@code sent} and expires.
 *
 * <p>Used by the dispatch thread only. The channel is reopened when it was lost: automatic
 * recovery restores channels after a connection failure, not after a confirm timeout.
 */
public final class CommandPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandPublisher.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    private final Connection connection;
    private final Clock clock;
    private final boolean logEachCommand;
    private Channel channel;

    /** Thrown when not every command of a batch was confirmed; none of them is known to be lost. */
    public static final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public CommandPublisher(Connection connection, Clock clock, boolean logEachCommand) {
        this.connection = connection;
        this.clock = clock;
        this.logEachCommand = logEachCommand;
    }

    /** Publishes every command, {@value ActionClaim#BATCH} per confirm round. */
    public synchronized void publish(List<Command> commands) throws PublishException, InterruptedException {
        for (int from = 0; from < commands.size(); from += ActionClaim.BATCH) {
            List<Command> batch = commands.subList(from, Math.min(commands.size(), from + ActionClaim.BATCH));
            try {
                Channel ch = channel();
                for (Command cmd : batch) {
                    ch.basicPublish(AmqpNames.TO_AGENTS, AmqpNames.agentQueue(cmd.agent().queueLoc()), true, false,
                            properties(cmd), GoJson.marshalBytes(cmd));
                    if (logEachCommand) {
                        LOG.info("action={} command={} agent={} name='{}' queueloc={}: command sent",
                                cmd.action().id(), cmd.id(), cmd.agent().id(), cmd.agent().name(),
                                cmd.agent().queueLoc());
                    }
                }
                if (!ch.waitForConfirms(CONFIRM_TIMEOUT.toMillis())) {
                    throw new IOException("the broker refused (nacked) at least one message");
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                dropChannel();
                throw new PublishException(from + " of " + commands.size() + " commands confirmed, then "
                        + describe(e), e);
            }
        }
    }

    /** The original's properties: persistent, text/plain, now, TTL = the action's validity window. */
    AMQP.BasicProperties properties(Command cmd) {
        long ttl = Math.max(0, Duration.between(cmd.action().validFrom(), cmd.action().expireAfter()).toMillis());
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("text/plain")
                .timestamp(Date.from(clock.instant()))
                .expiration(Long.toString(ttl))
                .build();
    }

    private Channel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            Channel ch = connection.createChannel();
            ch.confirmSelect();
            ch.addReturnListener(CommandPublisher::returned);
            channel = ch;
        }
        return channel;
    }

    private void dropChannel() {
        Channel ch = channel;
        channel = null;
        if (ch != null && ch.isOpen()) {
            try {
                ch.abort();
            } catch (IOException ignored) {
                // A channel we give up on; the next publish opens another.
            }
        }
    }

    private static void returned(Return r) {
        String ids;
        try {
            Command cmd = GoJson.unmarshal(r.getBody(), Command.class);
            ids = "action=" + cmd.action().id() + " command=" + cmd.id() + " agent=" + cmd.agent().id();
        } catch (RuntimeException e) {
            ids = "command=?";
        }
        LOG.warn("{}: the broker could not route it to queue {} ({} {}): the agent has not declared its queue; "
                + "the command stays sent until the action expires", ids, r.getRoutingKey(), r.getReplyCode(),
                r.getReplyText());
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public synchronized void close() {
        dropChannel();
    }
}
