package mig.bench.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mig.bench.platform.ConfigFiles;
import mig.bench.platform.Investigator;
import mig.bench.platform.Programs;
import mig.bench.proc.ChildJvm;
import mig.bench.proc.MachineStats;
import mig.bench.proc.ProcStats;
import mig.client.api.MigApiClient;
import mig.common.Action;
import mig.common.Operation;
import mig.database.DbConfig;
import mig.database.MigDatabase;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import mig.testkit.TestServices;

/**
 * One fleet size of the benchmark, on a database and vhost of its own: the API and the scheduler
 * as child JVMs, {@code N} simulated agents in this JVM, one warm-up action, then the measured
 * actions, each targeting every agent ({@code status='online'}). For each measured action it
 * records, from the moment the signed action is POSTed: when the last command reached its agent,
 * when the action was completed (every result committed), the API's, scheduler's and this JVM's
 * CPU and peak RSS over that window (from {@code /proc}), and the heartbeats the API took meanwhile.
 *
 * <pre>
 *   fresh database + vhost ─► mig-api, mig-scheduler (child JVMs) ─► N agents: queues, first heartbeats
 *     ─► periodic heartbeats ─► warm-up action ─► measured actions ─► stop everything, drop both
 * </pre>
 */
final class FleetRun {

    private static final Pattern PUBLISHED =
            Pattern.compile("action=(\\d+) (?:inflight: )?(\\d+) commands published " + "and confirmed in (\\d+) ms");

    /**
     * One measured action; times are seconds from the POST.
     *
     * @param publishedSeconds  the last command reached its agent
     * @param answeredSeconds   the broker confirmed the last agent's result
     * @param completedSeconds  the action was completed: every result committed
     * @param timeline          every 250 ms: seconds, commands delivered, results confirmed, results committed
     */
    record Result(
            int agents,
            int run,
            double publishedSeconds,
            double schedulerPublishMillis,
            double answeredSeconds,
            double completedSeconds,
            boolean complete,
            Map<String, Integer> commandStatuses,
            int redelivered,
            ProcStats.Usage api,
            ProcStats.Usage scheduler,
            ProcStats.Usage fleet,
            MachineStats.Usage machine,
            double loadAtStart,
            HeartbeatWindow heartbeats,
            List<double[]> timeline,
            double setupSeconds,
            double registerSeconds) {

        /** Results committed per second after the last command was delivered (the results phase). */
        double commitRateAfterPublish() {
            double[] at = null;
            for (double[] p : timeline) {
                if (p[0] <= publishedSeconds) {
                    at = p;
                }
            }
            double committedThen = at == null ? 0 : at[3];
            double span = completedSeconds - (at == null ? 0 : at[0]);
            return span <= 0 ? Double.NaN : (agents - committedThen) / span;
        }
    }

    /** Settings of a whole benchmark. */
    record Options(
            List<Integer> sizes,
            int runs,
            Duration heartbeatEvery,
            int workers,
            List<String> jvmOptions,
            Path workDir,
            double waitLoadBelow,
            int warmupCommands) {}

    private final int agents;
    private final Options options;
    private final Investigator investigator;

    FleetRun(int agents, Options options, Investigator investigator) {
        this.agents = agents;
        this.options = options;
        this.investigator = investigator;
    }

    /**
     * Agents per warm-up action: every agent of a fleet of at most 1,000, or when the warm-up asks
     * for at least a whole fleet's worth of commands; else the first 1,000 ({@code fleet-00%}).
     */
    static int warmupPerAction(int agents, int warmupCommands) {
        return agents <= 1000 || warmupCommands >= agents ? agents : 1000;
    }

    List<Result> run() throws Exception {
        Path dir = Files.createDirectories(options.workDir().resolve("n" + agents));
        long setupStart = System.nanoTime();
        try (TestDatabase tdb = TestServices.postgres().newDatabase();
                TestBroker broker = TestServices.amqp().newBroker()) {
            ConfigFiles.Postgres pg = ConfigFiles.Postgres.of(tdb, 10);
            try (MigDatabase db = MigDatabase.open(
                            DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2), "fleet-bench")
                    .migrate()) {
                investigator.register(db);
            }
            int port = ConfigFiles.freePort();
            String apiUrl = "http://127.0.0.1:" + port + "/api/v1/";
            try (ChildJvm api = Programs.api(dir, port, pg, options.jvmOptions());
                    ChildJvm scheduler = Programs.scheduler(
                            dir,
                            "mig-scheduler",
                            pg,
                            ConfigFiles.Mq.of(broker),
                            options.heartbeatEvery(),
                            Duration.ofSeconds(5),
                            options.jvmOptions());
                    Fleet fleet = Fleet.start(new Fleet.Settings(
                            agents,
                            broker.uri(),
                            apiUrl,
                            investigator.trust(),
                            options.workers(),
                            Fleet.AGENTS_PER_CHANNEL,
                            "fleet",
                            Map.of("fleet", "bench")));
                    Connection sql = tdb.connect()) {
                long registerStart = System.nanoTime();
                int refused = fleet.register();
                if (refused > 0) {
                    throw new IllegalStateException(
                            "the API refused " + refused + " of " + agents + " first heartbeats; see " + api.logFile());
                }
                awaitOnline(sql, agents, Duration.ofSeconds(60));
                double registerSeconds = seconds(registerStart, System.nanoTime());
                fleet.startHeartbeats(options.heartbeatEvery());
                double setupSeconds = seconds(setupStart, System.nanoTime());
                MigApiClient client = new MigApiClient(apiUrl, investigator::token, "fleet-bench", false);

                // Warm-up: the first actions load and compile the dispatch and result paths; the JIT
                // compilers of all three JVMs are still busy for a few thousand commands more.
                int perAction = warmupPerAction(agents, options.warmupCommands());
                String warmTarget = perAction == agents ? "status='online'" : "name LIKE 'fleet-00%'";
                for (int done = 0, w = 1; done < options.warmupCommands(); done += perAction, w++) {
                    new Measure(fleet, sql, client, api, scheduler, investigator)
                            .action("warm-up " + w, warmTarget, perAction);
                }
                List<Result> results = new ArrayList<>();
                for (int r = 1; r <= options.runs(); r++) {
                    waitForQuiet(options.waitLoadBelow());
                    Measure m = new Measure(fleet, sql, client, api, scheduler, investigator);
                    results.add(m.action("run " + r, "status='online'", agents)
                            .toResult(agents, r, setupSeconds, registerSeconds));
                    Thread.sleep(2_000);
                }
                if (fleet.heartbeatFailures() > 0) {
                    System.out.printf(
                            "  note: %d heartbeats were not answered 200 during the run%n", fleet.heartbeatFailures());
                }
                return results;
            }
        }
    }

    /**
     * On a shared machine, waits (at most 10 minutes) until the 1-minute load average is below
     * {@code threshold} (our own heartbeats included), so that runs are measured on a quiet machine.
     */
    static void waitForQuiet(double threshold) throws InterruptedException {
        if (threshold <= 0) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        double load = FleetMain.loadAverage1();
        while (load >= threshold && System.nanoTime() < deadline) {
            Thread.sleep(5_000);
            load = FleetMain.loadAverage1();
        }
        if (load >= threshold) {
            System.out.printf("  note: load average still %.2f after 10 minutes; measuring anyway%n", load);
        }
    }

    private static void awaitOnline(Connection sql, int n, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int online = count(sql, "SELECT count(*) FROM agents WHERE status = 'online'");
            if (online >= n) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + online + " of " + n + " agents online after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    /** One action, measured from its POST to its completion. */
    private static final class Measure {
        private final Fleet fleet;
        private final Connection sql;
        private final MigApiClient client;
        private final ChildJvm api;
        private final ChildJvm scheduler;
        private final Investigator investigator;
        private long t0;
        private double loadAtStart;
        private long completedAt;
        private boolean complete;
        private ActionTrack track;
        private long actionId;
        private ProcStats.Usage apiUse;
        private ProcStats.Usage schedulerUse;
        private ProcStats.Usage fleetUse;
        private MachineStats.Usage machineUse;
        private final List<double[]> timeline = new ArrayList<>();
        private Map<String, Integer> statuses;

        Measure(
                Fleet fleet,
                Connection sql,
                MigApiClient client,
                ChildJvm api,
                ChildJvm scheduler,
                Investigator investigator) {
            this.investigator = investigator;
            this.fleet = fleet;
            this.sql = sql;
            this.client = client;
            this.api = api;
            this.scheduler = scheduler;
        }

        Measure action(String name, String target, int expected) throws Exception {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Action draft = Action.draft(
                    "fleet " + name,
                    target,
                    now.minusSeconds(60),
                    now.plus(Duration.ofMinutes(15)),
                    List.of(Operation.of(FleetEchoModule.NAME, JsonNodeFactory.instance.objectNode())));
            ProcStats.Window apiWin = ProcStats.Window.start(api.pid());
            ProcStats.Window schedWin = ProcStats.Window.start(scheduler.pid());
            ProcStats.Window selfWin =
                    ProcStats.Window.start(ProcessHandle.current().pid());
            MachineStats machine = MachineStats.start();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(
                    () -> {
                        apiWin.sample();
                        schedWin.sample();
                        selfWin.sample();
                    },
                    100,
                    100,
                    TimeUnit.MILLISECONDS);
            try {
                loadAtStart = FleetMain.loadAverage1();
                t0 = System.nanoTime();
                actionId = client.postAction(investigator.sign(draft)).id();
                track = fleet.track(actionId);
                Duration timeout = Duration.ofSeconds(60 + expected / 50);
                long deadline = t0 + timeout.toNanos();
                long nextSample = t0;
                while (true) {
                    if (System.nanoTime() >= nextSample) {
                        timeline.add(new double[] {
                            seconds(t0, System.nanoTime()),
                            track.deliveries(),
                            track.confirmed(),
                            count(
                                    sql,
                                    "SELECT count(*) FROM commands WHERE actionid = " + actionId
                                            + " AND status <> 'sent'")
                        });
                        nextSample += 250_000_000L;
                    }
                    String status = actionStatus(sql, actionId);
                    if (Action.STATUS_COMPLETED.equals(status) || Action.STATUS_INVALID.equals(status)) {
                        completedAt = System.nanoTime();
                        complete = Action.STATUS_COMPLETED.equals(status);
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        completedAt = System.nanoTime();
                        System.out.printf(
                                "  action %d (%s) not completed after %d s: status %s, %d of %d delivered, "
                                        + "%d confirmed%n",
                                actionId,
                                name,
                                timeout.toSeconds(),
                                status,
                                track.commands(),
                                expected,
                                track.confirmed());
                        break;
                    }
                    Thread.sleep(10);
                }
            } finally {
                sampler.shutdownNow();
            }
            apiUse = apiWin.end();
            schedulerUse = schedWin.end();
            fleetUse = selfWin.end();
            machineUse = machine.end();
            timeline.add(new double[] {
                seconds(t0, completedAt),
                track.deliveries(),
                track.confirmed(),
                count(sql, "SELECT count(*) FROM commands WHERE actionid = " + actionId + " AND status <> 'sent'")
            });
            statuses = commandStatuses(sql, actionId);
            return this;
        }

        Result toResult(int agents, int run, double setupSeconds, double registerSeconds) {
            double published =
                    track.lastDeliveryNanos() == Long.MIN_VALUE ? Double.NaN : seconds(t0, track.lastDeliveryNanos());
            double answered =
                    track.lastConfirmNanos() == Long.MIN_VALUE ? Double.NaN : seconds(t0, track.lastConfirmNanos());
            return new Result(
                    agents,
                    run,
                    published,
                    schedulerPublishMillis(scheduler.output(), actionId),
                    answered,
                    seconds(t0, completedAt),
                    complete,
                    statuses,
                    track.redelivered(),
                    apiUse,
                    schedulerUse,
                    fleetUse,
                    machineUse,
                    loadAtStart,
                    fleet.heartbeatsBetween(t0, completedAt),
                    List.copyOf(timeline),
                    setupSeconds,
                    registerSeconds);
        }
    }

    /** The scheduler's own figure for publishing an action's commands, from its log; NaN if absent. */
    static double schedulerPublishMillis(String log, long actionId) {
        Matcher m = PUBLISHED.matcher(log);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) == actionId) {
                return Double.parseDouble(m.group(3));
            }
        }
        return Double.NaN;
    }

    private static String actionStatus(Connection sql, long id) throws SQLException {
        try (PreparedStatement ps = sql.prepareStatement("SELECT status FROM actions WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static Map<String, Integer> commandStatuses(Connection sql, long actionId) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (PreparedStatement ps =
                sql.prepareStatement("SELECT status, count(*) FROM commands WHERE actionid = ? GROUP BY status")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    private static int count(Connection sql, String query) throws SQLException {
        try (PreparedStatement ps = sql.prepareStatement(query);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
