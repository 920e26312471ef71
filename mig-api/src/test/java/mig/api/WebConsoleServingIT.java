package mig.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.database.AgentStore;
import mig.database.CommandStore;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web console's server side (mig.api.ui): its pages under /ui/ with their security headers,
 * and the progress stream, which pushes a finished command and refuses callers the API would refuse.
 */
@ExtendWith(MigServices.class)
class WebConsoleServingIT {

    @Test
    void thePagesAreServedUnderUiWithAPolicyThatKeepsScriptsAndConnectionsOnThisOrigin(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            ApiFixture.Answer index = api.get("/ui/");
            assertEquals(200, index.status());
            assertTrue(index.body().contains("id=\"key-form\""), index.body());
            String csp = index.header("Content-Security-Policy");
            assertTrue(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"), csp);
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe"), csp);
            ApiFixture.Answer lib = api.get("/ui/vendor/openpgp.min.mjs");
            assertEquals(200, lib.status());
            assertTrue(lib.header("Content-Type").contains("javascript"), lib.header("Content-Type"));
            assertEquals(
                    "{\"baseroute\":\"/api/v1\"}", api.get("/ui/config.json").body());
            // the API's own answers are unchanged
            assertEquals(200, api.get("/api/v1/heartbeat").status());
        }
    }

    @Test
    void nothingOutsideTheConsolesFolderIsServed(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            for (String attack : List.of(
                    "/ui/../mig/api/ApiServer.class",
                    "/ui/%2e%2e/ApiServer.class",
                    "/ui/..%2fApiServer.class",
                    "/ui/%2e%2e/%2e%2e/%2e%2e/logback.xml",
                    "/ui/../../../../etc/passwd")) {
                ApiFixture.Answer a = api.rawGet(attack);
                assertNotEquals(200, a.status(), attack + " answered " + a.body());
            }
        }
    }

    @Test
    void theProgressStreamRefusesWhomTheApiRefuses(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            api.register("bob", TestKeys.bob(), EnumSet.of(Permission.SEARCH));
            Action action = created(api);
            String path = "/ui/events/action?actionid=" + action.id();

            ApiFixture.Answer anonymous = api.get(path);
            assertEquals(401, anonymous.status());
            assertEquals("{\"error\":\"Valid authentication header not found\"}", anonymous.body());
            ApiFixture.Answer withoutPermission = api.get(path, ApiFixture.auth(TestKeys.bob()));
            assertEquals(401, withoutPermission.status());
            assertTrue(withoutPermission.body().contains("Insufficient permissions"), withoutPermission.body());
            ApiFixture.Answer forged = api.get(path, "X-PGPAUTHORIZATION", "1;2020-01-01T00:00:00Z;1;AAAA=AAAA");
            assertEquals(401, forged.status());
            assertFalse(forged.body().contains("event:"), forged.body());

            String[] alice = ApiFixture.auth(TestKeys.alice());
            assertEquals(404, api.get("/ui/events/action?actionid=1", alice).status());
            assertEquals(400, api.get("/ui/events/action?actionid=-1", alice).status());
            assertEquals(
                    400,
                    api.get("/ui/events/action?actionid=1%20OR%201=1", alice).status());
        }
    }

    @Test
    void theProgressStreamPushesAFinishedCommandAndEnds(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            Action action = created(api);
            AgentStore agents = new AgentStore(api.db.dataSource());
            long agentId = agents.heartbeat(
                    new Agent(
                            0,
                            "host1",
                            "linux.q1",
                            "daemon",
                            "1",
                            42,
                            "",
                            null,
                            null,
                            null,
                            null,
                            "online",
                            false,
                            AgentEnv.EMPTY,
                            Map.of()),
                    Instant.now());
            long commandId = mig.common.GenId.next();
            CommandStore commands = new CommandStore(api.db.dataSource());
            commands.insertAll(List.of(new Command(
                    commandId,
                    action,
                    agents.get(agentId).orElseThrow(),
                    "sent",
                    List.of(ModuleResult.EMPTY),
                    Instant.now(),
                    null)));
            await("the LISTEN connection up").atMost(Duration.ofSeconds(30)).until(api.server::isListening);

            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpRequest req = HttpRequest.newBuilder(api.uri("/ui/events/action?actionid=" + action.id()))
                    .header("X-PGPAUTHORIZATION", ApiFixture.token(TestKeys.alice()))
                    .build();
            var response = HttpClient.newHttpClient().sendAsync(req, HttpResponse.BodyHandlers.ofLines());
            HttpResponse<java.util.stream.Stream<String>> r = response.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            Thread reader = new Thread(() -> r.body().forEach(lines::add));
            reader.setDaemon(true);
            reader.start();

            JsonNode first = nextEvent(lines, "action");
            assertEquals("{\"sent\":1,\"inflight\":1}", first.at("/counters").toString());

            // the scheduler's commit of a result, as the trigger sees it
            try (var c = api.db.dataSource().getConnection();
                    var st = c.prepareStatement("UPDATE commands SET status = 'success' WHERE id = ?")) {
                st.setLong(1, commandId);
                assertEquals(1, st.executeUpdate());
            }
            JsonNode done = nextEvent(lines, "action");
            assertEquals(
                    "{\"sent\":1,\"done\":1,\"success\":1}",
                    done.at("/counters").toString());
            assertEquals("\"finished\"", nextData(lines, "end"));
        }
    }

    private static Action created(ApiFixture api) {
        ApiFixture.Answer created = ActionIT.create(
                api, ApiFixture.signedAction("console", "status='online'", TestKeys.alice()), TestKeys.alice());
        assertEquals(202, created.status(), created.body());
        JsonNode value = GoJson.tree(created.body()).at("/collection/items/0/data/0/value");
        return GoJson.unmarshal(value.toString(), Action.class);
    }

    private static JsonNode nextEvent(LinkedBlockingQueue<String> lines, String event) throws InterruptedException {
        return GoJson.tree(nextData(lines, event));
    }

    /** The data of the next event named {@code event}, skipping comments and other events. */
    private static String nextData(LinkedBlockingQueue<String> lines, String event) throws InterruptedException {
        String name = null;
        while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no '" + event + "' event within 60 s");
            }
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ") && event.equals(name)) {
                return line.substring(6);
            }
        }
    }
}
