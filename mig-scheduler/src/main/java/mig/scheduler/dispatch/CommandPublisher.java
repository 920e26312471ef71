package mig.scheduler.dispatch;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ReturnListener;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import mig.common.Action;
import mig.common.Command;
import mig.common.amqp.AmqpNames;
import mig.common.json.GoJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes commands to {@code toagents} with the original's message properties (persistent,
 * {@code text/plain}, timestamp, mandatory, {@code expiration} = expireafter − validfrom in ms) and
 * waits for the broker's confirms, keeping at most {@value #WINDOW} unconfirmed.
 *
 * <p><b>A slow confirm is not a lost message.</b> Confirms are awaited as long as the channel is
 * open and the action valid: a broker that holds them back (a memory or disk alarm, an overloaded
 * machine) still has the messages, and publishing them again would double its load exactly when
 * it is overloaded. Only when the channel dies, or the broker refuses (nacks) a routed message, is
 * the publish abandoned; the action then stays {@code preparing} and a later round publishes its
 * unanswered commands again, including those whose confirms had not come yet: an agent may then
 * receive a command twice, drops the copy (agents de-duplicate by command id), and a second
 * result changes nothing.
 *
 * <p><b>Unroutable commands</b> (the agent has no queue: it vanished, or never had one) come back
 * as returns. As in the original they are published once and not again: they stay {@code sent} and
 * end {@code expired} at the action's expiry. One log line per action says how many there were.
 * RabbitMQ confirms a returned message with an ack, Qpid Broker-J with a nack; either way it counts
 * as published (Qpid sends the return after the nack, hence a round trip before a nack is
 * taken for a refusal).
 *
 * <p>Used by the dispatch thread only. The channel is reopened when it was lost: automatic
 * recovery restores channels after a connection failure, not after we dropped one.
 */
public final class CommandPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandPublisher.class);
    /** Unconfirmed commands at most: enough to keep the broker busy, a bound on what a lost channel costs. */
    static final int WINDOW = 2048;
    /** How often a wait for confirms looks at the action's validity, and says it is still waiting. */
    private static final Duration WAIT_SLICE = Duration.ofSeconds(1);

    private static final Duration WAIT_REPORT = Duration.ofSeconds(30);

    private final Connection connection;
    private final Clock clock;
    private final boolean logEachCommand;
    private Channel channel;
    private Tracker tracker;

    /** Thrown when the commands could not all be published; none of them is known to be lost. */
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

    /** {@link #publish(List, BooleanSupplier)}, waiting for every confirm. */
    public synchronized int publish(List<Command> commands) throws PublishException, InterruptedException {
        return publish(commands, () -> true);
    }

    /**
     * Publishes the commands of one action and waits until the broker confirmed every one of them,
     * or until {@code stillOpen} says the action finished meanwhile (every command final: their
     * results came back even though their confirms did not yet).
     *
     * @return how many the broker could not route (they stay sent and expire with the action)
     */
    public synchronized int publish(List<Command> commands, BooleanSupplier stillOpen)
            throws PublishException, InterruptedException {
        if (commands.isEmpty()) {
            return 0;
        }
        Action action = commands.get(0).action();
        try {
            Channel ch = channel();
            Tracker t = tracker;
            t.startAction();
            for (Command cmd : commands) {
                if (!t.awaitBelow(WINDOW, ch, action, commands.size(), stillOpen)) {
                    return 0;
                }
                t.track(ch.getNextPublishSeqNo(), cmd);
                ch.basicPublish(
                        AmqpNames.TO_AGENTS,
                        AmqpNames.agentQueue(cmd.agent().queueLoc()),
                        true,
                        false,
                        properties(cmd),
                        GoJson.marshalBytes(cmd));
                if (logEachCommand) {
                    LOG.info(
                            "action={} command={} agent={} name='{}' queueloc={}: command sent",
                            cmd.action().id(),
                            cmd.id(),
                            cmd.agent().id(),
                            cmd.agent().name(),
                            cmd.agent().queueLoc());
                }
            }
            if (!t.awaitBelow(1, ch, action, commands.size(), stillOpen)) {
                LOG.info(
                        "action={} finished while the broker had not confirmed all its commands yet; not waiting "
                                + "for the rest",
                        action.id());
                return 0;
            }
            if (t.refused() > 0) {
                // Qpid Broker-J nacks an unroutable message and returns it after the nack. A round trip
                // on the channel makes sure every return sent before its answer has been handled.
                ch.exchangeDeclarePassive(AmqpNames.TO_AGENTS);
                if (t.refused() > 0) {
                    throw new IOException("the broker refused (nacked) " + t.refused() + " commands");
                }
            }
            List<Command> returned = t.returned();
            if (!returned.isEmpty()) {
                Command first = returned.get(0);
                LOG.warn(
                        "action={}: the broker could not route {} commands (the agents have no queue, e.g. agent={} "
                                + "queue {}); published once, they stay sent and expire with the action at {}",
                        action.id(),
                        returned.size(),
                        first.agent().id(),
                        AmqpNames.agentQueue(first.agent().queueLoc()),
                        action.expireAfter());
            }
            return returned.size();
        } catch (IOException | RuntimeException e) {
            dropChannel();
            throw new PublishException(describe(e), e);
        } catch (InterruptedException e) {
            dropChannel();
            throw e;
        }
    }

    /** The original's properties: persistent, text/plain, now, TTL = the action's validity window. */
    AMQP.BasicProperties properties(Command cmd) {
        long ttl = Math.max(
                0,
                Duration.between(cmd.action().validFrom(), cmd.action().expireAfter())
                        .toMillis());
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
            Tracker t = new Tracker();
            ch.addReturnListener(t);
            ch.addConfirmListener(t);
            ch.addShutdownListener(cause -> t.wake());
            channel = ch;
            tracker = t;
        }
        return channel;
    }

    private void dropChannel() {
        Channel ch = channel;
        channel = null;
        tracker = null;
        if (ch != null && ch.isOpen()) {
            try {
                ch.abort();
            } catch (IOException ignored) {
                // A channel we give up on; the next publish opens another.
            }
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public synchronized void close() {
        dropChannel();
    }

    /**
     * The confirms and returns of one channel, by publish sequence number. The client calls the
     * listeners on its connection thread in the order the broker sent the frames, and the broker
     * sends a message's return before its confirm.
     */
    private final class Tracker implements ConfirmListener, ReturnListener {

        private final NavigableMap<Long, Command> unconfirmed = new TreeMap<>();
        private final Set<Long> returnedIds = new HashSet<>();
        private final List<Command> returned = new ArrayList<>();
        /** Ids of commands the broker nacked: unroutable on Qpid Broker-J, an internal error on RabbitMQ. */
        private final Set<Long> nackedIds = new HashSet<>();

        synchronized void startAction() {
            unconfirmed.clear();
            returnedIds.clear();
            returned.clear();
            nackedIds.clear();
        }

        synchronized void track(long seqNo, Command cmd) {
            unconfirmed.put(seqNo, cmd);
        }

        synchronized List<Command> returned() {
            return List.copyOf(returned);
        }

        /** Nacked commands that were not returned as unroutable. */
        synchronized int refused() {
            return (int)
                    nackedIds.stream().filter(id -> !returnedIds.contains(id)).count();
        }

        synchronized void wake() {
            notifyAll();
        }

        /**
         * Waits until fewer than {@code limit} commands are unconfirmed, as long as the channel is
         * open and the action valid.
         *
         * @return false if the action finished meanwhile ({@code stillOpen} said so): every command
         *     is final, its confirms no longer matter
         */
        boolean awaitBelow(int limit, Channel ch, Action action, int total, BooleanSupplier stillOpen)
                throws IOException, InterruptedException {
            Instant since = clock.instant();
            Instant reportAt = since.plus(WAIT_REPORT);
            while (true) {
                int waiting;
                synchronized (this) {
                    if (unconfirmed.size() < limit) {
                        return true;
                    }
                    if (!ch.isOpen()) {
                        throw new IOException(unconfirmed.size() + " of " + total + " commands unconfirmed when the "
                                + "channel closed (" + ch.getCloseReason() + ")");
                    }
                    wait(WAIT_SLICE.toMillis());
                    if (unconfirmed.size() < limit) {
                        return true;
                    }
                    waiting = unconfirmed.size();
                }
                // Out of the monitor: the client's connection thread must not wait for the database.
                Instant now = clock.instant();
                if (!now.isBefore(action.expireAfter())) {
                    throw new IOException("the action expired while " + waiting + " of " + total
                            + " commands awaited their confirms");
                }
                if (!stillOpen.getAsBoolean()) {
                    return false;
                }
                if (!now.isBefore(reportAt)) {
                    LOG.warn(
                            "action={}: {} of {} commands not confirmed by the broker for {} s; still waiting (as long "
                                    + "as the channel is open and the action valid, publishing again would only add to the "
                                    + "broker's load)",
                            action.id(),
                            waiting,
                            total,
                            Duration.between(since, now).toSeconds());
                    reportAt = now.plus(WAIT_REPORT);
                }
            }
        }

        @Override
        public synchronized void handleAck(long deliveryTag, boolean multiple) {
            settle(deliveryTag, multiple, true);
        }

        @Override
        public synchronized void handleNack(long deliveryTag, boolean multiple) {
            settle(deliveryTag, multiple, false);
        }

        private void settle(long deliveryTag, boolean multiple, boolean ack) {
            NavigableMap<Long, Command> done = multiple
                    ? unconfirmed.headMap(deliveryTag, true)
                    : unconfirmed.subMap(deliveryTag, true, deliveryTag, true);
            if (!ack) {
                for (Command cmd : done.values()) {
                    nackedIds.add(cmd.id());
                }
            }
            done.clear();
            notifyAll();
        }

        @Override
        public synchronized void handleReturn(
                int replyCode,
                String replyText,
                String exchange,
                String routingKey,
                AMQP.BasicProperties properties,
                byte[] body) {
            try {
                Command cmd = GoJson.unmarshal(body, Command.class);
                if (returnedIds.add(cmd.id())) {
                    returned.add(cmd);
                }
            } catch (RuntimeException e) {
                LOG.warn(
                        "the broker returned a message to {} that is not a command we published ({} {})",
                        routingKey,
                        replyCode,
                        replyText);
            }
        }
    }
}
