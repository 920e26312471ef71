package mig.scheduler;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import mig.common.GenId;
import mig.common.Version;
import mig.common.amqp.AmqpNames;
import mig.common.config.GoDuration;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.DatabaseException;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.database.scheduling.ActionQueue;
import mig.database.scheduling.AgentUpkeep;
import mig.database.scheduling.CommandCompletion;
import mig.scheduler.agents.AgentStatusJob;
import mig.scheduler.agents.DuplicateAgents;
import mig.scheduler.agents.HeartbeatIntake;
import mig.scheduler.agents.Whitelist;
import mig.scheduler.amqp.BatchingConsumer;
import mig.scheduler.amqp.ManualAckConsumer;
import mig.scheduler.amqp.Topology;
import mig.scheduler.config.SchedulerConfig;
import mig.scheduler.dispatch.ActionDispatcher;
import mig.scheduler.dispatch.CommandFactory;
import mig.scheduler.dispatch.CommandPublisher;
import mig.scheduler.dispatch.NewActionListener;
import mig.scheduler.results.ResultIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MIG scheduler: {@link #start} it on a database and a relay, {@link #close} it to stop.
 * The lifecycle of an action is drawn in {@link ActionDispatcher}. What runs where:
 * <pre>
 *  PostgreSQL NOTIFY mig_action_new ─► listener thread ─┐
 *  [collector] freq poll, relay recovered (full round) ─┼─► dispatch thread: claim, target, store,
 *  validfrom wake-up, expireafter timers ───────────────┘   publish (confirms), expire
 *  mig.agt.results    ─► AMQP consumer ─► results thread: store a delivery batch in one
 *                        transaction, multiple-ack after commit, complete actions
 *  mig.agt.heartbeats ─► AMQP consumer: legacy heartbeat → agent online (ack after commit)
 *  [periodic] freq    ─► upkeep thread: idle / offline marking, agents_stats row
 * </pre>
 * Nothing lives only in memory: on start the scheduler re-arms the expiry timers of actions in
 * flight and runs a full round, which finishes what a stopped scheduler left scheduled or
 * preparing. Several schedulers may share a database and a relay. The RabbitMQ client's automatic
 * connection and topology recovery brings the relay back, after which a full round publishes what
 * could not be published meanwhile; the LISTEN connection is reopened by its thread and the pooled
 * connections by the pool.
 *
 * <p>Left out, compared to the original: deleting RabbitMQ queues of vanished endpoints, and the
 * spool directories (kill orders for duplicate agents go straight to the database).
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /**
     * Results unacked at most, and stored per transaction at most: while one batch is stored the
     * broker delivers the next. Bounds the memory held by results to 256 of them.
     */
    private static final int RESULTS_PREFETCH = 256;

    private static final int RESULTS_BATCH = 128;
    private static final int HEARTBEATS_PREFETCH = 64;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final Connection relay;
    private final Connection publishing;
    private final CommandPublisher publisher;
    private final Clockwork clockwork;
    private final BatchingConsumer results;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Scheduler(
            Connection relay,
            Connection publishing,
            CommandPublisher publisher,
            Clockwork clockwork,
            BatchingConsumer results) {
        this.relay = relay;
        this.publishing = publishing;
        this.publisher = publisher;
        this.clockwork = clockwork;
        this.results = results;
    }

    /** Starts with the system clock. */
    public static Scheduler start(SchedulerConfig config, MigDatabase db, ConnectionFactory relayFactory) {
        return start(config, db, relayFactory, Clock.systemUTC());
    }

    /**
     * Starts a scheduler: makes sure the scheduler key exists, connects to the relay (turning on
     * the factory's automatic recovery), declares the topology, starts consuming results and
     * heartbeats, and dispatches whatever is due. The database is the caller's to close.
     *
     * @throws SchedulerException if the relay cannot be reached or the topology declared
     */
    public static Scheduler start(SchedulerConfig config, MigDatabase db, ConnectionFactory relayFactory, Clock clock) {
        LOG.info("mig-scheduler {} starting", Version.VERSION);
        ActionQueue queue = new ActionQueue(db.dataSource());
        try {
            if (!queue.notifiesNewActions()) {
                LOG.warn(
                        "the database has no mig_action_new trigger (MIG for Java's V2 migration): new actions "
                                + "are found by the {} poll only; migrate the database (the API does) to dispatch them at once",
                        GoDuration.format(config.pollFreq()));
            }
            SchedulerIdentity.ensure(db, clock);
        } catch (DatabaseException e) {
            throw new SchedulerException(
                    "the database " + db.config().jdbcUrl() + " cannot be used: " + e.getMessage()
                            + "; it must hold MIG's schema (the API creates and migrates it)",
                    e);
        }
        Connection relay = connect(relayFactory, "mig-scheduler");
        // Commands go out on a connection of their own: when the broker throttles a fast publisher
        // (credit flow), it stops reading that connection, which would hold back the acks of the
        // results consumed on it too (RabbitMQ's advice: publish and consume on separate connections).
        Connection publishing;
        try {
            publishing = connect(relayFactory, "mig-scheduler-publisher");
        } catch (SchedulerException e) {
            closeQuietly(relay);
            throw e;
        }
        try {
            Channel topology = relay.createChannel();
            Topology.declare(topology);

            CommandCompletion completion = new CommandCompletion(db.dataSource());
            AgentStore agents = new AgentStore(db.dataSource());
            CommandPublisher publisher = new CommandPublisher(publishing, clock, config.logActions());
            ActionDispatcher dispatcher =
                    new ActionDispatcher(queue, agents, completion, new CommandFactory(GenId::next), publisher, clock);
            Clockwork clockwork = new Clockwork(clock, dispatcher::run, dispatcher::expire);
            onRecovery(relay, () -> clockwork.requestRound(true));
            onRecovery(publishing, () -> clockwork.requestRound(true));

            BatchingConsumer results = BatchingConsumer.start(
                    relay.createChannel(),
                    AmqpNames.RESULTS,
                    RESULTS_PREFETCH,
                    RESULTS_BATCH,
                    new ResultIntake(completion, clock, clockwork::cancelExpiry),
                    RETRY_PAUSE);
            ManualAckConsumer.start(
                    relay.createChannel(),
                    AmqpNames.HEARTBEATS,
                    HEARTBEATS_PREFETCH,
                    new HeartbeatIntake(agents, new Whitelist(config.whitelist()), config, clock),
                    RETRY_PAUSE);

            NewActionListener listener = new NewActionListener(db.config(), () -> clockwork.requestRound(false));
            clockwork.loop("mig-scheduler-listen", listener::run);
            clockwork.everyOnDispatch("poll", config.pollFreq(), () -> clockwork.requestRound(true));
            clockwork.everyOnUpkeep(
                    "periodic",
                    config.periodicFreq(),
                    new AgentStatusJob(
                            new AgentUpkeep(db.dataSource()),
                            new DuplicateAgents(
                                    agents,
                                    new ActionStore(db.dataSource()),
                                    new InvestigatorStore(db.dataSource()),
                                    config),
                            config,
                            clock));
            for (ActionQueue.Deadline d : dispatcher.openDeadlines()) {
                clockwork.expireAt(d.actionId(), d.expireAfter());
            }
            clockwork.requestRound(true);
            if (config.killDupAgents() && !config.detectMultiAgents()) {
                LOG.warn("[agent] killdupagents is set without detectmultiagents: no duplicate agent is looked "
                        + "for, so no kill order is issued (as the original)");
            }
            LOG.info(
                    "mig-scheduler started: relay {}, database {}, poll every {}, periodic every {}",
                    relay.getAddress().getHostAddress() + ":" + relay.getPort(),
                    db.config().jdbcUrl(),
                    GoDuration.format(config.pollFreq()),
                    GoDuration.format(config.periodicFreq()));
            return new Scheduler(relay, publishing, publisher, clockwork, results);
        } catch (IOException | RuntimeException e) {
            closeQuietly(publishing);
            closeQuietly(relay);
            throw new SchedulerException(
                    "the scheduler could not set up the relay's exchanges, queues and " + "consumers: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Stops taking work, lets the round under way finish, and disconnects from the relay. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        clockwork.close();
        results.close();
        publisher.close();
        closeQuietly(publishing);
        closeQuietly(relay);
        LOG.info("mig-scheduler stopped");
    }

    private static Connection connect(ConnectionFactory factory, String name) {
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(5_000);
        String where = factory.getHost() + ":" + factory.getPort() + " vhost " + factory.getVirtualHost();
        try {
            Connection c = factory.newConnection(name);
            c.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    LOG.warn("connection to the relay {} lost ({}); reconnecting", where, cause.getMessage());
                }
            });
            onRecovery(c, () -> LOG.info("connection to the relay {} recovered", where));
            return c;
        } catch (IOException | TimeoutException e) {
            throw new SchedulerException(
                    "cannot connect to the relay (RabbitMQ) at " + where + " as "
                            + factory.getUsername() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage())
                            + "; check [mq] in the configuration",
                    e);
        }
    }

    /** Runs {@code action} each time automatic recovery has brought the connection back. */
    private static void onRecovery(Connection c, Runnable action) {
        if (c instanceof Recoverable r) {
            r.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                    action.run();
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    // The shutdown listener has said the connection was lost.
                }
            });
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close(5_000);
        } catch (IOException | RuntimeException e) {
            c.abort();
        }
    }
}
