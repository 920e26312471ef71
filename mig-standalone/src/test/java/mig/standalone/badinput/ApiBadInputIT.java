package mig.standalone.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mig.api.ApiConfig;
import mig.api.ApiServer;
import mig.bench.platform.Investigator;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.AgentEnvAws;
import mig.common.Heartbeat;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A generated corpus of malformed API requests ({@link ActionCorpus}, {@link RequestCorpus},
 * {@link HeartbeatCorpus}), sent byte for byte to a running API with authentication on: every one
 * must get a 4xx (the exact one where it matters: 401 for tokens, 403 for wrong signers, 413 for
 * bodies over the limits), none a 5xx, a hang or a dropped connection, and no row of any table may
 * change. The API must then still take a valid heartbeat and a valid action.
 */
@ExtendWith(MigServices.class)
class ApiBadInputIT {

    @Test
    void everyMalformedRequestGetsA4xxAndChangesNoRow(TestDatabase tdb) throws Exception {
        DbConfig config = DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8);
        Investigator eve = Keys.eve();
        try (MigDatabase db = MigDatabase.open(config, "bad-input").migrate();
                ApiServer api = ApiServer.start(ApiConfig.local(0, "http://localhost", true, config), db)) {
            eve.register(db);
            Keys.disabled().register(db);
            InvestigatorStore investigators = new InvestigatorStore(db.dataSource());
            investigators.setStatus(
                    investigators
                            .byFingerprint(Keys.disabled().fingerprint())
                            .orElseThrow()
                            .id(),
                    "disabled",
                    Instant.now());
            Keys.limited().register(db, EnumSet.of(Permission.SEARCH));
            RawHttp http = new RawHttp(api.port());
            String heartbeat = heartbeat();
            assertEquals(
                    200,
                    http.send(
                                    "POST",
                                    "/api/v1/heartbeat",
                                    Map.of("Content-Type", "application/json"),
                                    heartbeat.getBytes(StandardCharsets.UTF_8))
                            .status(),
                    "a valid heartbeat first");

            List<BadRequest> corpus = new ArrayList<>();
            corpus.addAll(new ActionCorpus(eve, Keys.stranger(), Keys.disabled(), Keys.limited()).all());
            corpus.addAll(new RequestCorpus(eve, Keys.stranger(), Keys.disabled(), Keys.limited()).all());
            corpus.addAll(new HeartbeatCorpus(heartbeat).all());

            RowSnapshot before = RowSnapshot.of(db.dataSource());
            List<String> wrong = new ArrayList<>();
            Map<String, Map<Integer, Integer>> statusesByFamily = new TreeMap<>();
            long start = System.nanoTime();
            for (BadRequest r : corpus) {
                RawHttp.Answer a = http.send(r.method(), r.target(), r.headers(), r.body());
                statusesByFamily
                        .computeIfAbsent(r.family(), k -> new TreeMap<>())
                        .merge(a.status(), 1, Integer::sum);
                if (!r.accepts(a.status())) {
                    wrong.add(
                            r.family() + ": " + r.what() + ": expected " + (r.expected() == 0 ? "a 4xx" : r.expected())
                                    + ", got " + a.status() + " " + abbreviate(a.body()));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            RowSnapshot after = RowSnapshot.of(db.dataSource());

            System.out.printf("API bad input: %d requests in %.1f s%n", corpus.size(), seconds);
            statusesByFamily.forEach((family, statuses) -> System.out.printf("  %-50s %s%n", family, statuses));
            assertEquals(
                    List.of(),
                    wrong,
                    wrong.size() + " of " + corpus.size() + " requests were not refused as " + "they should be");
            assertEquals(before, after, "rows changed while the corpus was sent");

            // Still serving: a valid heartbeat and a valid action are taken.
            assertEquals(
                    200,
                    http.send(
                                    "POST",
                                    "/api/v1/heartbeat",
                                    Map.of("Content-Type", "application/json"),
                                    heartbeat().getBytes(StandardCharsets.UTF_8))
                            .status());
            RawHttp.Answer created = http.send(
                    "POST",
                    "/api/v1/action/create/",
                    Map.of("Content-Type", BadRequest.FORM, "X-PGPAUTHORIZATION", eve.token()),
                    ("action=" + BadRequest.enc(GoJson.marshal(eve.sign(ActionCorpus.draft("after the corpus")))))
                            .getBytes(StandardCharsets.UTF_8));
            assertEquals(202, created.status(), created.body());
            assertTrue(corpus.size() >= 400, "a corpus of " + corpus.size() + " requests");
        }
    }

    /** The body a real agent POSTs, for one fixed queueloc and pid. */
    static String heartbeat() {
        AgentEnv env = new AgentEnv(
                "systemd",
                "Debian 12 bookworm",
                "linux",
                "amd64",
                false,
                "",
                List.of("10.0.0.7/8"),
                "192.0.2.7",
                AgentEnvAws.EMPTY,
                List.of("fleetecho"));
        return GoJson.marshal(Heartbeat.of(
                "victim.example.net",
                env,
                Agent.MODE_DAEMON,
                "20260101-0.badinput",
                4242,
                "linux.badinputvictim" + "0".repeat(70),
                Instant.now(),
                Instant.now(),
                Map.of("env", "test")));
    }

    static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
