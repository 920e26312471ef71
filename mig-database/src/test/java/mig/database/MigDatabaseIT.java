package mig.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.Command;
import mig.common.GenId;
import mig.common.Investigator;
import mig.common.ModuleResult;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The original's schema and the shared queries, on a real PostgreSQL. */
@ExtendWith(MigServices.class)
class MigDatabaseIT {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void migratesAFreshDatabaseToTheOriginalsTablesAndIsIdempotent(TestDatabase tdb) throws Exception {
        try (MigDatabase db = open(tdb)) {
            db.migrate();
            db.migrate();
            try (Connection c = db.connection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables "
                            + "WHERE table_schema = 'public' AND table_name NOT LIKE 'flyway%' ORDER BY 1")) {
                StringBuilder names = new StringBuilder();
                while (rs.next()) {
                    names.append(rs.getString(1)).append(' ');
                }
                assertEquals(
                        "actions agents agents_stats agtmodreq commands invagtmodperm investigators loaders "
                                + "manifests manifestsig modules signatures ",
                        names.toString());
            }
        }
    }

    @Test
    void storesAnActionWithItsSignerAndReadsItBackWithCountersAndInvestigators(TestDatabase tdb) {
        try (MigDatabase db = open(tdb).migrate()) {
            InvestigatorStore investigators = new InvestigatorStore(db.dataSource());
            long invId = investigators.create(
                    "root",
                    "d903231f7344f6e566a76688de59c102af729558",
                    resource("investigator-pubkey.asc").getBytes(StandardCharsets.UTF_8),
                    Permission.toMask(Permission.DEFAULT),
                    NOW);
            Investigator inv = investigators
                    .byFingerprint("D903231F7344F6E566A76688DE59C102AF729558")
                    .orElseThrow();
            assertEquals(invId, inv.id());
            assertEquals("D903231F7344F6E566A76688DE59C102AF729558", inv.pgpFingerprint());
            assertTrue(inv.permissions().actionCreate());

            Action signed = GoJson.unmarshal(resource("05-action-signed.json"), Action.class);
            Action pending = signed.withId(GenId.next())
                    .withProgress(
                            Action.STATUS_PENDING,
                            GoTime.ACTION_START_PLACEHOLDER,
                            GoTime.ACTION_FINISH_PLACEHOLDER,
                            GoTime.ACTION_START_PLACEHOLDER,
                            null,
                            null);
            ActionStore actions = new ActionStore(db.dataSource());
            actions.insert(
                    pending,
                    List.of(new ActionStore.Signer(invId, signed.pgpSignatures().get(0))));

            Action back = actions.get(pending.id()).orElseThrow();
            assertEquals(pending.canonicalString(), back.canonicalString());
            assertEquals(Action.STATUS_PENDING, back.status());
            assertEquals(pending.pgpSignatures(), back.pgpSignatures());
            assertEquals("root", back.investigators().get(0).name());
            assertEquals(null, back.investigators().get(0).publicKey());
            assertEquals(ActionCounters.EMPTY, back.counters());
            assertTrue(actions.get(12345).isEmpty());

            AgentStore agents = new AgentStore(db.dataSource());
            Agent hb = GoJson.unmarshal(resource("agent-15.json"), Agent.class);
            long agentId = agents.heartbeat(hb, NOW);
            assertEquals(agentId, agents.heartbeat(hb, NOW.plusSeconds(30)), "same process, same row");
            Agent row = agents.get(agentId).orElseThrow();
            assertEquals(Agent.STATUS_ONLINE, row.status());
            assertEquals(NOW.plusSeconds(30), row.heartbeatTs());
            assertEquals("Debian 12 bookworm", row.environment().ident());
            assertEquals(Map.of("build", "local", "environment", "migref"), row.tags());

            assertEquals(
                    List.of("vm"),
                    agents.targeted("status='online'", 0).stream()
                            .map(Agent::name)
                            .toList());
            assertEquals(
                    List.of("vm"),
                    agents.targeted("tags->>'environment'='migref' AND environment->>'os'='linux'", 0).stream()
                            .map(Agent::name)
                            .toList());
            assertTrue(agents.targeted("name='nobody'", 0).isEmpty());

            CommandStore commands = new CommandStore(db.dataSource());
            Command cmd = new Command(
                    GenId.next(), back, row, Command.STATUS_SENT, List.of(ModuleResult.EMPTY), NOW, GoTime.FAR_FUTURE);
            commands.insertAll(List.of(cmd));
            Command read = commands.get(cmd.id()).orElseThrow();
            assertEquals(Command.STATUS_SENT, read.status());
            assertEquals(List.of(ModuleResult.EMPTY), read.results());
            assertEquals(row.queueLoc(), read.agent().queueLoc());
            assertEquals(new ActionCounters(1, 0, 1, 0, 0, 0, 0, 0), actions.counters(pending.id()));
        }
    }

    @Test
    void aDuplicateFingerprintIsRefusedClearly(TestDatabase tdb) {
        try (MigDatabase db = open(tdb).migrate()) {
            InvestigatorStore investigators = new InvestigatorStore(db.dataSource());
            investigators.create("a", "AAAA", null, 0, NOW);
            DatabaseException e =
                    assertThrows(DatabaseException.class, () -> investigators.create("b", "aaaa", null, 0, NOW));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        }
    }

    @Test
    void aTargetThatIsNotAllowedNeverReachesTheDatabase(TestDatabase tdb) {
        try (MigDatabase db = open(tdb).migrate()) {
            AgentStore agents = new AgentStore(db.dataSource());
            assertThrows(RuntimeException.class, () -> agents.targeted("status='online'; DROP TABLE agents", 0));
            assertEquals(List.of(), agents.targeted("id > 0", 0));
        }
    }

    static MigDatabase open(TestDatabase tdb) {
        return MigDatabase.open(DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 4), "test");
    }

    static String resource(String name) {
        try (InputStream in = MigDatabaseIT.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
