package mig.standalone.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mig.api.ApiConfig;
import mig.api.ApiServer;
import mig.bench.fleet.Fleet;
import mig.bench.fleet.FleetEchoModule;
import mig.bench.platform.Investigator;
import mig.bench.proc.ChildJvm;
import mig.client.api.MigApiClient;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Operation;
import mig.common.config.IniConfig;
import mig.database.DbConfig;
import mig.database.MigDatabase;
import mig.scheduler.Scheduler;
import mig.scheduler.config.SchedulerConfig;
import mig.testkit.TestBroker;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The platform a fault test breaks: a migrated database with one registered investigator, the API
 * in this JVM (authentication on), schedulers and a fleet of simulated agents as the test wants
 * them, and the checks every fault test ends with: each command of an action in a final state,
 * one command per agent, the statuses expected (so no result lost), and the counters the API serves
 * agreeing with the rows (so none counted twice).
 */
final class FaultRig implements AutoCloseable {

    /** One investigator key per test JVM: generating RSA keys costs a second of CPU each. */
    private static Investigator investigator;

    /** Scheduler settings of the fault tests: a safety poll every second, heartbeats every 5 s. */
    static final SchedulerConfig SCHEDULER = SchedulerConfig.from(IniConfig.parse(
            "[collector]\nfreq = 1s\n[periodic]\nfreq = 1h\n[agent]\nheartbeatfreq = 5s\n", "fault tests"));

    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    final MigDatabase db;
    final ApiServer api;
    final MigApiClient client;
    final Investigator inv;
    private final List<AutoCloseable> owned = new ArrayList<>();

    private FaultRig(MigDatabase db, ApiServer api, Investigator inv) {
        this.db = db;
        this.api = api;
        this.inv = inv;
        this.client = new MigApiClient(apiUrl(), inv::token, "fault-test", false);
    }

    /** Migrates the database, registers the investigator and starts the API on a free port. */
    static FaultRig start(DbConfig dbConfig) {
        MigDatabase db = MigDatabase.open(dbConfig, "fault-rig").migrate();
        try {
            Investigator inv = investigator();
            inv.register(db);
            ApiServer api = ApiServer.start(ApiConfig.local(0, "http://localhost", true, dbConfig), db);
            return new FaultRig(db, api, inv);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static synchronized Investigator investigator() {
        if (investigator == null) {
            investigator = Investigator.generate("faults");
        }
        return investigator;
    }

    static DbConfig dbConfig(mig.testkit.TestDatabase tdb) {
        return DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8);
    }

    String apiUrl() {
        return "http://127.0.0.1:" + api.port() + "/api/v1/";
    }

    /** A scheduler in this JVM, stopped with the rig. */
    Scheduler scheduler(ConnectionFactory relay) {
        return own(Scheduler.start(SCHEDULER, db, relay));
    }

    /**
     * {@code n} simulated agents on {@code amqpUri}, one channel each, registered (online) and
     * heartbeating every 5 s; stopped with the rig.
     */
    Fleet fleet(int n, String amqpUri, int workers) throws Exception {
        Fleet fleet = own(Fleet.start(
                new Fleet.Settings(n, amqpUri, apiUrl(), inv.trust(), workers, 1, "agent", Map.of("rig", "faults"))));
        int refused = fleet.register();
        assertEquals(0, refused, "first heartbeats refused by the API");
        await("all " + n + " agents online").atMost(Duration.ofSeconds(30)).until(() -> onlineAgents() >= n);
        fleet.startHeartbeats(HEARTBEAT);
        return fleet;
    }

    /** Signs and posts a {@code fleetecho} action; each agent's module takes {@code sleepMs}. */
    Action submit(String target, long sleepMs, Duration validFor) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Action draft = Action.draft(
                "fault test, module sleeps " + sleepMs + " ms",
                target,
                now.minusSeconds(30),
                now.plus(validFor),
                List.of(Operation.of(
                        FleetEchoModule.NAME,
                        JsonNodeFactory.instance.objectNode().put("sleepms", sleepMs))));
        return client.postAction(inv.sign(draft));
    }

    /** Waits until the action is completed, failing with its counters if it is not. */
    void awaitCompleted(long actionId, Duration timeout) throws Exception {
        try {
            await("action " + actionId + " completed")
                    .atMost(timeout)
                    .until(() -> Action.STATUS_COMPLETED.equals(status(actionId)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + explain(actionId), e);
        }
    }

    /** What a failed wait reports: the action's status, its commands' and the child programs' last lines. */
    private String explain(long actionId) {
        StringBuilder out = new StringBuilder("action status: ").append(status(actionId));
        try (Connection c = db.connection()) {
            out.append(", command statuses: ").append(statuses(c, actionId));
        } catch (SQLException e) {
            out.append(", command statuses unavailable: ").append(e.getMessage());
        }
        for (AutoCloseable thing : owned) {
            if (thing instanceof ChildJvm child) {
                out.append("\n--- last lines of ")
                        .append(child.name())
                        .append(" (pid ")
                        .append(child.pid())
                        .append(child.isAlive() ? ", running" : ", stopped")
                        .append(")\n")
                        .append(child.tail(60));
            }
        }
        return out.toString();
    }

    /**
     * The end state every fault test checks: exactly {@code agents} commands, one per agent, none
     * left {@code sent}, with the statuses {@code expected}; and the counters the API answers (its
     * own count of the rows) agree.
     */
    void assertExactlyOnce(long actionId, int agents, Map<String, Integer> expected) throws Exception {
        try (Connection c = db.connection()) {
            assertEquals(
                    agents,
                    count(c, "SELECT count(*) FROM commands WHERE actionid = ?", actionId),
                    "commands of action " + actionId);
            assertEquals(
                    agents,
                    count(c, "SELECT count(DISTINCT agentid) FROM commands WHERE actionid = ?", actionId),
                    "agents of action " + actionId + " (one command each)");
            assertEquals(new TreeMap<>(expected), statuses(c, actionId), "command statuses of action " + actionId);
        }
        Action served = client.getAction(actionId);
        ActionCounters c = served.counters();
        assertEquals(Action.STATUS_COMPLETED, served.status(), "status served by the API");
        assertEquals(agents, c.sent(), "counters.sent served by the API");
        assertEquals(agents, c.done(), "counters.done served by the API");
        assertEquals(expected.getOrDefault("success", 0), c.success(), "counters.success served by the API");
        assertEquals(expected.getOrDefault("expired", 0), c.expired(), "counters.expired served by the API");
    }

    /** Commands of an action that are final (answered or expired). */
    int finished(long actionId) {
        try (Connection c = db.connection()) {
            return count(c, "SELECT count(*) FROM commands WHERE actionid = ? AND status <> 'sent'", actionId);
        } catch (SQLException e) {
            return -1; // the database is away (a test stopped it): not finished as far as we can tell
        }
    }

    String status(long actionId) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT status FROM actions WHERE id = ?")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        } catch (SQLException e) {
            return "(database unavailable)";
        }
    }

    int onlineAgents() {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM agents WHERE status = 'online'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static Map<String, Integer> statuses(Connection c, long actionId) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT status, count(*) FROM commands WHERE actionid = ? GROUP BY status")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    private static int count(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The broker's URI with another host and port (a proxy in front of it). */
    static String amqpUri(TestBroker broker, String host, int port) {
        return "amqp://" + enc(broker.user()) + ":" + enc(broker.password()) + "@" + host + ":" + port + "/"
                + enc(broker.vhost());
    }

    /** A factory for the broker through another host and port. */
    static ConnectionFactory factory(TestBroker broker, String host, int port) {
        ConnectionFactory f = broker.connectionFactory();
        f.setHost(host);
        f.setPort(port);
        return f;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Closes {@code thing} with the rig, before the API and database, in reverse order of adoption. */
    <T extends AutoCloseable> T own(T thing) {
        owned.add(thing);
        return thing;
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        api.close();
        db.close();
    }
}
