package mig.bench.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mig.bench.platform.ConfigFiles;
import mig.bench.platform.Investigator;
import mig.bench.platform.Programs;
import mig.bench.proc.ChildJvm;
import mig.client.api.MigApiClient;
import mig.common.Action;
import mig.common.Operation;
import mig.database.DbConfig;
import mig.database.MigDatabase;
import mig.testkit.TestDatabase;
import mig.testkit.TestServices;

/**
 * The node-loss run on bench/rabbit-cluster.sh's three-node relay cluster: a fresh database, the
 * API and the scheduler (child JVMs, the scheduler on node a), N real mig-agent JVMs given the three
 * node URIs (so they declare quorum queues and spread over the nodes), then for each of R actions:
 * post it, and after the first one is under way stop the node (b or c) holding most agent
 * connections ({@code rabbitmqctl stop_app}). It checks every command ends {@code success}, that no
 * result was published or taken twice, and that the agents of the lost node reconnected, and prints
 * the figures. The node is not brought back: later actions run on two nodes.
 *
 * <p>With {@code fleet} as the fourth argument the agents are the fleet simulator's instead
 * ({@link Fleet}: the real agent's command path, quorum queues, 50 agents to a connection over the
 * three nodes), so that a node is lost under a few thousand agents; the node stopped is the one
 * holding most of them. A result whose confirm was lost with its node is published again, so the
 * scheduler may receive it twice: it must then ignore it (no command is recorded twice).
 *
 * <p>usage: NodeLoss &lt;uri,uri,uri&gt; &lt;agents&gt; &lt;actions&gt; [fleet] (system property
 * mig.cluster.dir: the cluster's folder, whose ctl.sh runs rabbitmqctl on a node)
 */
public final class NodeLoss {

    private static final Pattern RESULT = Pattern.compile("command (\\d+): result published");

    private NodeLoss() {}

    public static void main(String[] args) throws Exception {
        String[] uris = args[0].split(",");
        int agents = Integer.parseInt(args[1]);
        int actions = Integer.parseInt(args[2]);
        boolean simulated = args.length > 3 && args[3].equals("fleet");
        Path clusterDir = Path.of(System.getProperty("mig.cluster.dir"));
        Path dir = Files.createDirectories(clusterDir.resolve("platform"));
        Investigator investigator = Investigator.generate("nodeloss");
        URI a = new URI(uris[0]);
        int failures = 0;
        try (TestDatabase tdb = TestServices.postgres().newDatabase()) {
            ConfigFiles.Postgres pg = ConfigFiles.Postgres.of(tdb, 10);
            try (MigDatabase db = MigDatabase.open(
                            DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2), "nodeloss")
                    .migrate()) {
                investigator.register(db);
            }
            int port = ConfigFiles.freePort();
            String apiUrl = "http://127.0.0.1:" + port + "/api/v1/";
            int port2 = ConfigFiles.freePort();
            ConfigFiles.Mq mq = new ConfigFiles.Mq(a.getHost(), a.getPort(), "guest", "guest", "mig");
            // Two APIs and two schedulers side by side on one database: actions are posted to the
            // first API and long-polled on the second.
            try (ChildJvm api = Programs.api(dir, port, pg, ChildJvm.SERVER_OPTIONS);
                    ChildJvm api2 = Programs.api(
                            Files.createDirectories(dir.resolve("api2")), port2, pg, ChildJvm.SERVER_OPTIONS);
                    ChildJvm scheduler = Programs.scheduler(
                            dir,
                            "mig-scheduler",
                            pg,
                            mq,
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(1),
                            ChildJvm.SERVER_OPTIONS);
                    ChildJvm scheduler2 = Programs.scheduler(
                            dir,
                            "mig-scheduler-2",
                            pg,
                            mq,
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(1),
                            ChildJvm.SERVER_OPTIONS);
                    Connection sql = tdb.connect()) {
                try (Agents fleetOrJvms = simulated
                        ? SimulatedAgents.start(uris, agents, apiUrl, investigator)
                        : AgentJvms.start(uris, agents, dir, apiUrl, investigator)) {
                    awaitCount(
                            sql,
                            "SELECT count(DISTINCT queueloc) FROM agents WHERE status = 'online'",
                            agents,
                            Duration.ofSeconds(simulated ? 180 : 60));
                    System.out.printf(
                            "platform up: APIs :%d and :%d, two schedulers on node a, %d agents online%n",
                            port, port2, agents);
                    String lost = fleetOrJvms.busiestNode(clusterDir);
                    MigApiClient client = new MigApiClient(apiUrl, investigator::token, "nodeloss", false);
                    MigApiClient client2 = new MigApiClient(
                            "http://127.0.0.1:" + port2 + "/api/v1/", investigator::token, "nodeloss", false);
                    Instant stoppedAt = null;
                    List<Long> ids = new ArrayList<>();
                    for (int n = 1; n <= actions; n++) {
                        long t0 = System.nanoTime();
                        long id = client.postAction(investigator.sign(fleetOrJvms.draft("node-loss " + n)))
                                .id();
                        ids.add(id);
                        if (n == 1) {
                            // mid-action: the commands exist and are being published/answered
                            awaitCount(
                                    sql,
                                    "SELECT count(*) FROM commands WHERE actionid = " + id,
                                    1,
                                    Duration.ofSeconds(30));
                            stoppedAt = Instant.now();
                            ctl(clusterDir, lost, "stop_app");
                            System.out.printf(
                                    "action %d posted; node rabbit-%s stopped %.2f s later%n",
                                    id, lost, (System.nanoTime() - t0) / 1e9);
                        }
                        boolean done = false;
                        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                        while (!done && System.nanoTime() < end) {
                            Action now = client2.waitAction(id, Duration.ofSeconds(20));
                            if (now == null) {
                                throw new IllegalStateException("API :" + port2 + " has no long poll (action/wait)");
                            }
                            done = Action.STATUS_COMPLETED.equals(now.status());
                        }
                        Map<String, Integer> statuses = statuses(sql, id);
                        System.out.printf(
                                "action %d: %s after %.1f s, commands %s%n",
                                id, done ? "completed" : "NOT completed", (System.nanoTime() - t0) / 1e9, statuses);
                        if (!done || statuses.getOrDefault("success", 0) != agents || statuses.size() != 1) {
                            failures++;
                        }
                    }
                    Agents.Figures f = fleetOrJvms.figures();
                    int ignored =
                            count(scheduler.output(), "result ignored") + count(scheduler2.output(), "result ignored");
                    System.out.printf("action ids: %s (posted to API :%d, long-polled on API :%d)%n", ids, port, port2);
                    int committed = single(sql, "SELECT count(*) FROM commands WHERE status = 'success'");
                    System.out.printf(
                            "node lost: rabbit-%s at %s; agents on it: %d, reconnected to another node: %d, "
                                    + "slowest reconnect %.1f s%n",
                            lost, stoppedAt, f.lostAgents(), f.reconnected(), f.slowestReconnectSeconds());
                    System.out.printf(
                            "results committed: %d of %d commands; results published by agents: %s; "
                                    + "published twice: %d; taken twice by the scheduler (ignored): %d%n",
                            committed,
                            agents * actions,
                            f.published() < 0 ? "n/a" : Integer.toString(f.published()),
                            f.publishedTwice(),
                            ignored);
                    // A result published twice may reach the scheduler twice; it must be ignored, and
                    // nothing else may arrive twice.
                    if (f.lostAgents() == 0
                            || f.reconnected() != f.lostAgents()
                            || ignored > f.publishedTwice()
                            || (!simulated && f.publishedTwice() != 0)
                            || committed != agents * actions) {
                        failures++;
                    }
                }
            }
        }
        System.out.println(failures == 0 ? "NODE-LOSS RUN: PASS" : "NODE-LOSS RUN: FAIL");
        System.exit(failures == 0 ? 0 : 1);
    }

    /** An action to every online agent, valid 10 minutes, running {@code module} with {@code parameters}. */
    static Action draft(String name, String module, String parameters) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Action.draft(
                name,
                "status='online'",
                now.minusSeconds(60),
                now.plus(Duration.ofMinutes(10)),
                List.of(Operation.of(module, new ObjectMapper().readTree(parameters))));
    }

    /** Node b or c (the schedulers are on a), whichever has more: {@code b >= c} picks b. */
    static String busier(String what, int b, int c) {
        System.out.printf("%s: node b %d, node c %d%n", what, b, c);
        return b >= c ? "b" : "c";
    }

    static String ctl(Path clusterDir, String node, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(clusterDir.resolve("ctl.sh").toString(), node));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Seconds of the day of the first log line holding both words, from its HH:mm:ss.SSS prefix. */
    static Double timeOf(String log, String a, String b) {
        for (String line : log.split("\n")) {
            if (line.contains(a) && line.contains(b)) {
                Matcher m = Pattern.compile("(\\d\\d):(\\d\\d):(\\d\\d)[.,](\\d{3})")
                        .matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1)) * 3600.0
                            + Integer.parseInt(m.group(2)) * 60
                            + Integer.parseInt(m.group(3))
                            + Integer.parseInt(m.group(4)) / 1000.0;
                }
            }
        }
        return null;
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static Map<String, Integer> statuses(Connection sql, long id) throws SQLException {
        Map<String, Integer> m = new HashMap<>();
        try (Statement st = sql.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT status, count(*) FROM commands WHERE actionid = " + id + " GROUP BY status")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getInt(2));
            }
        }
        return m;
    }

    private static int single(Connection sql, String query) throws SQLException {
        try (Statement st = sql.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean awaitCount(Connection sql, String query, int atLeast, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (single(sql, query) >= atLeast) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
