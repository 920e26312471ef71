package mig.scheduler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import mig.common.Action;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.GenId;
import mig.common.Operation;
import mig.common.amqp.AmqpNames;
import mig.common.config.IniConfig;
import mig.common.json.GoTime;
import mig.common.pgp.KeyGen;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.CommandStore;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.scheduler.config.SchedulerConfig;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;

/**
 * A migrated database, a vhost, and the test's own AMQP connection, with the moves the tests make:
 * agents heartbeating, actions submitted as the API stores them, an agent queue to listen on,
 * results published as an agent would. Schedulers it starts are closed with it.
 */
final class Fixture implements AutoCloseable {

    /** One RSA key per test JVM, stored as the scheduler key of every test database. */
    private static KeyGen.Generated schedulerKey;

    private static final SecureRandom RANDOM = new SecureRandom();

    final MigDatabase db;
    final TestBroker broker;
    final Connection amqp;
    final Channel channel;
    final ActionStore actions;
    final AgentStore agents;
    final CommandStore commands;
    private final java.util.List<Scheduler> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Fixture(MigDatabase db, TestBroker broker) throws Exception {
        this.db = db;
        this.broker = broker;
        this.amqp = broker.connectionFactory().newConnection("test");
        this.channel = amqp.createChannel();
        this.actions = new ActionStore(db.dataSource());
        this.agents = new AgentStore(db.dataSource());
        this.commands = new CommandStore(db.dataSource());
    }

    /** A fresh schema with a scheduler key already in it (key generation is tested on its own). */
    static Fixture open(TestDatabase tdb, TestBroker broker) throws Exception {
        MigDatabase db = openDatabase(tdb);
        KeyGen.Generated k = key();
        new InvestigatorStore(db.dataSource())
                .createSchedulerKey(
                        k.fingerprint(),
                        k.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                        k.armoredSecretKey().getBytes(StandardCharsets.UTF_8),
                        Instant.now());
        return new Fixture(db, broker);
    }

    static MigDatabase openDatabase(TestDatabase tdb) {
        return MigDatabase.open(DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8), "test")
                .migrate();
    }

    private static synchronized KeyGen.Generated key() {
        if (schedulerKey == null) {
            schedulerKey = KeyGen.rsa(SchedulerIdentity.USER_ID, 2048);
        }
        return schedulerKey;
    }

    /** A scheduler that only reacts to NOTIFY and its own timers: the poll and periodic job wait an hour. */
    static SchedulerConfig pushOnly() {
        return config("[collector]\nfreq = 1h\n[periodic]\nfreq = 1h\n");
    }

    static SchedulerConfig config(String ini) {
        return SchedulerConfig.from(IniConfig.parse(ini, "test"));
    }

    Scheduler start(SchedulerConfig config) {
        Scheduler s = Scheduler.start(config, db, broker.connectionFactory());
        started.add(s);
        return s;
    }

    /** An agent that just heartbeated: online. */
    Agent online(String name) {
        String queueLoc = "linux." + randomAlnum(80);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Agent hb = heartbeat(name, queueLoc, now);
        long id = agents.heartbeat(hb, now);
        return agents.get(id).orElseThrow();
    }

    static Agent heartbeat(String name, String queueLoc, Instant sent) {
        return new Agent(
                0,
                name,
                queueLoc,
                Agent.MODE_DAEMON,
                "20260101-0.test",
                4242,
                "",
                sent,
                null,
                sent,
                sent,
                "",
                false,
                new AgentEnv(
                        "systemd",
                        "Debian 12 bookworm",
                        "linux",
                        "amd64",
                        false,
                        "",
                        List.of("192.0.2.2/24"),
                        "127.0.0.1",
                        null,
                        List.of("file")),
                Map.of("env", "test"));
    }

    /** Stores a pending action as the API does, valid from now for {@code window}. */
    Action submit(String target, Duration window) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return submit(target, now.minusSeconds(1), now.plus(window));
    }

    Action submit(String target, Instant validFrom, Instant expireAfter) {
        Action a = Action.draft(
                        "test " + target,
                        target,
                        validFrom,
                        expireAfter,
                        List.of(Operation.of(
                                "file", JsonNodeFactory.instance.objectNode().put("path", "/usr/bin"))))
                .withId(GenId.next())
                .withProgress(
                        Action.STATUS_PENDING,
                        GoTime.ACTION_START_PLACEHOLDER,
                        GoTime.ACTION_FINISH_PLACEHOLDER,
                        GoTime.ACTION_START_PLACEHOLDER,
                        null,
                        null);
        actions.insert(a, List.of());
        return a;
    }

    Action action(long id) {
        return actions.get(id).orElseThrow();
    }

    /** Declares the agent's queue as the agent would and collects what arrives in it. */
    BlockingQueue<Delivery> agentQueue(Agent agent) throws Exception {
        String q = AmqpNames.agentQueue(agent.queueLoc());
        Channel ch = amqp.createChannel();
        // With the scheduler's flags, for tests that bind before any scheduler has declared it.
        ch.exchangeDeclare(AmqpNames.TO_AGENTS, "direct", true, false, false, null);
        ch.queueDeclare(q, true, false, false, null);
        ch.queueBind(q, AmqpNames.TO_AGENTS, q);
        BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        ch.basicConsume(q, true, (tag, d) -> received.add(d), tag -> {});
        return received;
    }

    /** Publishes to {@code toschedulers} / {@code mig.agt.results}, as the agent does. */
    void publishResult(byte[] body) throws Exception {
        channel.basicPublish(
                AmqpNames.TO_SCHEDULERS,
                AmqpNames.RESULTS,
                true,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType("text/plain")
                        .build(),
                body);
    }

    /** Publishes a legacy heartbeat to {@code toschedulers} / {@code mig.agt.heartbeats}. */
    void publishHeartbeat(byte[] body) throws Exception {
        channel.basicPublish(
                AmqpNames.TO_SCHEDULERS,
                AmqpNames.HEARTBEATS,
                true,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType("text/plain")
                        .build(),
                body);
    }

    /** Publishes a legacy heartbeat with these AMQP headers. */
    void publishHeartbeat(byte[] body, Map<String, Object> headers) throws Exception {
        channel.basicPublish(
                AmqpNames.TO_SCHEDULERS,
                AmqpNames.HEARTBEATS,
                true,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType("text/plain")
                        .headers(headers)
                        .build(),
                body);
    }

    static String randomAlnum(int n) {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Override
    public void close() throws java.io.IOException {
        for (Scheduler s : started) {
            s.close();
        }
        amqp.close();
        db.close();
    }
}
