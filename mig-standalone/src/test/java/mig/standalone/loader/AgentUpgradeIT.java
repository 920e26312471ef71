package mig.standalone.loader;

import static mig.standalone.loader.LoaderPlatform.ALICE;
import static mig.standalone.loader.LoaderPlatform.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mig.bench.platform.ConfigFiles;
import mig.bench.platform.Investigator;
import mig.loader.LoaderRun;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig-loader upgrading a running agent: a real agent, started by its service script from an
 * installed folder, heartbeats to the API with version A; a manifest signed 2 of 2 carries the same
 * agent built as version B. Fetched through a proxy that swaps the file, the manifest is refused
 * and agent A keeps running and heartbeating; fetched straight from the API, the loader installs
 * the new jar and runs the restart script, and the new process's heartbeats carry version B while
 * the old process is gone.
 */
@ExtendWith(MigServices.class)
class AgentUpgradeIT {
    static final String VERSION_A = "20261206-0.upgradeit-a";
    static final String VERSION_B = "20261206-1.upgradeit-b";
    /** JVM start, environment probe and first heartbeat on a loaded 2-core machine. */
    static final Duration HEARTBEAT_WAIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    LoaderPlatform platform;
    InstalledAgent agent;
    final List<Long> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.pid().ifPresent(started::add);
            started.forEach(agent::kill);
        }
        if (platform != null) {
            platform.close();
        }
    }

    record Beat(long pid, String version, Instant at, String status) {}

    @Test
    void aSignedManifestUpgradesTheRunningAgentAndATamperedOneLeavesItRunning(TestDatabase tdb, TestBroker broker)
            throws Exception {
        platform = LoaderPlatform.start(tdb, dir);
        Path root = Files.createDirectories(dir.resolve("root"));
        Path agentConfig = ConfigFiles.agent(
                root.resolve("etc/mig"),
                broker.uri(),
                platform.api.localUrl() + "/",
                Duration.ofSeconds(10),
                Investigator.generate("upgrade"));
        byte[] jarA = InstalledAgent.agentJar(VERSION_A);
        byte[] jarB = InstalledAgent.agentJar(VERSION_B);
        agent = InstalledAgent.install(root.resolve("opt/mig"), jarA, agentConfig, root.resolve("var/lib/mig"));
        String bundle = "[bundle]\n    mig-agent = /opt/mig/mig-agent.jar\n";

        long pidA = agent.start();
        started.add(pidA);
        Beat a = awaitBeat("agent A's first heartbeat", b -> b.pid() == pidA);
        assertEquals(VERSION_A, a.version(), "the installed agent reports its jar's version");

        long mid = platform.manifest(Map.of("mig-agent", jarB));
        platform.sign(mid, ALICE);
        platform.sign(mid, BOB);

        // the signed manifest, but the agent file is swapped between the API and the loader
        HttpServer proxy = platform.swappingProxy("a backdoored agent\n");
        Instant refusedAt;
        try {
            platform.config(
                    LoaderPlatform.proxyUrl(proxy),
                    2,
                    root,
                    agent.restartScript().toString(),
                    bundle);
            LoaderRun refused = LoaderRun.of(platform.configFile());
            refusedAt = Instant.now();
            assertEquals(1, refused.code(), refused.output());
            assertTrue(refused.output().contains("refused: staged file signature mismatch"), refused.output());
        } finally {
            proxy.stop(0);
        }
        assertArrayEquals(jarA, Files.readAllBytes(agent.jar()), "the installed agent stays");
        assertFalse(Files.exists(agent.jar().resolveSibling("mig-agent.jar.loader")), "nothing left staged");
        assertEquals(Optional.of(pidA), agent.pid(), "the restart script did not run");
        Beat stillA =
                awaitBeat("agent A heartbeating after the refusal", b -> b.pid() == pidA && b.at().isAfter(refusedAt));
        assertEquals(VERSION_A, stillA.version());
        assertTrue(agent.running(pidA), "agent A still runs");

        // the same manifest straight from the API
        platform.config(platform.apiUrl(), 2, root, agent.restartScript().toString(), bundle);
        LoaderRun upgrade = LoaderRun.of(platform.configFile());
        assertEquals(0, upgrade.code(), upgrade.output() + agent.log());
        assertTrue(upgrade.output().contains("2 valid signatures in manifest"), upgrade.output());
        assertTrue(upgrade.output().contains("mig-loader: agent restarted"), upgrade.output());
        assertArrayEquals(jarB, Files.readAllBytes(agent.jar()), "the new agent is installed");
        assertArrayEquals(jarA, Files.readAllBytes(agent.jar().resolveSibling("mig-agent.jar.old")), "kept as .old");
        long pidB = agent.pid().orElseThrow();
        started.add(pidB);
        assertNotEquals(pidA, pidB, "the restart script started a new agent process");
        assertFalse(agent.running(pidA), "the restart script stopped agent A");

        Beat b = awaitBeat("agent B's first heartbeat", x -> x.pid() == pidB);
        assertEquals(VERSION_B, b.version(), "the new process runs the upgraded jar");
        assertEquals("online", b.status(), "the API lists agent B online");
        assertTrue(agent.running(pidB), "agent B runs");
        System.out.printf(
                "agent upgraded by mig-loader: pid %d version %s -> pid %d version %s; tampered file refused%n",
                pidA, a.version(), pidB, b.version());
    }

    /** Waits until the API has stored a heartbeat matching {@code which}; the newest such one. */
    private Beat awaitBeat(String what, java.util.function.Predicate<Beat> which) throws Exception {
        try {
            return await(what)
                    .atMost(HEARTBEAT_WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> beats().stream().filter(which).findFirst(), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nheartbeats stored: " + beats() + "\n" + agent.log(), e);
        }
    }

    /** The agents the API recorded from heartbeats, newest heartbeat first. */
    private List<Beat> beats() throws Exception {
        List<Beat> out = new ArrayList<>();
        try (Connection c = platform.db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT pid, version, heartbeattime, status FROM agents ORDER BY heartbeattime DESC");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Beat(
                        rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)));
            }
        }
        return out;
    }
}
