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
 * <p>usage: NodeLoss &lt;uri,uri,uri&gt; &lt;agents&gt; &lt;actions&gt; (system property mig.cluster.dir:
 * the cluster's folder, whose ctl.sh runs rabbitmqctl on a node)
 */
public final class NodeLoss {

    private static final Pattern RESULT = Pattern.compile("command (\\d+): result published");

    private NodeLoss() {}

    public static void main(String[] args) throws Exception {
        String[] uris = args[0].split(",");
        int agents = Integer.parseInt(args[1]);
        int actions = Integer.parseInt(args[2]);
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
            List<ChildJvm> agentJvms = new ArrayList<>();
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
                try {
                    for (int i = 0; i < agents; i++) {
                        // Each agent lists the nodes starting from another one; the client shuffles them.
                        List<String> order = new ArrayList<>();
                        for (int k = 0; k < uris.length; k++) {
                            order.add(uris[(i + k) % uris.length]);
                        }
                        Path ad = Files.createDirectories(dir.resolve("agent" + i));
                        agentJvms.add(Programs.agent(
                                ad,
                                "mig-agent-" + i,
                                ad.resolve("conf"),
                                ad.resolve("run"),
                                String.join(",", order),
                                apiUrl,
                                Duration.ofSeconds(10),
                                investigator));
                    }
                    awaitCount(
                            sql,
                            "SELECT count(DISTINCT queueloc) FROM agents WHERE status = 'online'",
                            agents,
                            Duration.ofSeconds(60));
                    System.out.printf(
                            "platform up: APIs :%d and :%d, two schedulers on node a, %d agents online%n",
                            port, port2, agents);
                    String lost = busiestNode(clusterDir);
                    MigApiClient client = new MigApiClient(apiUrl, investigator::token, "nodeloss", false);
                    MigApiClient client2 = new MigApiClient(
                            "http://127.0.0.1:" + port2 + "/api/v1/", investigator::token, "nodeloss", false);
                    Instant stoppedAt = null;
                    List<Long> ids = new ArrayList<>();
                    for (int n = 1; n <= actions; n++) {
                        long t0 = System.nanoTime();
                        long id = client.postAction(investigator.sign(draft("node-loss " + n)))
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
                    // Figures from the agents' and the scheduler's logs.
                    int lostAgents = 0;
                    int reconnected = 0;
                    double maxReconnect = 0;
                    int duplicates = 0;
                    int published = 0;
                    for (ChildJvm ag : agentJvms) {
                        String out = ag.output();
                        Map<String, Integer> perCommand = new HashMap<>();
                        Matcher m = RESULT.matcher(out);
                        while (m.find()) {
                            perCommand.merge(m.group(1), 1, Integer::sum);
                            published++;
                        }
                        duplicates += perCommand.values().stream()
                                .mapToInt(c -> c - 1)
                                .sum();
                        Double lostAt = timeOf(out, "connection to relay", "lost");
                        if (lostAt != null) {
                            lostAgents++;
                            Double back = timeOf(out, "connection to relay", "recovered");
                            if (back != null) {
                                reconnected++;
                                maxReconnect = Math.max(maxReconnect, back - lostAt);
                            }
                        }
                    }
                    int ignored =
                            count(scheduler.output(), "result ignored") + count(scheduler2.output(), "result ignored");
                    System.out.printf("action ids: %s (posted to API :%d, long-polled on API :%d)%n", ids, port, port2);
                    int committed = single(sql, "SELECT count(*) FROM commands WHERE status = 'success'");
                    System.out.printf(
                            "node lost: rabbit-%s at %s; agents on it: %d, reconnected to another node: %d, "
                                    + "slowest reconnect %.1f s%n",
                            lost, stoppedAt, lostAgents, reconnected, maxReconnect);
                    System.out.printf(
                            "results committed: %d of %d commands; results published by agents: %d; "
                                    + "published twice: %d; taken twice by the scheduler: %d%n",
                            committed, agents * actions, published, duplicates, ignored);
                    if (lostAgents == 0
                            || reconnected != lostAgents
                            || duplicates != 0
                            || ignored != 0
                            || committed != agents * actions) {
                        failures++;
                    }
                } finally {
                    for (ChildJvm ag : agentJvms) {
                        ag.close();
                    }
                }
            }
        }
        System.out.println(failures == 0 ? "NODE-LOSS RUN: PASS" : "NODE-LOSS RUN: FAIL");
        System.exit(failures == 0 ? 0 : 1);
    }

    private static Action draft(String name) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Action.draft(
                name,
                "status='online'",
                now.minusSeconds(60),
                now.plus(Duration.ofMinutes(10)),
                List.of(Operation.of(
                        "file",
                        new ObjectMapper()
                                .readTree("{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^hostname$\"],"
                                        + "\"options\":{\"maxdepth\":1}}}}"))));
    }

    /** The node (b or c: the scheduler is on a) with the most client connections. */
    private static String busiestNode(Path clusterDir) throws Exception {
        String out = ctl(clusterDir, "a", "list_connections", "name");
        int b = count(out, "-> 127.0.0.1:" + (5681 + 1));
        int c = count(out, "-> 127.0.0.1:" + (5681 + 2));
        System.out.printf("agent connections: node b %d, node c %d%n", b, c);
        return b >= c ? "b" : "c";
    }

    private static String ctl(Path clusterDir, String node, String... args) throws Exception {
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
    private static Double timeOf(String log, String a, String b) {
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

    private static int count(String text, String needle) {
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
