package mig.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import mig.common.Agent;
import mig.common.acl.Acl;
import mig.common.config.IniConfig;
import mig.common.json.GoJson;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.scheduler.agents.DuplicateAgents;
import mig.scheduler.config.SchedulerConfig;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill order end to end: an older second agent heartbeats on the platform agent's queue
 * location, the scheduler's duplicate-agent handling signs an agentdestroy order with its key, the
 * platform's agent (whose ACL grants that key the agentdestroy module) receives it, checks it and
 * kills the older agent's process.
 */
@ExtendWith(MigServices.class)
class KillOrderIT {

    @TempDir
    Path tmp;

    private Process standIn;

    @AfterEach
    void stop() {
        if (standIn != null) {
            standIn.destroyForcibly();
        }
    }

    @Test
    void theAgentRunsTheSchedulersKillOrderOnItsOlderTwin(TestDatabase tdb, TestBroker broker) throws Exception {
        DbConfig dbConfig = DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8);
        KeyGen.Generated scheduler =
                KeyGen.rsa("migscheduler (MIG Scheduler action signing key) <scheduler@mig>", 2048);
        try (MigDatabase db = MigDatabase.open(dbConfig, "test").migrate()) {
            new InvestigatorStore(db.dataSource())
                    .createSchedulerKey(
                            scheduler.fingerprint(),
                            scheduler.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                            scheduler.armoredSecretKey().getBytes(StandardCharsets.UTF_8),
                            Instant.now());
        }
        Acl acl = Acl.parse("{\"default\":{\"minimumweight\":2,\"investigators\":{}},"
                + "\"agentdestroy\":{\"minimumweight\":1,\"investigators\":{\"MIG Scheduler\":{\"fingerprint\":\""
                + scheduler.fingerprint() + "\",\"weight\":1}}}}");
        String java = ProcessHandle.current().info().command().orElseThrow();
        standIn = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        StandIn.class.getName(),
                        "mig.agent.AgentMain")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (Platform platform = Platform.start(new Platform.Settings(
                dbConfig,
                broker.uri(),
                0,
                Keyring.of(List.of(scheduler.secretKey().publicKey())),
                acl,
                Files.createDirectories(tmp.resolve("agent-run")),
                Duration.ofSeconds(30),
                true))) {
            AgentStore agents = new AgentStore(platform.database().dataSource());
            Agent real = InvestigationIT.awaitOnlineAgent(agents);

            // the older twin: same queueloc, the stand-in's PID, started ten minutes ago, heartbeating now
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Agent twin = new Agent(
                    0,
                    real.name(),
                    real.queueLoc(),
                    real.mode(),
                    "20200101-0.old",
                    (int) standIn.pid(),
                    "",
                    null,
                    null,
                    null,
                    null,
                    "",
                    false,
                    real.environment(),
                    real.tags());
            long twinId = agents.heartbeat(twin, now.minus(Duration.ofMinutes(10)));
            agents.heartbeat(twin, now);

            SchedulerConfig config = SchedulerConfig.from(IniConfig.parse(
                    "[agent]\nheartbeatfreq = 5m\ndetectmultiagents = true\nkilldupagents = true\n", "test"));
            List<Long> issued = new DuplicateAgents(
                            agents,
                            new ActionStore(platform.database().dataSource()),
                            new InvestigatorStore(platform.database().dataSource()),
                            config)
                    .handle(real.queueLoc(), Instant.now());
            assertEquals(1, issued.size());
            assertEquals(
                    Agent.STATUS_DESTROYED, agents.get(twinId).orElseThrow().status());

            await("the stand-in killed").atMost(Duration.ofMinutes(2)).until(() -> !standIn.isAlive());
            String result = await("the agent's result stored")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> results(platform.database(), issued.get(0)), r -> r != null);
            assertEquals(
                    GoJson.tree("[{\"foundanything\":false,\"success\":true,\"elements\":\"PID " + standIn.pid()
                            + " from agent 20200101-0.old has been killed\",\"statistics\":null,"
                            + "\"errors\":[\"Executable not removed because current agent uses it as well\"]}]"),
                    GoJson.tree(result));
            assertTrue(real.pid() != standIn.pid());
        }
    }

    /** The results of the action's command once the agent's answer is stored (status success), else null. */
    private static String results(MigDatabase db, long actionId) throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT results::text FROM commands WHERE actionid = ? AND status = 'success'")) {
            ps.setLong(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
