package mig.bench.fleet;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mig.agent.command.CommandProcessor;
import mig.agent.command.OperationRunner;
import mig.agent.trust.Trust;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.amqp.AmqpNames;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.modules.Module;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many simulated MIG agents in one JVM, against a real broker and API. Each agent has its own
 * durable queue {@code mig.agt.<queueloc>} bound to {@code toagents} and consumed with prefetch 1,
 * heartbeats to the API with the real body, and answers every command through the real agent's
 * {@link CommandProcessor}: unmarshal, {@link Trust#authorize} (signatures against its keyring, then
 * the ACL), the module ({@link FleetEchoModule}), the reply with its own queueloc. Like the real
 * agent's spool, it answers a command once: a copy delivered again is acknowledged and dropped.
 *
 * <p>What is shared so that 10,000 agents fit: consumers sit {@value #AGENTS_PER_CHANNEL} to a
 * channel and {@value #CHANNELS_PER_CONNECTION} channels to a connection (one AMQP connection per
 * agent would need 10,000 sockets and reader threads); commands are handled by a pool of
 * {@code workers} threads; results go out through {@link ResultPublisher}; heartbeats through one
 * HTTP client ({@link HeartbeatSender}). Connections recover on their own after a broker outage,
 * queues, bindings and consumers included.
 *
 * <pre>
 *   broker ─► consumer thread ─► worker: Command ─► Trust ─► module ─► reply ─► ResultPublisher
 *                                                                                   │ confirm
 *   (redelivered by the broker if the ack never comes)  ◄── ack ◄───────────────────┘
 * </pre>
 */
public final class Fleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
    static final int AGENTS_PER_CHANNEL = 200;
    static final int CHANNELS_PER_CONNECTION = 5;
    /** Channels per connection when each agent has a channel of its own. */
    static final int SMALL_CHANNELS_PER_CONNECTION = 50;

    private static final Duration MODULE_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration RECOVERY_INTERVAL = Duration.ofSeconds(2);
    private static final String REFUSAL_PREFIX = "parseCommands() -> ";

    /**
     * How to build the fleet.
     *
     * @param agents         how many agents
     * @param amqpUri        the relay, {@code amqp://user:pass@host:port/vhost}; for a relay cluster the
     *                       nodes' URIs separated by commas (user, password and vhost from the first): the
     *                       agents then declare quorum queues and fail over between the nodes, as the
     *                       real agent given several relays does
     * @param apiUrl         the API base, {@code http://127.0.0.1:port/api/v1/}
     * @param trust          the keys and ACL every agent trusts (the real agent's {@link Trust})
     * @param workers        threads handling commands (modules run on them)
     * @param agentsPerChannel consumers per AMQP channel: {@value #AGENTS_PER_CHANNEL} for a big fleet;
     *                       1 where the broker counts prefetch per channel (Qpid) and commands take time
     * @param namePrefix     agent host names are {@code <prefix>-<index>.example.net}
     * @param tags           tags every agent reports
     */
    public record Settings(
            int agents,
            String amqpUri,
            String apiUrl,
            Trust trust,
            int workers,
            int agentsPerChannel,
            String namePrefix,
            Map<String, String> tags) {

        public Settings {
            if (agents < 1) {
                throw new IllegalArgumentException("a fleet needs at least one agent, got " + agents);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            if (agentsPerChannel < 1) {
                throw new IllegalArgumentException("agentsPerChannel must be at least 1, got " + agentsPerChannel);
            }
            Objects.requireNonNull(amqpUri, "amqpUri");
            Objects.requireNonNull(apiUrl, "apiUrl");
            Objects.requireNonNull(trust, "trust");
            tags = Map.copyOf(tags);
        }
    }

    private final List<SimAgent> agents;
    private final List<Connection> connections;
    private final ResultPublisher publisher;
    private final HeartbeatSender heartbeats;
    private final OperationRunner runner;
    private final ExecutorService workers;
    private final ExecutorService consumerThreads;
    private final Map<Long, ActionTrack> tracks = new ConcurrentHashMap<>();
    private final List<Address> addresses;
    private final boolean quorum;
    private final List<ConnectionEvents> connectionEvents = new ArrayList<>();

    private Fleet(Settings s, List<SimAgent> agents, OperationRunner runner)
            throws IOException, TimeoutException, URISyntaxException, GeneralSecurityException {
        this.agents = List.copyOf(agents);
        this.runner = runner;
        this.workers = Executors.newFixedThreadPool(s.workers(), ResultPublisher.daemon("fleet-worker"));
        this.consumerThreads = Executors.newFixedThreadPool(2, ResultPublisher.daemon("fleet-consumer"));
        List<String> uris = relayUris(s.amqpUri());
        ConnectionFactory factory = factory(uris.get(0));
        factory.setSharedExecutor(consumerThreads);
        this.addresses = addresses(uris);
        this.quorum = uris.size() > 1;
        this.publisher = new ResultPublisher(factory, addresses, 4, Duration.ofMinutes(50));
        this.connections = new ArrayList<>();
        this.heartbeats = new HeartbeatSender(this.agents, s.apiUrl());
        try {
            subscribeAll(factory, s.agentsPerChannel());
        } catch (IOException | TimeoutException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Creates the agents, declares and consumes their queues (the scheduler must have declared
     * {@code toagents}, or the fleet declares it with the scheduler's flags). Heartbeats start with
     * {@link #register} and {@link #startHeartbeats}.
     */
    public static Fleet start(Settings s) throws IOException, TimeoutException {
        List<String> moduleNames = List.of(FleetEchoModule.NAME);
        Map<String, Module> modules = Map.of(FleetEchoModule.NAME, new FleetEchoModule());
        OperationRunner runner = new OperationRunner(modules, s.workers(), Clock.systemUTC(), false);
        List<SimAgent> list = new ArrayList<>(s.agents());
        for (int i = 0; i < s.agents(); i++) {
            String queueLoc = SimAgent.newQueueLoc();
            list.add(new SimAgent(
                    i,
                    String.format("%s-%05d.example.net", s.namePrefix(), i),
                    queueLoc,
                    10_000 + i,
                    SimAgent.environment(i, moduleNames),
                    s.tags(),
                    new CommandProcessor(s.trust(), runner, MODULE_TIMEOUT, queueLoc, Clock.systemUTC()),
                    ConcurrentHashMap.newKeySet()));
        }
        try {
            return new Fleet(s, list, runner);
        } catch (URISyntaxException | GeneralSecurityException e) {
            runner.close();
            throw new IllegalArgumentException("invalid AMQP URI for the fleet: " + e.getMessage(), e);
        } catch (IOException | TimeoutException | RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /** The relay URIs in {@code amqpUri}: one, or several separated by commas. */
    static List<String> relayUris(String amqpUri) {
        List<String> out = Arrays.stream(amqpUri.split(","))
                .map(String::trim)
                .filter(u -> !u.isEmpty())
                .toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no relay URI in '" + amqpUri + "'");
        }
        return out;
    }

    private static List<Address> addresses(List<String> uris) throws URISyntaxException, GeneralSecurityException {
        List<Address> out = new ArrayList<>();
        for (String u : uris) {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(u);
            out.add(new Address(f.getHost(), f.getPort()));
        }
        return out;
    }

    private static ConnectionFactory factory(String uri) throws URISyntaxException, GeneralSecurityException {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(uri);
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(RECOVERY_INTERVAL.toMillis());
        f.setConnectionTimeout(10_000);
        f.setRequestedHeartbeat(30);
        return f;
    }

    private void subscribeAll(ConnectionFactory factory, int perChannel) throws IOException, TimeoutException {
        long start = System.nanoTime();
        Connection conn = null;
        Channel ch = null;
        int channels = 0;
        for (SimAgent a : agents) {
            if (a.index() % perChannel == 0) {
                int perConnection = perChannel == 1 ? SMALL_CHANNELS_PER_CONNECTION : CHANNELS_PER_CONNECTION;
                boolean newConnection = channels % perConnection == 0;
                if (newConnection) {
                    // the client tries the nodes in a shuffled order: the connections spread over them
                    conn = factory.newConnection(addresses, "fleet-agents-" + connections.size());
                    connections.add(conn);
                    connectionEvents.add(ConnectionEvents.watch(conn));
                }
                ch = conn.createChannel();
                if (newConnection) {
                    // On a channel that stays open: recovery re-declares what a channel recorded.
                    ch.exchangeDeclare(AmqpNames.TO_SCHEDULERS, BuiltinExchangeType.DIRECT, true, false, false, null);
                    ch.exchangeDeclare(AmqpNames.TO_AGENTS, BuiltinExchangeType.DIRECT, true, false, false, null);
                }
                ch.basicQos(1);
                channels++;
            }
            Channel consume = ch;
            consume.queueDeclare(a.queueName(), true, false, false, quorum ? AmqpNames.AGENT_QUEUE_ON_CLUSTER : null);
            connectionEvents.get(connectionEvents.size() - 1).agents.incrementAndGet();
            consume.queueBind(a.queueName(), AmqpNames.TO_AGENTS, a.queueName());
            consume.basicConsume(
                    a.queueName(),
                    false,
                    "fleet-" + a.index(),
                    (tag, delivery) -> onDelivery(a, consume, delivery),
                    tag -> {});
        }
        LOG.info(
                "fleet of {} agents consuming on {} channels over {} connections (set up in {} ms)",
                agents.size(),
                channels,
                connections.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private void onDelivery(SimAgent a, Channel ch, Delivery d) {
        try {
            workers.execute(() -> handle(a, ch, d));
        } catch (RejectedExecutionException e) {
            // Closing: the command stays unacked and the broker keeps it.
        }
    }

    private void handle(SimAgent a, Channel ch, Delivery d) {
        long tag = d.getEnvelope().getDeliveryTag();
        long received = System.nanoTime();
        Command cmd;
        try {
            cmd = GoJson.unmarshal(d.getBody(), Command.class);
        } catch (GoJsonException e) {
            LOG.warn("agent {}: dropping a message that is not a command: {}", a.index(), e.getMessage());
            ack(ch, tag);
            return;
        }
        if (cmd == null) {
            ack(ch, tag);
            return;
        }
        ActionTrack track = track(cmd.action().id());
        track.delivered(cmd.id(), received);
        if (!a.taken().add(cmd.id())) {
            // Delivered again (its ack was lost with a connection): answered or being answered already.
            ack(ch, tag);
            return;
        }
        Command reply;
        try {
            reply = a.processor().execute(cmd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.error("agent {}: command {} broke the agent: {}", a.index(), cmd.id(), e.toString());
            ack(ch, tag);
            return;
        }
        if (isRefusal(reply)) {
            track.refused();
        }
        publisher.publish(GoJson.marshalBytes(reply), () -> {
            track.confirmed(System.nanoTime());
            ack(ch, tag);
        });
    }

    private static boolean isRefusal(Command reply) {
        if (!Command.STATUS_FAILED.equals(reply.status()) || reply.results() == null) {
            return false;
        }
        for (ModuleResult r : reply.results()) {
            if (r.errors() != null && r.errors().stream().anyMatch(e -> e.startsWith(REFUSAL_PREFIX))) {
                return true;
            }
        }
        return false;
    }

    private static void ack(Channel ch, long tag) {
        try {
            ch.basicAck(tag, false);
        } catch (IOException | AlreadyClosedException e) {
            // The channel died with the connection: the broker delivers the command again.
        }
    }

    /** One heartbeat from every agent, as agents do when they start. @return how many the API refused */
    public int register() throws InterruptedException {
        return heartbeats.registerAll();
    }

    /** Heartbeats from every agent every {@code period}, spread over the period. */
    public void startHeartbeats(Duration period) {
        heartbeats.startPeriodic(period);
    }

    /** What the fleet saw of an action (created on first use). */
    public ActionTrack track(long actionId) {
        return tracks.computeIfAbsent(actionId, ActionTrack::new);
    }

    public int size() {
        return agents.size();
    }

    /** The agents' queue locations, in agent order. */
    public List<String> queueLocs() {
        return agents.stream().map(SimAgent::queueLoc).toList();
    }

    /** The agents' host names, in agent order. */
    public List<String> names() {
        return agents.stream().map(SimAgent::name).toList();
    }

    /** Heartbeats sent in a window of {@link System#nanoTime()}. */
    public HeartbeatWindow heartbeatsBetween(long fromNanos, long toNanos) {
        return heartbeats.between(fromNanos, toNanos);
    }

    /** Heartbeats not answered 200 since the start. */
    public long heartbeatFailures() {
        return heartbeats.failures();
    }

    /** Results published again because their confirm was lost with a connection or refused. */
    public int resultsPublishedAgain() {
        return publisher.publishedAgain();
    }

    /** What happened to each of the agents' connections: where it went, when it was lost and back. */
    public List<ConnectionEvents> connectionEvents() {
        return List.copyOf(connectionEvents);
    }

    /**
     * One AMQP connection of the agents: how many agents consume on it, the node it is on now, when
     * it was last lost and when it was recovered after that ({@link System#nanoTime()}, 0 if never).
     */
    public static final class ConnectionEvents {
        final AtomicInteger agents = new AtomicInteger();
        private final Connection connection;
        private volatile long lostNanos;
        private volatile long recoveredNanos;
        private volatile int lostPort;

        private ConnectionEvents(Connection connection) {
            this.connection = connection;
        }

        static ConnectionEvents watch(Connection c) {
            ConnectionEvents e = new ConnectionEvents(c);
            c.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    e.lostPort = c.getPort();
                    e.lostNanos = System.nanoTime();
                }
            });
            if (c instanceof Recoverable r) {
                r.addRecoveryListener(new RecoveryListener() {
                    @Override
                    public void handleRecovery(Recoverable recoverable) {
                        e.recoveredNanos = System.nanoTime();
                    }

                    @Override
                    public void handleRecoveryStarted(Recoverable recoverable) {}
                });
            }
            return e;
        }

        public int agents() {
            return agents.get();
        }

        /** The port of the node the connection is on now. */
        public int port() {
            return connection.getPort();
        }

        /** The port of the node it was on when it was lost, 0 if it never was. */
        public int lostPort() {
            return lostPort;
        }

        public long lostNanos() {
            return lostNanos;
        }

        /** When it was recovered after its last loss, 0 if not (yet). */
        public long recoveredNanos() {
            return recoveredNanos > lostNanos ? recoveredNanos : 0;
        }

        public boolean open() {
            return connection.isOpen();
        }
    }

    /** Results waiting for the broker to come back. */
    public int resultsWaiting() {
        return publisher.waiting();
    }

    @Override
    public void close() {
        heartbeats.close();
        workers.shutdownNow();
        for (Connection c : connections) {
            c.abort(5_000);
        }
        if (publisher != null) {
            publisher.close();
        }
        consumerThreads.shutdownNow();
        runner.close();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
