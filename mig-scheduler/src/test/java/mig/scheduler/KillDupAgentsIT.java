package mig.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Agent;
import mig.common.Command;
import mig.common.acl.Acl;
import mig.common.acl.AclException;
import mig.common.json.GoJson;
import mig.common.pgp.Keyring;
import mig.common.pgp.PublicKey;
import mig.database.InvestigatorStore;
import mig.scheduler.agents.DuplicateAgents;
import mig.scheduler.config.SchedulerConfig;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two agents heartbeating on one queue location: with {@code killdupagents} the scheduler signs an
 * {@code agentdestroy} order for the older one with its own key, marks it destroyed, and the order
 * reaches the other agent; the agent's ACL must grant that key the module. Without it, nothing is
 * issued.
 */
@ExtendWith(MigServices.class)
class KillDupAgentsIT {

    private static final String CONFIG = "[agent]\nheartbeatfreq = 5m\ndetectmultiagents = true\n"
            + "killdupagents = %s\n[collector]\nfreq = 1h\n[periodic]\nfreq = %s\n";

    /** Two agents of one endpoint, started a minute apart, with their own PIDs. */
    private static List<Agent> twoAgents(Fixture f, String queueLoc) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Agent> out = new ArrayList<>();
        int pid = 1111;
        for (String name : List.of("old", "new")) {
            Agent hb = Fixture.heartbeat(name, queueLoc, now);
            Agent withPid = new Agent(
                    0,
                    hb.name(),
                    hb.queueLoc(),
                    hb.mode(),
                    hb.version(),
                    pid,
                    "",
                    hb.startTime(),
                    null,
                    hb.heartbeatTs(),
                    hb.refreshTs(),
                    "",
                    false,
                    hb.environment(),
                    hb.tags());
            long id = f.agents.heartbeat(withPid, name.equals("old") ? now.minusSeconds(60) : now);
            f.agents.heartbeat(withPid, now); // both heartbeat now; "old" started a minute earlier
            out.add(f.agents.get(id).orElseThrow());
            pid += 1111;
        }
        return out;
    }

    @Test
    void theOlderAgentGetsAKillOrderSignedByTheSchedulerThatTheNewerOneReceives(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            String queueLoc = "linux.dup" + Fixture.randomAlnum(60) + "'quoted";
            List<Agent> agents = twoAgents(f, queueLoc);
            Agent old = agents.get(0);
            Agent young = agents.get(1);
            assertTrue(old.startTime().isBefore(young.startTime()));
            BlockingQueue<Delivery> inbox = f.agentQueue(young);

            f.start(Fixture.config(String.format(CONFIG, "true", "1s")));

            Delivery d = inbox.poll(120, TimeUnit.SECONDS);
            assertNotNull(d, "no kill order reached the endpoint's queue");
            Command cmd = GoJson.unmarshal(new String(d.getBody(), StandardCharsets.UTF_8), Command.class);
            assertEquals(young.pid(), cmd.agent().pid(), "the order goes to the agent that stays");
            Action a = cmd.action();
            assertEquals("Kill agent old", a.name());
            assertEquals("queueloc='" + queueLoc.replace("'", "''") + "'", a.target());
            assertEquals(
                    "[{\"module\":\"agentdestroy\",\"parameters\":{\"pid\":1111,\"version\":\"20260101-0.test\"}}]",
                    GoJson.marshal(a.operations()));
            assertEquals(Duration.ofMinutes(31), Duration.between(a.validFrom(), a.expireAfter()));

            // signed by the scheduler's key, and only by it
            InvestigatorStore.SchedulerKey key =
                    new InvestigatorStore(f.db.dataSource()).schedulerKey().orElseThrow();
            Keyring schedulerRing =
                    Keyring.of(List.of(PublicKey.parse(new String(key.publicKey(), StandardCharsets.UTF_8))));
            assertEquals(List.of(key.fingerprint()), ActionSignatures.verify(a, schedulerRing));
            assertEquals(List.of(key.id()), signers(f, a.id()));

            assertEquals(
                    Agent.STATUS_DESTROYED, f.agents.get(old.id()).orElseThrow().status());
            assertEquals(
                    Agent.STATUS_ONLINE, f.agents.get(young.id()).orElseThrow().status());

            // the agent runs it only under an ACL that grants the scheduler's key agentdestroy
            Acl withEntry = Acl.parse("{\"default\":{\"minimumweight\":2,\"investigators\":{}},"
                    + "\"agentdestroy\":{\"minimumweight\":1,\"investigators\":{\"MIG Scheduler\":"
                    + "{\"fingerprint\":\"" + key.fingerprint() + "\",\"weight\":1}}}}");
            withEntry.checkOperation("agentdestroy", List.of(key.fingerprint()));
            Acl defaultOnly = Acl.parse("{\"default\":{\"minimumweight\":2,\"investigators\":{}}}");
            assertThrows(
                    AclException.class, () -> defaultOnly.checkOperation("agentdestroy", List.of(key.fingerprint())));
            // and the key may run nothing else
            assertThrows(AclException.class, () -> withEntry.checkOperation("file", List.of(key.fingerprint())));

            // the destroyed agent heartbeats on: it stays destroyed, and no second order within three heartbeats
            Instant later = Instant.now().truncatedTo(ChronoUnit.MICROS);
            f.agents.heartbeat(withPid(old), later);
            assertEquals(
                    Agent.STATUS_DESTROYED, f.agents.get(old.id()).orElseThrow().status());
            DuplicateAgents dup = duplicates(f, "true");
            assertEquals(List.of(), dup.handle(queueLoc, later));

            // past three heartbeats (15 minutes) and still heartbeating: the order is issued again
            Instant past = later.plus(Duration.ofMinutes(16));
            f.agents.heartbeat(withPid(old), past);
            f.agents.heartbeat(withPid(young), past);
            List<Long> again = dup.handle(queueLoc, past);
            assertEquals(1, again.size(), "one re-issued order");
            assertEquals("Kill agent old", f.action(again.get(0)).name());
            assertEquals(2, kills(f), "the periodic runs (every second) issued one order in all, then the re-issue");
        }
    }

    @Test
    void withoutKillDupAgentsTheyAreOnlyReported(TestDatabase tdb, TestBroker broker) throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            String queueLoc = "linux.dup" + Fixture.randomAlnum(60);
            List<Agent> agents = twoAgents(f, queueLoc);
            DuplicateAgents dup = duplicates(f, "false");
            assertEquals(List.of(), dup.handle(queueLoc, Instant.now()));
            assertEquals(0, kills(f));
            for (Agent a : agents) {
                assertEquals(
                        Agent.STATUS_ONLINE, f.agents.get(a.id()).orElseThrow().status());
            }
            // one agent alone on its endpoint is left alone even with killdupagents
            Agent alone = f.online("alone");
            assertEquals(List.of(), duplicates(f, "true").handle(alone.queueLoc(), Instant.now()));
            assertEquals(0, kills(f));
        }
    }

    private static Agent withPid(Agent a) {
        return new Agent(
                0,
                a.name(),
                a.queueLoc(),
                a.mode(),
                a.version(),
                a.pid(),
                "",
                a.startTime(),
                null,
                a.heartbeatTs(),
                a.refreshTs(),
                "",
                false,
                a.environment(),
                a.tags());
    }

    private static DuplicateAgents duplicates(Fixture f, String kill) {
        SchedulerConfig config = Fixture.config(String.format(CONFIG, kill, "1h"));
        return new DuplicateAgents(f.agents, f.actions, new InvestigatorStore(f.db.dataSource()), config);
    }

    private static List<Long> signers(Fixture f, long actionId) throws Exception {
        try (Connection c = f.db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT investigatorid FROM signatures WHERE actionid = ?")) {
            ps.setLong(1, actionId);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    private static int kills(Fixture f) throws Exception {
        try (Connection c = f.db.connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM actions WHERE name LIKE 'Kill agent %'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
