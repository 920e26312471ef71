package mig.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import mig.common.Action;
import mig.common.Agent;
import mig.common.AgentsStats;
import mig.common.json.GoJson;
import mig.database.ActionStore;
import mig.database.InvestigatorStore;
import mig.database.scheduling.AgentUpkeep;
import mig.scheduler.agents.AgentStatusJob;
import mig.scheduler.agents.DuplicateAgents;
import mig.scheduler.config.SchedulerConfig;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Agents come online through legacy heartbeats and go idle, then offline, when they fall silent. */
@ExtendWith(MigServices.class)
class AgentStatusIT {

    @Test
    void aLegacyHeartbeatBringsAnAgentOnlineAndItsCommandsFollow(TestDatabase tdb, TestBroker broker, @TempDir Path dir)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            Path whitelist = dir.resolve("whitelist.txt");
            Files.writeString(whitelist, "re:linux\\.allowed.*\n");
            f.start(Fixture.config("[collector]\nfreq = 1h\n[periodic]\nfreq = 1h\n[agent]\ntimeout = 20m\n"
                    + "whitelist = " + whitelist + "\n"));
            Instant now = Instant.now();
            String queueLoc = "linux.allowed" + Fixture.randomAlnum(70);
            // Refused: not whitelisted, too old, bad mode, not JSON. The good one comes last, so once
            // it is stored the others were handled too (one consumer, in order).
            f.publishHeartbeat(
                    GoJson.marshalBytes(Fixture.heartbeat("stranger", "linux.other" + Fixture.randomAlnum(70), now)));
            f.publishHeartbeat(GoJson.marshalBytes(
                    Fixture.heartbeat("stale", "linux.allowedstale", now.minus(Duration.ofMinutes(21)))));
            f.publishHeartbeat(GoJson.marshalBytes(new Agent(
                    0,
                    "rogue",
                    "linux.allowedrogue",
                    "rogue",
                    "1",
                    1,
                    "",
                    now,
                    null,
                    now,
                    now,
                    "",
                    false,
                    null,
                    null)));
            f.publishHeartbeat("{\"name\": ".getBytes(StandardCharsets.UTF_8));
            f.publishHeartbeat(GoJson.marshalBytes(Fixture.heartbeat("legacy", queueLoc, now)));

            await("the legacy agent online")
                    .atMost(Duration.ofSeconds(5))
                    .until(() ->
                            !f.agents.targeted("queueloc='" + queueLoc + "'", 0).isEmpty());
            Agent online = f.agents.targeted("queueloc='" + queueLoc + "'", 0).get(0);
            assertEquals(Agent.STATUS_ONLINE, online.status());
            assertEquals("legacy", online.name());
            assertTrue(
                    !online.heartbeatTs().isBefore(now.truncatedTo(ChronoUnit.MICROS)),
                    "heartbeat time is " + "the scheduler's clock");
            assertEquals(List.of(), f.agents.targeted("name IN ('stranger', 'stale', 'rogue')", 0));
            assertEquals(0, f.channel.messageCount("mig.agt.heartbeats"));

            // a legacy agent declares its queue before it heartbeats; the command goes there
            var inbox = f.agentQueue(online);
            Action a = f.submit("queueloc LIKE 'linux.%'", Duration.ofMinutes(5));
            await("action inflight")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_INFLIGHT));
            assertEquals(1, f.action(a.id()).counters().sent());
            assertTrue(inbox.poll(5, java.util.concurrent.TimeUnit.SECONDS) != null, "the command reached the agent");
        }
    }

    @Test
    void aForgedLegacyHeartbeatCannotRenameOrRetagARunningAgent(TestDatabase tdb, TestBroker broker) throws Exception {
        // The attack over the broker: a heartbeat with a running agent's queueloc and pid but
        // another name and tags, so that targets select it (or stop selecting it).
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.start(Fixture.pushOnly());
            Agent real = f.online("real");
            Instant now = Instant.now();
            Agent forged = Fixture.heartbeat("db-prod", real.queueLoc(), now);
            f.publishHeartbeat(GoJson.marshalBytes(new Agent(
                    0,
                    forged.name(),
                    forged.queueLoc(),
                    forged.mode(),
                    forged.version(),
                    forged.pid(),
                    "",
                    now,
                    null,
                    now,
                    now,
                    "",
                    false,
                    forged.environment(),
                    java.util.Map.of("env", "production"))));
            // a heartbeat of another agent published after it: once that is stored, the forged one
            // was handled (one consumer, in order)
            String marker = "linux.marker" + Fixture.randomAlnum(70);
            f.publishHeartbeat(GoJson.marshalBytes(Fixture.heartbeat("marker", marker, now)));
            await("the marker agent online")
                    .atMost(Duration.ofSeconds(5))
                    .until(() ->
                            !f.agents.targeted("queueloc='" + marker + "'", 0).isEmpty());
            Agent after = f.agents.get(real.id()).orElseThrow();
            assertEquals("real", after.name());
            assertEquals(java.util.Map.of("env", "test"), after.tags());
            assertEquals(List.of(), f.agents.targeted("name = 'db-prod'", 0));
        }
    }

    @Test
    void aFloodOfLegacyHeartbeatsIsCutOffPerQueueLocAndInAll(TestDatabase tdb, TestBroker broker) throws Exception {
        // The attack over the broker: about 100 kB heartbeats, first many for one queueloc (each
        // another pid, so each a new row before), then 200 fake agents. With 3 a minute per
        // queueloc and 40 a minute in all:
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.start(Fixture.config(
                    "[collector]\nfreq = 1h\n[periodic]\nfreq = 1h\n" + "[heartbeats]\nperqueueloc = 3\ntotal = 40\n"));
            Instant now = Instant.now();
            String padding = "p".repeat(95_000);
            String one = "linux.one" + Fixture.randomAlnum(70);
            for (int pid = 1; pid <= 10; pid++) {
                f.publishHeartbeat(GoJson.marshalBytes(padded(Fixture.heartbeat("one", one, now), pid, padding)));
            }
            for (int i = 0; i < 200; i++) {
                f.publishHeartbeat(GoJson.marshalBytes(padded(
                        Fixture.heartbeat("fake", "linux.fake" + i + Fixture.randomAlnum(60), now), 1, padding)));
            }
            await("the queue drained")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> f.channel.messageCount("mig.agt.heartbeats") == 0 && rows(tdb, "name = 'fake'") >= 30);
            // targeted() shows one row per queueloc: count the rows themselves
            int sameQueueLoc = rows(tdb, "queueloc = '" + one + "'");
            assertTrue(sameQueueLoc >= 3 && sameQueueLoc <= 4, "rows for one queueloc: " + sameQueueLoc);
            int fakes = rows(tdb, "name = 'fake'");
            assertTrue(fakes + sameQueueLoc <= 45, "the limit in all lets about 40 through, not 210: " + fakes);
        }
    }

    private static Agent padded(Agent a, int pid, String padding) {
        mig.common.AgentEnv e = a.environment();
        return new Agent(
                0,
                a.name(),
                a.queueLoc(),
                a.mode(),
                a.version(),
                pid,
                "",
                a.startTime(),
                null,
                a.heartbeatTs(),
                a.refreshTs(),
                "",
                false,
                new mig.common.AgentEnv(
                        e.init(),
                        e.ident(),
                        e.os(),
                        e.arch(),
                        true,
                        padding,
                        e.addresses(),
                        e.publicIp(),
                        e.aws(),
                        e.modules()),
                a.tags());
    }

    private static int rows(TestDatabase tdb, String where) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(tdb.jdbcUrl(), tdb.user(), tdb.password());
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM agents WHERE " + where)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void withASecretUnauthenticatedLegacyHeartbeatsAreDropped(TestDatabase tdb, TestBroker broker) throws Exception {
        // The attack over the broker: made-up heartbeats without the agents' secret.
        String secret = "s3cret-compiled-into-the-agents";
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.start(Fixture.config(
                    "[collector]\nfreq = 1h\n[periodic]\nfreq = 1h\n[heartbeats]\nsecret = \"" + secret + "\"\n"));
            Instant now = Instant.now();
            byte[] unsigned =
                    GoJson.marshalBytes(Fixture.heartbeat("unsigned", "linux.a" + Fixture.randomAlnum(70), now));
            byte[] badlySigned =
                    GoJson.marshalBytes(Fixture.heartbeat("badly", "linux.b" + Fixture.randomAlnum(70), now));
            byte[] signed = GoJson.marshalBytes(Fixture.heartbeat("signed", "linux.c" + Fixture.randomAlnum(70), now));
            f.publishHeartbeat(unsigned);
            f.publishHeartbeat(
                    badlySigned,
                    java.util.Map.of(
                            mig.common.heartbeat.HeartbeatAuth.AMQP_HEADER,
                            mig.common.heartbeat.HeartbeatAuth.sign("guessed-secret-guessed", badlySigned)));
            f.publishHeartbeat(
                    signed,
                    java.util.Map.of(
                            mig.common.heartbeat.HeartbeatAuth.AMQP_HEADER,
                            mig.common.heartbeat.HeartbeatAuth.sign(secret, signed)));
            // one consumer, in order: once the signed one is stored the others were handled
            await("the signed agent online")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> rows(tdb, "name = 'signed'") == 1);
            assertEquals(0, rows(tdb, "name IN ('unsigned', 'badly')"));
        }
    }

    @Test
    void silentAgentsGoIdleThenOfflineAndEachRunWritesStatistics(TestDatabase tdb, TestBroker broker) throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            SchedulerConfig config = Fixture.config("[agent]\ntimeout = 20m\nheartbeatfreq = 5m\n");
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Agent quiet = f.online("quiet");
            Agent chatty = f.online("chatty");
            AgentStatusJob job = new AgentStatusJob(
                    new AgentUpkeep(f.db.dataSource()),
                    new DuplicateAgents(
                            f.agents,
                            new ActionStore(f.db.dataSource()),
                            new InvestigatorStore(f.db.dataSource()),
                            config),
                    config,
                    Clock.systemUTC());

            AgentsStats first = job.run(t0.plus(Duration.ofMinutes(24)));
            assertEquals(2, first.onlineAgents());
            assertEquals(List.of(new AgentsStats.VersionCount("20260101-0.test", 2)), first.onlineAgentsByVersion());
            assertEquals(2, first.onlineEndpoints());

            // 26 minutes of silence for one agent, a heartbeat for the other.
            Instant t1 = t0.plus(Duration.ofMinutes(26));
            f.agents.heartbeat(Fixture.heartbeat("chatty", chatty.queueLoc(), t1), t1);
            AgentsStats second = job.run(t1);
            assertEquals(
                    Agent.STATUS_IDLE, f.agents.get(quiet.id()).orElseThrow().status());
            assertEquals(
                    Agent.STATUS_ONLINE, f.agents.get(chatty.id()).orElseThrow().status());
            assertEquals(1, second.onlineAgents());
            assertEquals(1, second.idleAgents());
            assertEquals(1, second.idleEndpoints());

            // Past the 20 minute timeout since its last heartbeat, while idle: offline.
            AgentsStats third = job.run(t0.plus(Duration.ofMinutes(21)).plus(Duration.ofMinutes(10)));
            assertEquals(
                    Agent.STATUS_OFFLINE, f.agents.get(quiet.id()).orElseThrow().status());
            assertEquals(0, third.idleAgents());
            assertEquals(1, third.disappearedEndpoints());
            assertTrue(third.timestamp().isAfter(t0));

            try (java.sql.Connection c = f.db.connection();
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery(
                            "SELECT count(*), max(online_agents_by_version::text) " + "FROM agents_stats")) {
                rs.next();
                assertEquals(3, rs.getInt(1), "one agents_stats row per run");
                assertEquals("[{\"version\":\"20260101-0.test\",\"count\":2}]", rs.getString(2));
            }

            // An offline agent is no target any more.
            Action a = f.submit("name='quiet'", Duration.ofMinutes(5));
            f.start(Fixture.pushOnly());
            await("action invalid")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_INVALID));
        }
    }
}
