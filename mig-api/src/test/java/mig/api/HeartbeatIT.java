package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import mig.common.heartbeat.HeartbeatAuth;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Agents' {@code POST /heartbeat}, with the body the original agent sent. */
@ExtendWith(MigServices.class)
class HeartbeatIT {

    static String recordedBody(Instant startTime) {
        return Resources.wire("heartbeat-body.json")
                .replace("\"startTime\":\"2026-11-28T18:58:18.348625205Z\"", "\"startTime\":\"" + startTime + "\"");
    }

    @Test
    void theRecordedHeartbeatIsStoredAndTheAgentIsVisible(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            ApiFixture.Answer a = post(api, recordedBody(Instant.now()));
            assertEquals(200, a.status(), a.body());
            assertEquals("{\"error\":null}\n", a.body());
            assertEquals("application/json", a.header("Content-Type"));
            assertNull(a.header("Cache-Control"), "the original's heartbeat handler sends none");
            assertEquals(200, post(api, recordedBody(Instant.now())).status(), "a second beat updates the same row");

            ApiFixture.Answer found = api.get("/api/v1/search?type=agent&agentname=vm");
            assertEquals(200, found.status(), found.body());
            JsonNode items = GoJson.tree(found.body()).at("/collection/items");
            assertEquals(2, items.size(), "one agent, then the search parameters");
            JsonNode agent = items.at("/0/data/0/value");
            assertEquals("vm", agent.get("name").asText());
            assertEquals("online", agent.get("status").asText());
            assertEquals(
                    "{\"build\":\"local\",\"environment\":\"migref\"}",
                    agent.get("tags").toString());

            long id = agent.get("id").asLong();
            ApiFixture.Answer byId = api.get("/api/v1/agent?agentid=" + id);
            assertEquals(200, byId.status(), byId.body());
            JsonNode value = GoJson.tree(byId.body()).at("/collection/items/0/data/0/value");
            assertEquals(
                    "linux.ylsqyyb2curg11bqg69i0bivxekdtpah1nwfi1bdkwahjnmnix1e43rr9o633sfyo2unha3zp1pswck7es49h4h1d5rs47evp7z5",
                    value.get("queueloc").asText());
            assertEquals(12338, value.get("pid").asInt());
            assertEquals("2026-11-28T18:57:18.194494Z", value.get("refreshts").asText());
            assertEquals(
                    "[\"192.0.2.2/24\",\"fd00::2/64\",\"fe80::fc:ff:fe00:1/64\"]",
                    value.at("/environment/addresses").toString());
            assertEquals("127.0.0.1", value.at("/environment/publicip").asText());

            ApiFixture.Answer targeted =
                    api.get("/api/v1/search?type=agent&limit=1000000&target=status%3D%27online%27");
            assertEquals(200, targeted.status(), targeted.body());
            assertEquals(
                    id,
                    GoJson.tree(targeted.body())
                            .at("/collection/items/0/data/0/value/id")
                            .asLong());
        }
    }

    @Test
    void aForgedHeartbeatCannotRenameOrRetagARunningAgent(TestDatabase tdb) {
        // The attack: knowing a running agent's queueloc and pid (both are in every heartbeat and
        // in the agent's queue name), post a heartbeat that renames it and changes its tags, so
        // that targets on name or tags select it (or stop selecting it).
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            assertEquals(200, post(api, recordedBody(Instant.now())).status());
            String forged = recordedBody(Instant.now())
                    .replace("\"name\":\"vm\"", "\"name\":\"db-prod\"")
                    .replace("\"value\":\"migref\"", "\"value\":\"production\"");
            ApiFixture.Answer refused = post(api, forged);
            assertEquals(409, refused.status(), refused.body());
            assertTrue(
                    GoJson.tree(refused.body()).get("error").asText().startsWith("Refused heartbeat: agent "),
                    refused.body());
            String otherOs = recordedBody(Instant.now())
                    .replace("\"ident\":\"Debian 12 bookworm\"", "\"ident\":\"Windows Server 2022\"");
            assertEquals(409, post(api, otherOs).status());

            // a real agent whose addresses changed (a new lease) is still recorded, as before
            String moved = recordedBody(Instant.now()).replace("\"192.0.2.2/24\"", "\"192.0.2.77/24\"");
            assertEquals(200, post(api, moved).status());

            JsonNode items = GoJson.tree(
                            api.get("/api/v1/search?type=agent&agentname=%25").body())
                    .at("/collection/items");
            assertEquals(2, items.size(), "still one agent, then the search parameters: " + items);
            JsonNode agent = items.at("/0/data/0/value");
            assertEquals("vm", agent.get("name").asText());
            assertEquals(
                    "{\"build\":\"local\",\"environment\":\"migref\"}",
                    agent.get("tags").toString());
            assertEquals("Debian 12 bookworm", agent.at("/environment/ident").asText());
            assertEquals("192.0.2.77/24", agent.at("/environment/addresses/0").asText());
        }
    }

    @Test
    void aFloodOfHeartbeatsIsCutOffPerAddressAndPerQueueLoc(TestDatabase tdb) {
        // The attack: 200 heartbeats of about 100 kB, each a new fake agent, from one address;
        // before, all were stored. With 20 a minute per address and 3 per queueloc:
        try (ApiFixture api = ApiFixture.start(
                tdb,
                false,
                java.time.Clock.systemUTC(),
                c -> c.withHeartbeats(c.heartbeats().withPerAddress(20).withPerQueueLoc(3)))) {
            String padded =
                    recordedBody(Instant.now()).replace("\"proxy\":\"\"", "\"proxy\":\"" + "p".repeat(95_000) + "\"");
            // one queueloc, over and over: three are taken, then 429
            int sameTaken = 0;
            ApiFixture.Answer last = null;
            for (int i = 0; i < 6; i++) {
                last = post(api, padded.replace("\"pid\":12338", "\"pid\":" + (100 + i)));
                if (last.status() == 200) {
                    sameTaken++;
                }
            }
            assertTrue(sameTaken >= 3 && sameTaken <= 4, "taken for one queueloc: " + sameTaken);
            assertEquals(429, last.status(), last.body());
            assertEquals("{\"error\":\"Too many heartbeats for this queueLoc: at most 3 a minute\"}\n", last.body());

            // many fake agents: the address runs out
            int taken = 0;
            int tooMany = 0;
            for (int i = 0; i < 200; i++) {
                ApiFixture.Answer a =
                        post(api, padded.replace("\"queueLoc\":\"linux.", "\"queueLoc\":\"linux.fake" + i));
                if (a.status() == 200) {
                    taken++;
                } else {
                    assertEquals(429, a.status(), a.body());
                    assertEquals("{\"error\":\"Too many heartbeats from 127.0.0.1: at most 20 a minute\"}\n", a.body());
                    tooMany++;
                }
            }
            assertTrue(tooMany >= 170, "refused " + tooMany + ", taken " + taken);
            assertEquals(sameTaken + taken, ActionIT.count(api, "agents"), "only what was answered 200 is stored");
        }
    }

    @Test
    void withASecretUnauthenticatedHeartbeatsAreRefused(TestDatabase tdb) {
        // The attack: a heartbeat made up by someone without the agents' secret, with no
        // signature, with a made-up one, or with a real agent's signature over another body.
        String secret = "s3cret-compiled-into-the-agents";
        try (ApiFixture api = ApiFixture.start(
                tdb,
                false,
                java.time.Clock.systemUTC(),
                c -> c.withHeartbeats(c.heartbeats().withSecret(secret)))) {
            byte[] body = recordedBody(Instant.now()).getBytes(StandardCharsets.UTF_8);
            byte[] other = recordedBody(Instant.now())
                    .replace("\"name\":\"vm\"", "\"name\":\"evil\"")
                    .getBytes(StandardCharsets.UTF_8);
            String expected = "{\"error\":\"Refused heartbeat: not authenticated (X-MIG-Heartbeat-Signature "
                    + "missing or wrong)\"}\n";
            ApiFixture.Answer none = api.postRaw("/api/v1/heartbeat", "application/json", body);
            assertEquals(401, none.status(), none.body());
            assertEquals(expected, none.body());
            ApiFixture.Answer wrongKey = api.postRaw(
                    "/api/v1/heartbeat",
                    "application/json",
                    body,
                    HeartbeatAuth.HEADER,
                    HeartbeatAuth.sign("guessed-secret-guessed", body));
            assertEquals(401, wrongKey.status(), wrongKey.body());
            ApiFixture.Answer garbage =
                    api.postRaw("/api/v1/heartbeat", "application/json", body, HeartbeatAuth.HEADER, "sha256=zz");
            assertEquals(401, garbage.status(), garbage.body());
            ApiFixture.Answer replayedOnOther = api.postRaw(
                    "/api/v1/heartbeat",
                    "application/json",
                    other,
                    HeartbeatAuth.HEADER,
                    HeartbeatAuth.sign(secret, body));
            assertEquals(401, replayedOnOther.status(), replayedOnOther.body());
            assertEquals(0, ActionIT.count(api, "agents"));

            ApiFixture.Answer signed = api.postRaw(
                    "/api/v1/heartbeat",
                    "application/json",
                    body,
                    HeartbeatAuth.HEADER,
                    HeartbeatAuth.sign(secret, body));
            assertEquals(200, signed.status(), signed.body());
            assertEquals(1, ActionIT.count(api, "agents"));
        }
    }

    @Test
    void badHeartbeatsAreRefusedWithTheReason(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            String good = recordedBody(Instant.now());
            assertRefused(api, "{not json", 400, "Failed to decode request body: ");
            assertRefused(api, "[]", 400, "Failed to decode request body: ");
            assertRefused(api, "null", 400, "Failed to decode request body: ");
            assertRefused(
                    api, good.replace("\"pid\":12338", "\"pid\":\"many\""), 400, "Failed to decode request body: ");
            assertRefused(
                    api,
                    "{\"name\":\"vm\",\"queueLoc\":\"q\",\"startTime\":\"" + Instant.now() + "\"}",
                    400,
                    "Missing fields in request body: missing field(s): mode, version, pid, environment.init, "
                            + "environment.ident, environment.os, environment.arch, environment.publicIP");
            assertRefused(
                    api, recordedBody(Instant.now().minusSeconds(600)), 400, "Invalid heartbeat: heartbeat expired");
            assertRefused(
                    api,
                    good.replace("\"mode\":\"daemon\"", "\"mode\":\"sleepy\""),
                    400,
                    "Invalid heartbeat: agent reported an invalid mode");
            assertRefused(
                    api,
                    good.replace("\"name\":\"vm\"", "\"name\":\"" + "v".repeat(1025) + "\""),
                    400,
                    "Invalid heartbeat: agent reported a name that is too long");
            assertRefused(
                    api,
                    good.replace("\"version\":\"0.unversioned\"", "\"version\":\"" + "1".repeat(129) + "\""),
                    400,
                    "Invalid heartbeat: agent reported a version string that is too long");
            assertRefused(
                    api,
                    good.replace("\"pid\":12338", "\"pid\":-4"),
                    400,
                    "Invalid heartbeat: agent reported an invalid pid");
            assertRefused(
                    api,
                    good.replace("\"proxy\":\"\"", "\"proxy\":\"" + "x".repeat(200_000) + "\""),
                    413,
                    "request body too large");
            assertEquals(0, ActionIT.count(api, "agents"));
        }
    }

    private static ApiFixture.Answer post(ApiFixture api, String body) {
        return api.postRaw("/api/v1/heartbeat", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(ApiFixture api, String body, int status, String messageStart) {
        ApiFixture.Answer a = post(api, body);
        assertEquals(status, a.status(), a.body());
        String error = GoJson.tree(a.body()).get("error").asText();
        assertTrue(error.startsWith(messageStart), error);
    }
}
