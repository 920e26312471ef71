package mig.agent.build;

import static mig.agent.build.TrustFixture.ALICE;
import static mig.agent.build.TrustFixture.BOB;
import static mig.agent.build.TrustFixture.MALLORY;
import static mig.agent.build.TrustFixture.fileSearch;
import static mig.agent.build.TrustFixture.netstat;
import static mig.agent.build.TrustFixture.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import mig.agent.AgentProcess;
import mig.agent.FakeScheduler;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent as an endpoint runs it: the packager's jar started by the {@code .deb}'s
 * launcher, with an {@code /etc/mig}-like folder that trusts Mallory. The agent must obey its
 * compiled-in trust only, honour the ACL's per-module weights, answer {@code -q pid} and stop on
 * {@code -q shutdown}.
 */
@ExtendWith(MigServices.class)
class PackagedAgentIT {

    @TempDir
    Path tmp;

    /** The module's runtime class path: its classes, then what Maven listed in target/runtime.classpath. */
    static List<Path> agentClassPath() throws Exception {
        List<Path> cp = new ArrayList<>();
        cp.add(Path.of("target/classes"));
        String listed = Files.readString(
                        Path.of(System.getProperty("mig.agent.runtime.classpath", "target/runtime.classpath")),
                        StandardCharsets.UTF_8)
                .strip();
        for (String e : listed.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                cp.add(Path.of(e));
            }
        }
        return cp;
    }

    private static Command command(Action action) {
        Instant now = Instant.now();
        Agent agent = new Agent(
                TrustFixture.nextId(),
                "vm",
                "linux.x",
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
        List<ModuleResult> empty =
                action.operations().stream().map(o -> ModuleResult.EMPTY).toList();
        return new Command(TrustFixture.nextId(), action, agent, Command.STATUS_SENT, empty, now, null);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    @Test
    void thePackagedAgentObeysOnlyItsCompiledInTrust(TestBroker broker) throws Exception {
        Path trust = TrustFixture.writeTrustFolder(tmp.resolve("trust"), "it-build", false, null);
        AgentPackager.Result built = AgentPackager.pack(
                trust,
                tmp.resolve("out"),
                agentClassPath(),
                Optional.of(Path.of("../conf/mig-agent.service")),
                Optional.of(Path.of("../packaging/agent/mig-agent")),
                Clock.systemUTC());
        Path deb = built.debTree().orElseThrow();
        try (JarFile jar =
                new JarFile(deb.resolve("usr/lib/mig-agent/mig-agent.jar").toFile())) {
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("io/netty/")), "no Netty in the agent jar");
            assertTrue(jar.getEntry("mig/modules/file/FileModule.class") != null, "the modules are in");
            assertFalse(
                    jar.stream().anyMatch(e -> e.getName().startsWith("mig/agent/testmodules/")),
                    "no test module in the agent jar");
        }

        Path conf = TrustFixture.writeDiskTrust(tmp.resolve("etc-mig"));
        Path run = tmp.resolve("var-lib-mig");
        int socket = freePort();
        Path cfg = Files.writeString(
                conf.resolve("mig-agent.cfg"),
                "[agent]\n relay = \"" + broker.uri() + "\"\n"
                        + " api = \"http://127.0.0.1:1/api/v1/\"\n discoverpublicip = off\n heartbeatfreq = 5s\n"
                        + " moduletimeout = 30s\n socket = \"127.0.0.1:" + socket + "\"\n");
        Path planted = Files.createDirectories(tmp.resolve("search"));
        Files.writeString(planted.resolve("planted-ioc.txt"), "x");
        String launcher = deb.resolve("usr/sbin/mig-agent").toString();

        try (FakeScheduler scheduler = new FakeScheduler(broker.connectionFactory());
                AgentProcess agent = AgentProcess.start(
                        List.of(launcher, "-f", "-c", cfg.toString(), "-rundir", run.toString()),
                        Map.of("MIG_AGENT_CACHE_DIR", tmp.resolve("cache").toString()),
                        tmp.resolve("agent.log"))) {
            String queueLoc = scheduler.awaitAgent(run, Duration.ofSeconds(60), agent);
            // The launcher dumped the agent's class-data archive from the packaged class list at
            // this first start, and the agent runs on it.
            assertTrue(
                    Files.isRegularFile(deb.resolve("usr/lib/mig-agent/mig-agent.classlist")), "class list packaged");
            assertTrue(Files.isRegularFile(tmp.resolve("cache/mig-agent.jsa")), agent.log());
            assertTrue(
                    Files.readString(Path.of("/proc/" + agent.pid() + "/cmdline"))
                            .contains("-XX:SharedArchiveFile=" + tmp.resolve("cache/mig-agent.jsa")),
                    "the agent maps its archive");
            assertTrue(agent.log().contains("ignoring " + conf.resolve("acl.cfg")), agent.log());

            Map<Long, String> cases = new HashMap<>();
            Map<String, Command> sent = Map.of(
                    "alice file", command(signed("alice", List.of(fileSearch(planted, "^planted-ioc\\.txt$")), ALICE)),
                    "mallory from disk", command(signed("mallory", List.of(netstat()), MALLORY)),
                    "bob netstat", command(signed("bob netstat", List.of(netstat()), BOB)),
                    "bob file", command(signed("bob file", List.of(fileSearch(planted, "nothing-here")), BOB)));
            for (var e : sent.entrySet()) {
                cases.put(e.getValue().id(), e.getKey());
                scheduler.send(queueLoc, e.getValue());
            }
            Map<String, Command> got = new HashMap<>();
            for (int i = 0; i < sent.size(); i++) {
                Command c = scheduler.nextResult(Duration.ofSeconds(30));
                got.put(cases.get(c.id()), c);
            }
            assertEquals(Command.STATUS_SUCCESS, got.get("alice file").status(), agent.log());
            assertTrue(got.get("alice file").results().get(0).foundAnything(), "the file module found the IOC");
            assertEquals(Command.STATUS_FAILED, got.get("mallory from disk").status());
            assertTrue(got.get("mallory from disk")
                    .results()
                    .get(0)
                    .errors()
                    .get(0)
                    .contains("failed to retrieve fingerprint from signatures"));
            assertEquals(Command.STATUS_FAILED, got.get("bob netstat").status());
            assertTrue(got.get("bob netstat")
                    .results()
                    .get(0)
                    .errors()
                    .get(0)
                    .endsWith("insufficient signatures weight (need 2, got 1)"));
            assertEquals(Command.STATUS_SUCCESS, got.get("bob file").status(), "file has its own ACL entry");

            String pid = run(List.of(launcher, "-c", cfg.toString(), "-q", "pid"))
                    .lines()
                    .filter(l -> !l.startsWith("["))
                    .findFirst()
                    .orElse("");
            assertEquals(Long.toString(agent.pid()), pid.strip(), "the launcher runs the JVM in its own process");
            String stop = run(List.of(launcher, "-c", cfg.toString(), "-rundir", run.toString(), "-q", "shutdown"));
            assertTrue(
                    stop.contains("agent shutdown requested, waiting for completion...") && stop.contains("done"),
                    stop);
            assertEquals(0, agent.waitFor(Duration.ofSeconds(20)), "a requested shutdown exits 0:\n" + agent.log());
        }
    }
}
