package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.Command;
import mig.common.Description;
import mig.common.GenId;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.Permission;
import mig.common.Threat;
import mig.common.json.GoJson;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.CommandStore;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /search} over a small platform: three actions (by alice, by bob, by both), three agents,
 * three commands, one loader and one manifest.
 */
@ExtendWith(MigServices.class)
class SearchIT {

    private ApiFixture api;
    private String[] auth;
    private long alice;
    private long bob;
    private long a1;
    private long a2;
    private long a3;
    private long host1;
    private long host2;
    private long host3;

    @BeforeEach
    void seed(TestDatabase tdb) throws Exception {
        api = ApiFixture.start(tdb, true);
        alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
        bob = api.register("bob", TestKeys.bob(), Permission.DEFAULT);
        auth = ApiFixture.auth(TestKeys.alice());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ActionStore actions = new ActionStore(api.db.dataSource());
        Action first =
                action("netstat ssh", "completed", new Threat("", "", "backdoor", ""), now.minusSeconds(3 * 3600));
        Action second = action("file passwd", "inflight", Threat.EMPTY, now.minusSeconds(2 * 3600));
        Action third = action("file shadow", "pending", Threat.EMPTY, now.minusSeconds(3600));
        actions.insert(first, List.of(new ActionStore.Signer(alice, "sig-a")));
        actions.insert(second, List.of(new ActionStore.Signer(bob, "sig-b")));
        actions.insert(third, List.of(new ActionStore.Signer(alice, "sig-a"), new ActionStore.Signer(bob, "sig-b")));
        a1 = first.id();
        a2 = second.id();
        a3 = third.id();

        AgentStore agents = new AgentStore(api.db.dataSource());
        host1 = agents.heartbeat(agent("host-1", "linux.q1", 1, "1.0"), now.minusSeconds(30));
        host2 = agents.heartbeat(agent("host-2", "linux.q2", 2, "2.0"), now.minusSeconds(20));
        host3 = agents.heartbeat(agent("host-3", "linux.q3", 3, "1.0"), now.minusSeconds(10));
        sql("UPDATE agents SET status = 'offline' WHERE id = " + host3);

        CommandStore commands = new CommandStore(api.db.dataSource());
        commands.insertAll(List.of(
                command(first, agents.get(host1).orElseThrow(), "success", true, now.minusSeconds(600)),
                command(first, agents.get(host2).orElseThrow(), "success", false, now.minusSeconds(500)),
                command(second, agents.get(host1).orElseThrow(), "sent", false, now.minusSeconds(400))));

        sql("INSERT INTO loaders (loadername, keyprefix, loaderkey, salt, name, lastseen, enabled) "
                + "VALUES ('loader-1', 'abcdefgh', '\\x01', '\\x02', 'host-1', now(), true)");
        sql("INSERT INTO manifests (name, content, timestamp, status, target) "
                + "VALUES ('manifest-1', 'H4sI', now(), 'staged', 'status=''online''')");
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        api.close();
    }

    @Test
    void actionsWithoutFiltersAreAllListedNewestFirst() {
        assertEquals(List.of(a3, a2, a1), ids("type=action"));
        assertEquals(List.of(a3, a2, a1), ids(""), "type defaults to action");
    }

    @Test
    void actionsFilterOnStatusNameThreatSignerAndAgent() {
        assertEquals(List.of(a1), ids("type=action&status=completed"));
        assertEquals(List.of(a3, a2), ids("type=action&investigatorname=bob"));
        assertEquals(List.of(a3, a1), ids("type=action&investigatorid=" + alice));
        assertEquals(List.of(a3, a2), ids("type=action&actionname=" + enc("file%")));
        assertEquals(List.of(a1), ids("type=action&threatfamily=backdoor"));
        assertEquals(List.of(a1), ids("type=action&agentname=host-2"));
        assertEquals(List.of(a2), ids("type=action&commandid=" + commandOn(a2)));
        assertEquals(
                List.of(a3),
                ids("type=action&after=" + enc(Instant.now().minusSeconds(5400).toString())));
        assertEquals(
                404,
                search("type=action&before="
                                + enc(Instant.now().plusSeconds(1800).toString()))
                        .status());
    }

    @Test
    void actionsCarryTheirCountersAndSigners() {
        JsonNode first = items(search("type=action&actionid=" + a1)).get(0);
        assertEquals(
                "{\"sent\":2,\"done\":2,\"success\":2}", first.get("counters").toString());
        assertEquals("alice", first.at("/investigators/0/name").asText());
        assertEquals(
                ApiFixture.HOST + "/api/v1/action?actionid=" + a1,
                GoJson.tree(search("type=action&actionid=" + a1).body())
                        .at("/collection/items/0/href")
                        .asText());
    }

    @Test
    void commandsFilterOnActionFoundAnythingStatusAndAgent() {
        assertEquals(2, items(search("type=command&actionid=" + a1)).size());
        List<JsonNode> found = items(search("type=command&actionid=" + a1 + "&foundanything=TRUE"));
        assertEquals(1, found.size());
        assertEquals(host1, found.get(0).at("/agent/id").asLong());
        List<JsonNode> notFound = items(search("type=command&actionid=" + a1 + "&foundanything=false"));
        assertEquals(host2, notFound.get(0).at("/agent/id").asLong());
        assertEquals(1, items(search("type=command&status=sent")).size());
        assertEquals(2, items(search("type=command&agentid=" + host1)).size());
        assertEquals(1, items(search("type=command&investigatorname=bob")).size());
        JsonNode cmd = found.get(0);
        assertEquals("", cmd.at("/agent/queueloc").asText(), "the original's command search leaves queueloc out");
        assertEquals(
                "{\"sent\":2,\"done\":2,\"success\":2}",
                cmd.at("/action/counters").toString());
    }

    @Test
    void agentsFilterOnNameVersionStatusAndActions() {
        assertEquals(List.of(host3, host2, host1), ids("type=agent"));
        assertEquals(List.of(host3), ids("type=agent&status=offline"));
        assertEquals(List.of(host2), ids("type=agent&agentversion=" + enc("2.%")));
        assertEquals(List.of(host1), ids("type=agent&actionid=" + a2));
        assertEquals(List.of(host2, host1), ids("type=agent&investigatorname=alice&agentname=" + enc("host-%")));
    }

    @Test
    void agentTargetsGoThroughTheSafeCompiler() {
        assertEquals(List.of(host1, host2), ids("type=agent&target=" + enc("status='online'")));
        assertEquals(List.of(host2), ids("type=agent&target=" + enc("version='2.0' AND name LIKE 'host%'")));
        ApiFixture.Answer injection = search("type=agent&target=" + enc("status='online' OR 1=1; DROP TABLE agents"));
        assertEquals(400, injection.status(), injection.body());
        assertTrue(ActionIT.message(injection).startsWith("invalid target: "), ActionIT.message(injection));
        assertEquals(3, ActionIT.count(api, "agents"));
    }

    @Test
    void investigatorsAreListedByIdAndFilterOnWhatTheySigned() {
        assertEquals(List.of(alice, bob), ids("type=investigator"));
        assertEquals(List.of(alice), ids("type=investigator&investigatorname=" + enc("al%")));
        assertEquals(List.of(bob), ids("type=investigator&actionid=" + a2));
        assertEquals(List.of(alice), ids("type=investigator&agentname=host-2"));
        assertEquals(404, search("type=investigator&status=disabled").status());
    }

    @Test
    void pagesEndWithNoResultsFound() {
        ApiFixture.Answer page1 = search("type=action&limit=1");
        assertEquals(List.of("action", "search parameters"), names(page1));
        ApiFixture.Answer page2 = search("type=action&limit=1&offset=1");
        assertEquals(List.of("action", "pagination", "search parameters"), names(page2));
        JsonNode pagination = GoJson.tree(page2.body()).at("/collection/items/1/data/0/value");
        assertEquals(1, pagination.get("limit").asLong());
        assertEquals(1, pagination.get("offset").asLong());
        assertTrue(
                pagination
                        .get("next")
                        .asText()
                        .matches("http://localhost:1664/api/v1/search\\?type=action"
                                + "&after=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ&before=\\S+&limit=1&offset=2"),
                pagination.get("next").asText());
        assertEquals(
                a2,
                GoJson.tree(page2.body())
                        .at("/collection/items/0/data/0/value/id")
                        .asLong());

        ApiFixture.Answer past = search("type=action&limit=1&offset=3");
        assertEquals(404, past.status());
        assertEquals("no results found", ActionIT.message(past));
        assertEquals(List.of("search parameters"), names(past));
        JsonNode params = GoJson.tree(past.body()).at("/collection/items/0/data/0/value");
        assertEquals(3, params.get("offset").asLong());
        assertEquals("∞", params.get("actionid").asText());
    }

    @Test
    void loadersAndManifestsAreListed() {
        JsonNode loader = items(search("type=loader")).get(0);
        assertEquals("loader-1", loader.get("name").asText());
        assertEquals("host-1", loader.get("agentname").asText());
        assertEquals("", loader.get("key").asText(), "keys are never listed");
        JsonNode manifest = items(search("type=manifest&status=staged")).get(0);
        assertEquals("manifest-1", manifest.get("name").asText());
        assertTrue(!manifest.has("content"), "content is left out of searches");
    }

    // ---- helpers ----

    private ApiFixture.Answer search(String query) {
        return api.get("/api/v1/search" + (query.isEmpty() ? "" : "?" + query), auth);
    }

    private List<Long> ids(String query) {
        ApiFixture.Answer a = search(query);
        assertEquals(200, a.status(), query + ": " + a.body());
        return items(a).stream().map(n -> n.get("id").asLong()).toList();
    }

    /** The values of the result items (not pagination or search parameters). */
    private static List<JsonNode> items(ApiFixture.Answer a) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode item : GoJson.tree(a.body()).at("/collection/items")) {
            String name = item.at("/data/0/name").asText();
            if (!name.equals("pagination") && !name.equals("search parameters")) {
                out.add(item.at("/data/0/value"));
            }
        }
        return out;
    }

    private static List<String> names(ApiFixture.Answer a) {
        List<String> out = new ArrayList<>();
        GoJson.tree(a.body())
                .at("/collection/items")
                .forEach(i -> out.add(i.at("/data/0/name").asText()));
        return out;
    }

    private long commandOn(long actionId) {
        JsonNode c = items(search("type=command&actionid=" + actionId)).get(0);
        return c.get("id").asLong();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = api.db.connection();
                Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    private static Action action(String name, String status, Threat threat, Instant validFrom) {
        return new Action(
                GenId.next(),
                name,
                "status='online'",
                Description.EMPTY,
                threat,
                validFrom,
                validFrom.plusSeconds(4 * 3600),
                List.of(Operation.of("file", GoJson.tree("{}"))),
                List.of("sig"),
                null,
                status,
                validFrom,
                validFrom,
                validFrom,
                ActionCounters.EMPTY,
                2);
    }

    private static Agent agent(String name, String queueLoc, int pid, String version) {
        return new Agent(
                0,
                name,
                queueLoc,
                "daemon",
                version,
                pid,
                "",
                null,
                null,
                null,
                null,
                "online",
                false,
                new AgentEnv(
                        "systemd",
                        "Debian",
                        "linux",
                        "amd64",
                        false,
                        "",
                        List.of("10.0.0.1/24"),
                        "1.2.3.4",
                        null,
                        List.of("file")),
                Map.of("operator", "IT"));
    }

    private static Command command(Action a, Agent agent, String status, boolean found, Instant start) {
        ModuleResult r = new ModuleResult(found, status.equals("success"), null, null, null);
        return new Command(GenId.next(), a, agent, status, List.of(r), start, start.plusSeconds(5));
    }
}
