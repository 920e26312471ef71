package mig.agent.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import mig.agent.AgentProcess;
import mig.agent.FakeScheduler;
import mig.agent.build.AgentPackager;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.config.GoDuration;
import mig.common.pgp.KeyGen;
import mig.testkit.TestBroker;
import mig.testkit.TestServices;

/**
 * Footprint of the packaged agent on an endpoint ({@code bench/agent-footprint.sh}): packages an
 * agent with compiled-in trust, runs it alone through the {@code .deb}'s launcher (so with its JVM
 * flags), and samples the process from {@code /proc}: resident memory, CPU time and threads, first
 * while idle, then while the {@code file} module hashes (SHA-256) every file under a folder.
 *
 * <pre>
 *   --idle 10m        idle measurement window (after --warmup)
 *   --warmup 30s      time after the agent consumes before the idle window starts
 *   --sample 5s       idle sampling period (1 s during the hash search)
 *   --heartbeat 300s  the agent's heartbeatfreq (the original's default; its demo used 30s)
 *   --usr /usr        the folder to hash
 * </pre>
 * Relay: the test broker of {@code mig-testkit} (local RabbitMQ or embedded Qpid, in this JVM);
 * API: a stub in this JVM answering {@code /ip} and {@code /heartbeat}, so heartbeats really go out.
 * Targets (issue 7): idle RSS under 64 MB and CPU under 0.5 % of one core; RSS under 128 MB while
 * hashing.
 */
public final class AgentFootprint {

    /** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
    private static final long CLOCK_TICKS = 100;

    private AgentFootprint() {}

    /** One look at the process. */
    record Sample(Instant at, long rssKb, long anonKb, long fileKb, long hwmKb, int threads, double cpuSeconds) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new java.util.HashMap<>(Map.of(
                "--idle", "10m",
                "--warmup", "30s",
                "--sample", "5s",
                "--heartbeat", "300s",
                "--usr", "/usr",
                "--classlist", ""));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!opt.containsKey(args[i])) {
                System.err.println("unknown option " + args[i] + "; known: " + opt.keySet());
                System.exit(2);
            }
            opt.put(args[i], args[i + 1]);
        }
        Duration idle = GoDuration.parse(opt.get("--idle"));
        Duration warmup = GoDuration.parse(opt.get("--warmup"));
        Duration sample = GoDuration.parse(opt.get("--sample"));
        Duration heartbeat = GoDuration.parse(opt.get("--heartbeat"));
        Path usr = Path.of(opt.get("--usr"));

        Path work = Files.createTempDirectory("mig-agent-footprint");
        KeyGen.Generated investigator = KeyGen.ed25519("Bench Investigator <bench@example.net>");
        AtomicInteger heartbeats = new AtomicInteger();
        HttpServer api = apiStub(heartbeats);
        TestBroker broker = TestServices.amqp().newBroker();
        try (FakeScheduler scheduler = new FakeScheduler(broker.connectionFactory())) {
            Path trust = Files.createDirectories(work.resolve("trust/agentkeys"));
            Files.writeString(trust.resolve("bench.asc"), investigator.armoredPublicKey());
            trust = trust.getParent();
            Files.writeString(
                    trust.resolve("acl.cfg"),
                    "{\"default\":{\"minimumweight\":1,\"investigators\":{" + "\"bench\":{\"fingerprint\":\""
                            + investigator.fingerprint() + "\",\"weight\":1}}}}");
            Files.writeString(
                    trust.resolve("mig-agent.cfg"),
                    "[agent]\n relay = \"" + broker.uri() + "\"\n"
                            + " api = \"http://127.0.0.1:" + api.getAddress().getPort() + "/api/v1/\"\n"
                            + " heartbeatfreq = " + GoDuration.format(heartbeat) + "\n moduletimeout = 30m\n"
                            + " discoverpublicip = on\n socket = \"\"\n");
            Files.writeString(trust.resolve("build.cfg"), "[build]\n name = \"footprint\"\n");
            List<Path> cp = new ArrayList<>();
            cp.add(Path.of("mig-agent/target/classes"));
            String listed = Files.readString(Path.of(System.getProperty("mig.agent.runtime.classpath")))
                    .strip();
            for (String e : listed.split(java.io.File.pathSeparator)) {
                cp.add(Path.of(e));
            }
            AgentPackager.Result built = AgentPackager.pack(
                    trust,
                    work.resolve("out"),
                    cp,
                    Optional.of(Path.of("conf/mig-agent.service")),
                    Optional.of(Path.of("packaging/agent/mig-agent")),
                    Clock.systemUTC());
            Path launcher = built.debTree().orElseThrow().resolve("usr/sbin/mig-agent");
            Path run = work.resolve("run");
            System.out.printf("agent: %s -f -rundir %s (JVM flags: packaging/agent/mig-agent)%n", launcher, run);
            // The launcher dumps its class-data archive here (on an endpoint: /var/cache/mig-agent),
            // at this first start as at an endpoint's first start after install.
            Map<String, String> env = new java.util.HashMap<>(
                    Map.of("MIG_AGENT_CACHE_DIR", work.resolve("cache").toString()));
            String classList = opt.get("--classlist");
            if (!classList.isEmpty()) {
                // Records the classes this run loads up to the end of idle
                // (packaging/agent/mig-agent.classlist), from the JDK's files rather than from an
                // archive made of an older list; no hashing run follows.
                env.put("MIG_AGENT_CDS", "off");
                env.put(
                        "MIG_AGENT_JAVA_OPTS",
                        "-XX:DumpLoadedClassList=" + Path.of(classList).toAbsolutePath());
            }
            try (AgentProcess agent = AgentProcess.start(
                    List.of(launcher.toString(), "-f", "-rundir", run.toString()), env, work.resolve("agent.log"))) {
                String queueLoc = scheduler.awaitAgent(run, Duration.ofSeconds(120), agent);
                String cmdline = Files.readString(Path.of("/proc/" + agent.pid() + "/cmdline"));
                System.out.println(
                        cmdline.contains("-XX:SharedArchiveFile=")
                                ? "class-data archive: the agent's own (dumped by the launcher)"
                                : "class-data archive: the JDK's default only");
                System.out.printf(
                        "consuming; warm-up %s, then idle %s sampled every %s, heartbeat every %s%n",
                        GoDuration.format(warmup),
                        GoDuration.format(idle),
                        GoDuration.format(sample),
                        GoDuration.format(heartbeat));
                Thread.sleep(warmup.toMillis()); // the warm-up is a length of time, by definition
                int beatsBefore = heartbeats.get();
                List<Sample> idleSamples = sampleFor(agent.pid(), idle, sample, null);
                report("idle", idleSamples);
                System.out.printf("  heartbeats received during idle: %d%n", heartbeats.get() - beatsBefore);
                if (!classList.isEmpty()) {
                    // Only what an idle agent loads: the launcher's archive is mapped whole (the JVM
                    // relocates it), so a class in it costs RSS whether or not a command loads it.
                    System.out.println("class list: what the agent loaded up to the end of idle, in " + classList);
                    return;
                }

                Command hash = command(hashSearch(usr, investigator), queueLoc);
                long t0 = System.nanoTime();
                scheduler.send(queueLoc, hash);
                List<Command> result = new ArrayList<>();
                List<Sample> busy = sampleFor(agent.pid(), Duration.ofMinutes(30), Duration.ofSeconds(1), () -> {
                    result.addAll(scheduler.arrived());
                    return !result.isEmpty();
                });
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                report("hash " + usr, busy);
                Command r = result.isEmpty() ? null : result.get(0);
                System.out.printf(
                        "  result: %s in %.1f s, %s%n",
                        r == null ? "none" : r.status(), took.toMillis() / 1000.0, r == null ? "" : stats(r));
                System.out.println("  (original Go agent: 12-16 MB RSS; targets: idle RSS < 64 MB, idle CPU < 0.5 % "
                        + "of one core, RSS < 128 MB while hashing)");
            }
        } finally {
            api.stop(0);
            broker.close();
        }
        System.exit(0);
    }

    private static String stats(Command r) {
        return r.results().isEmpty() ? "" : "statistics " + r.results().get(0).statistics();
    }

    private static HttpServer apiStub(AtomicInteger heartbeats) throws IOException {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/api/v1/ip", ex -> {
            byte[] body = "203.0.113.9".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        api.createContext("/api/v1/heartbeat", ex -> {
            ex.getRequestBody().readAllBytes();
            heartbeats.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        api.start();
        return api;
    }

    /** A file search hashing every file under {@code dir} with SHA-256 against a hash nobody has. */
    private static Action hashSearch(Path dir, KeyGen.Generated signer) {
        ObjectNode search = JsonNodeFactory.instance.objectNode();
        search.putArray("paths").add(dir.toString());
        search.putArray("sha2").add("0".repeat(63) + "1");
        ObjectNode options = search.putObject("options");
        options.put("maxdepth", 1000)
                .put("maxerrors", 30)
                .put("matchall", true)
                .put("macroal", false)
                .putNull("mismatch");
        options.put("matchlimit", 1000);
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putObject("searches").set("s1", search);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Action a = Action.draft(
                        "hash " + dir,
                        "status='online'",
                        now.minusSeconds(60),
                        now.plus(Duration.ofHours(1)),
                        List.of(Operation.of("file", params)))
                .withId(System.currentTimeMillis());
        return ActionSignatures.sign(a, signer.secretKey());
    }

    private static Command command(Action action, String queueLoc) {
        Instant now = Instant.now();
        Agent agent = new Agent(
                1,
                "bench",
                queueLoc,
                Agent.MODE_DAEMON,
                "0.unversioned",
                1,
                "",
                now,
                null,
                now,
                now,
                Agent.STATUS_ONLINE,
                false,
                null,
                null);
        return new Command(
                System.currentTimeMillis() + 1,
                action,
                agent,
                Command.STATUS_SENT,
                List.of(ModuleResult.EMPTY),
                now,
                null);
    }

    /** Samples until {@code max} passed or {@code done} says so (checked every period). */
    private static List<Sample> sampleFor(
            long pid, Duration max, Duration period, java.util.function.BooleanSupplier done) throws Exception {
        List<Sample> out = new ArrayList<>();
        long end = System.nanoTime() + max.toNanos();
        out.add(sample(pid));
        while (System.nanoTime() < end) {
            long left = Math.min(period.toNanos(), end - System.nanoTime());
            Thread.sleep(Math.max(1, left / 1_000_000)); // the sampling period
            out.add(sample(pid));
            if (done != null && done.getAsBoolean()) {
                break;
            }
        }
        return out;
    }

    static Sample sample(long pid) throws IOException {
        long rss = 0;
        long anon = 0;
        long file = 0;
        long hwm = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("RssAnon:")) {
                anon = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("RssFile:")) {
                file = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return new Sample(Instant.now(), rss, anon, file, hwm, threads, ticks / (double) CLOCK_TICKS);
    }

    private static void report(String phase, List<Sample> s) {
        Sample first = s.get(0);
        Sample last = s.get(s.size() - 1);
        double seconds = Duration.between(first.at(), last.at()).toMillis() / 1000.0;
        double cpu = last.cpuSeconds() - first.cpuSeconds();
        System.out.printf("%s (%.0f s, %d samples):%n", phase, seconds, s.size());
        System.out.printf(
                "  RSS MB     min %.1f  avg %.1f  max %.1f  (peak VmHWM %.1f)%n",
                s.stream().mapToLong(Sample::rssKb).min().orElse(0) / 1024.0,
                s.stream().mapToLong(Sample::rssKb).average().orElse(0) / 1024.0,
                s.stream().mapToLong(Sample::rssKb).max().orElse(0) / 1024.0,
                last.hwmKb() / 1024.0);
        Sample top = s.stream()
                .max(java.util.Comparator.comparingLong(Sample::rssKb))
                .orElse(last);
        System.out.printf(
                "  at max     anonymous %.1f + file-backed %.1f (JVM code, jars, the JDK's lib/modules)%n",
                top.anonKb() / 1024.0, top.fileKb() / 1024.0);
        System.out.printf("  CPU        %.2f s = %.3f %% of one core%n", cpu, seconds > 0 ? 100 * cpu / seconds : 0);
        System.out.printf(
                "  threads    min %d  max %d%n",
                s.stream().mapToInt(Sample::threads).min().orElse(0),
                s.stream().mapToInt(Sample::threads).max().orElse(0));
    }
}
