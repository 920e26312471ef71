package mig.agent.relay;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mig.agent.config.AgentConfig;
import mig.agent.identity.AgentIdentity;
import mig.agent.spool.Spool;
import mig.common.amqp.AmqpNames;
import mig.common.config.GoDuration;
import mig.common.tls.PemTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the relay (spec §5): its durable queue {@code mig.agt.<queueloc>} bound to
 * {@code toagents}, consumed with prefetch 1, and results published to {@code toschedulers} with
 * routing key {@code mig.agt.results}.
 *
 * <p>Delivery guarantee. The handler runs a command and leaves its result in the {@link Spool};
 * the relay then publishes what the spool holds (publisher confirms) and acknowledges the command.
 * The acknowledgement waits for the command to end: a crash, a shutdown or a lost connection leaves
 * the command on the queue and the relay delivers it again, and the spool then says whether it
 * already ran (so it is not run twice). A result the relay cannot take stays in the spool and is
 * published after the next (re)connection, or by a retry every {@link ResultPublisher#RETRY_EVERY}. The original
 * acked on receipt, so a crash lost the command, and it exited after three failed publishes.
 *
 * <p>Lifecycle and threads:
 * <pre>
 *   start() ─▶ [mig-relay-connect] connect (retry 1s..60s) ─▶ declare queue, bind, consume ─▶ flush spool
 *                                         ▲                              │ delivery
 *            channel closed by broker ────┘                              ▼
 *                                  [mig-command] handler ─▶ spool ─▶ flush spool (publish+confirm) ─▶ ack
 *   connection recovered ─▶ flush spool
 * </pre>
 * Connection loss is repaired by the client's automatic recovery (connection, channels, queue,
 * binding, consumer); a channel the broker closes on its own (queue deleted, consumer cancelled) is
 * set up again by the connect thread. Commands and spool flushes run one at a time on the single
 * {@code mig-command} thread, which alone uses the publishing channel. {@link #lock} guards
 * {@link #connection}, {@link #consumeChannel}, {@link #consumerTag} and {@link #consuming}.
 * Publishing and spool flushes are {@link ResultPublisher}'s.
 */
public final class Relay implements AutoCloseable {

    /** What the relay hands each message to. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Handles one delivery; a result to publish is left in the spool.
         *
         * @throws InterruptedException when the agent shuts down mid-command (the message stays queued)
         */
        void handle(byte[] body) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final AgentIdentity identity;
    private final Handler handler;
    private final Spool spool;
    private final Clock clock;
    private final ScheduledExecutorService connector;
    private final ExecutorService worker;
    private final ExecutorService dispatch;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object lock = new Object();
    private Connection connection;
    private Channel consumeChannel;
    private String consumerTag;
    private boolean consuming;
    private final ResultPublisher publisher;
    private volatile boolean closed;
    private volatile Instant lastActivity;
    /**
     * What an {@link Error} out of the handler does: the process exits with status 70 (halt, not
     * exit: the shutdown hook would wait for this very thread to finish the command).
     */
    private final java.util.function.Consumer<Error> fatal = e -> {
        LOG.error(
                "the agent cannot go on ({}); exiting with status 70 so that its supervisor restarts it",
                e.toString(),
                e);
        Runtime.getRuntime().halt(70);
    };

    /** @param spool where the handler leaves results, and where unpublished results wait */
    public Relay(AgentConfig config, AgentIdentity identity, Handler handler, Spool spool, Clock clock) {
        this.config = config;
        this.identity = identity;
        this.handler = handler;
        this.spool = spool;
        this.clock = clock;
        this.connector = Executors.newSingleThreadScheduledExecutor(daemon("mig-relay-connect"));
        this.worker = Executors.newSingleThreadExecutor(daemon("mig-command"));
        this.dispatch = Executors.newSingleThreadExecutor(daemon("mig-relay-dispatch"));
        this.publisher = new ResultPublisher(config, spool, clock, this::openConnection, worker, connector);
        this.lastActivity = clock.instant();
    }

    /** Connects in the background, retrying until the relay answers or {@link #close()}. */
    public void start() {
        connector.execute(() -> connectLoop(Duration.ofSeconds(1)));
    }

    /** Waits until the agent's queue is being consumed. @return false on timeout */
    public boolean awaitConsuming(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!consuming) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /**
     * True when consuming, no command is under way, no result waits in the spool and nothing
     * arrived for {@code quiet}.
     */
    public boolean idleFor(Duration quiet) {
        synchronized (lock) {
            if (!consuming) {
                return false;
            }
        }
        return inFlight.get() == 0 && !lastActivity.plus(quiet).isAfter(clock.instant()) && spool.pendingCount() == 0;
    }

    private void connectLoop(Duration backoff) {
        if (closed) {
            return;
        }
        try {
            subscribe();
        } catch (IOException | TimeoutException | GeneralSecurityException | URISyntaxException | RuntimeException e) {
            LOG.warn(
                    "cannot use relay {}: {}; retrying in {}",
                    config.relayForDisplay(),
                    describe(e),
                    GoDuration.format(backoff));
            Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            try {
                connector.schedule(() -> connectLoop(next), backoff.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                LOG.debug("relay closed while retrying");
            }
        }
    }

    private void subscribe() throws IOException, TimeoutException, GeneralSecurityException, URISyntaxException {
        Connection conn;
        synchronized (lock) {
            if (connection == null) {
                ConnectionFactory factory = connectionFactory(config);
                // Few threads on an endpoint: one for deliveries (they only hand over to mig-command).
                factory.setSharedExecutor(dispatch);
                // Several relay URIs: the client picks one node (shuffled) and its automatic
                // recovery moves to another when that node goes away.
                connection = factory.newConnection(addresses(config), "mig-agent");
                LOG.info("connected to relay {}", config.relayForDisplay());
                connection.addShutdownListener(cause -> {
                    if (!cause.isInitiatedByApplication()) {
                        LOG.warn("connection to relay {} lost: {}", config.relayForDisplay(), cause.getMessage());
                        setConsuming(false);
                    }
                });
                if (connection instanceof Recoverable r) {
                    r.addRecoveryListener(new RecoveryListener() {
                        @Override
                        public void handleRecoveryStarted(Recoverable recoverable) {
                            LOG.info("reconnecting to relay {}", config.relayForDisplay());
                        }

                        @Override
                        public void handleRecovery(Recoverable recoverable) {
                            LOG.info("connection to relay {} recovered", config.relayForDisplay());
                            setConsuming(true);
                            publisher.requestFlush();
                        }
                    });
                }
            }
            conn = connection;
        }
        ensureExchange(conn, AmqpNames.TO_AGENTS);
        ensureExchange(conn, AmqpNames.TO_SCHEDULERS);
        String queue = identity.queueName();
        Channel ch = declareQueue(conn, queue, config.relays().size() > 1);
        String consumerTag;
        try {
            ch.basicQos(1);
            ch.queueBind(queue, AmqpNames.TO_AGENTS, queue);
            consumerTag = ch.basicConsume(
                    queue,
                    false,
                    (tag, delivery) -> onDelivery(ch, delivery),
                    tag -> onLostSubscription("the relay cancelled the consumer"),
                    (tag, sig) -> {
                        if (!sig.isHardError() && !sig.isInitiatedByApplication()) {
                            onLostSubscription("the relay closed the channel: " + sig.getMessage());
                        }
                    });
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
        synchronized (lock) {
            Channel old = consumeChannel;
            consumeChannel = ch;
            this.consumerTag = consumerTag;
            consuming = true;
            lock.notifyAll();
            closeQuietly(old);
        }
        lastActivity = clock.instant();
        LOG.info("consuming commands from queue {} (prefetch 1)", abbreviate(queue));
        publisher.requestFlush();
    }

    /**
     * Declares the agent's queue and returns the channel that did, for the bind and the consumer
     * (automatic recovery re-declares what that channel declared). On a single relay it is the
     * original's classic durable queue with no arguments. On a relay cluster (several URIs) it is a
     * quorum queue, replicated on the cluster's nodes, so losing the node this agent or its queue
     * was on does not strand the agent: a classic queue is unusable while its node is down. A queue
     * left by an earlier single-relay agent is classic, and declaring it as quorum fails with
     * PRECONDITION_FAILED: it is replaced when empty, else kept classic (with a warning).
     */
    static Channel declareQueue(Connection conn, String queue, boolean quorum) throws IOException {
        Channel ch = conn.createChannel();
        if (!quorum) {
            declareOrClose(ch, queue, null);
            return ch;
        }
        try {
            ch.queueDeclare(queue, true, false, false, AmqpNames.AGENT_QUEUE_ON_CLUSTER);
            return ch;
        } catch (IOException e) {
            if (replyCode(e) != AMQP.PRECONDITION_FAILED) {
                closeQuietly(ch);
                throw e;
            }
        }
        Channel again = conn.createChannel();
        try {
            again.queueDelete(queue, false, true);
            declareOrClose(again, queue, AmqpNames.AGENT_QUEUE_ON_CLUSTER);
            LOG.info("queue {} was a classic queue; re-declared it as a quorum queue", abbreviate(queue));
            return again;
        } catch (IOException notEmpty) {
            LOG.warn(
                    "queue {} exists as a classic queue holding commands; keeping it classic (it is "
                            + "unavailable while its relay node is down): {}",
                    abbreviate(queue),
                    describe(notEmpty));
            Channel classic = conn.createChannel();
            declareOrClose(classic, queue, null);
            return classic;
        }
    }

    private static void declareOrClose(Channel ch, String queue, java.util.Map<String, Object> args)
            throws IOException {
        try {
            ch.queueDeclare(queue, true, false, false, args);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Every relay URI's host and port, for a connection that can move between cluster nodes. */
    static java.util.List<com.rabbitmq.client.Address> addresses(AgentConfig config) throws URISyntaxException {
        java.util.List<com.rabbitmq.client.Address> all = new java.util.ArrayList<>();
        for (String one : config.relays()) {
            java.net.URI u = new java.net.URI(one);
            int port = u.getPort() != -1 ? u.getPort() : one.startsWith("amqps:") ? 5671 : 5672;
            all.add(new com.rabbitmq.client.Address(u.getHost(), port));
        }
        return all;
    }

    /** A {@code [certs]} file, none when the setting is empty. */
    private static Optional<Path> pemFile(String setting) {
        return setting.isEmpty() ? Optional.empty() : Optional.of(Path.of(setting));
    }

    /** A factory for the relay: recovering, 5 s connect timeout, AMQP heartbeat 2 × heartbeatfreq. */
    static ConnectionFactory connectionFactory(AgentConfig config)
            throws URISyntaxException, GeneralSecurityException, IOException {
        ConnectionFactory f = new ConnectionFactory();
        String relay = config.relays().get(0);
        f.setUri(relay);
        String path = new java.net.URI(relay).getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            // Go's amqp.ParseURI reads "amqp://host:5672/" (the original's default) as vhost "/";
            // the Java client would read it as the empty vhost.
            f.setVirtualHost("/");
        }
        if (relay.startsWith("amqps:")) {
            f.useSslProtocol(PemTls.context(
                    pemFile(config.certs().ca()),
                    pemFile(config.certs().cert()),
                    pemFile(config.certs().key())));
            f.enableHostnameVerification();
        }
        f.setThreadFactory(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(5000);
        f.setConnectionTimeout(5000);
        f.setRequestedHeartbeat((int) Math.min(
                65535, Math.max(1, config.heartbeatFreq().multipliedBy(2).toSeconds())));
        return f;
    }

    /**
     * Makes sure an exchange exists: agents normally may not declare {@code toagents} and
     * {@code toschedulers} (the scheduler does), so a passive check comes first; a development relay
     * without a scheduler yet gets them declared as the scheduler would (direct, durable).
     */
    private static void ensureExchange(Connection conn, String name) throws IOException, TimeoutException {
        Channel probe = conn.createChannel();
        try {
            probe.exchangeDeclarePassive(name);
            closeQuietly(probe);
            return;
        } catch (IOException e) {
            if (replyCode(e) != AMQP.NOT_FOUND) {
                throw e;
            }
        }
        Channel declare = conn.createChannel();
        try {
            declare.exchangeDeclare(name, BuiltinExchangeType.DIRECT, true, false, null);
            LOG.info("exchange {} did not exist (is the scheduler running?); declared it", name);
        } finally {
            closeQuietly(declare);
        }
    }

    /** The connection if it is open now, for the publisher. */
    private Optional<Connection> openConnection() {
        synchronized (lock) {
            return connection != null && connection.isOpen() ? Optional.of(connection) : Optional.empty();
        }
    }

    private void setConsuming(boolean on) {
        synchronized (lock) {
            consuming = on && !closed;
            lock.notifyAll();
        }
    }

    private void onLostSubscription(String why) {
        setConsuming(false);
        if (closed) {
            return;
        }
        LOG.warn("{}; subscribing to {} again", why, abbreviate(identity.queueName()));
        try {
            connector.schedule(() -> connectLoop(Duration.ofSeconds(1)), 1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("relay closed");
        }
    }

    private void onDelivery(Channel ch, Delivery delivery) {
        inFlight.incrementAndGet();
        lastActivity = clock.instant();
        try {
            worker.execute(() -> handle(ch, delivery));
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            LOG.debug(
                    "shutting down: message {} stays queued",
                    delivery.getEnvelope().getDeliveryTag());
        }
    }

    private void handle(Channel ch, Delivery delivery) {
        long tag = delivery.getEnvelope().getDeliveryTag();
        try {
            handler.handle(delivery.getBody());
            publisher.flush();
            ack(ch, tag);
        } catch (InterruptedException e) {
            LOG.info("shutting down mid-command: the command stays queued and runs at the next start");
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("dropping a message that broke the agent: {}", e.toString(), e);
            reject(ch, tag);
        } catch (Error e) {
            // The command could not be answered, or the agent can no longer run one: serving on
            // would leave it unacknowledged (with prefetch 1, no later command would come) while the
            // heartbeats say "online". Exit non-zero; the supervisor restarts the agent, the relay
            // delivers the command again and the spool answers it.
            fatal.accept(e);
        } finally {
            lastActivity = clock.instant();
            inFlight.decrementAndGet();
        }
    }

    private static void ack(Channel ch, long tag) {
        try {
            ch.basicAck(tag, false);
        } catch (IOException | AlreadyClosedException e) {
            LOG.warn("could not acknowledge delivery {} ({}); the relay will deliver it again", tag, e.toString());
        }
    }

    private static void reject(Channel ch, long tag) {
        try {
            ch.basicReject(tag, false);
        } catch (IOException | AlreadyClosedException e) {
            LOG.warn("could not reject delivery {}: {}", tag, e.toString());
        }
    }

    /**
     * Stops consuming, gives the command under way a few seconds to finish and be acked (else
     * interrupts it and leaves it queued), and closes the connection.
     */
    @Override
    public void close() {
        closed = true;
        publisher.close();
        connector.shutdownNow();
        Connection conn;
        synchronized (lock) {
            consuming = false;
            cancelQuietly(consumeChannel, consumerTag);
            conn = connection;
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
                worker.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (conn != null) {
            try {
                conn.close((int) CLOSE_WAIT.toMillis());
            } catch (IOException | AlreadyClosedException e) {
                conn.abort();
            }
        }
        dispatch.shutdown();
    }

    /** Stops deliveries but keeps the channel, so the command under way can still be acked. */
    private static void cancelQuietly(Channel ch, String tag) {
        if (ch == null || tag == null) {
            return;
        }
        try {
            if (ch.isOpen()) {
                ch.basicCancel(tag);
            }
        } catch (IOException | AlreadyClosedException e) {
            LOG.debug("cancelling consumer: {}", e.toString());
        }
    }

    private static void closeQuietly(Channel ch) {
        if (ch == null) {
            return;
        }
        try {
            if (ch.isOpen()) {
                ch.close();
            }
        } catch (IOException | TimeoutException | AlreadyClosedException e) {
            LOG.debug("closing channel: {}", e.toString());
        }
    }

    private static int replyCode(IOException e) {
        if (e.getCause() instanceof ShutdownSignalException sse && sse.getReason() instanceof AMQP.Channel.Close c) {
            return c.getReplyCode();
        }
        return -1;
    }

    static String describe(Exception e) {
        if (e instanceof IOException && e.getCause() instanceof ShutdownSignalException sse) {
            return sse.getCause() != null ? sse.getMessage() + " (" + sse.getCause() + ")" : sse.getMessage();
        }
        String text = e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString();
        return e.getCause() != null && e.getCause() != e ? text + " (" + e.getCause() + ")" : text;
    }

    /** The queue name without most of the uid: the uid is a shared secret, logs are not. */
    private static String abbreviate(String queue) {
        return queue.length() > 24 ? queue.substring(0, 24) + "..." : queue;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
