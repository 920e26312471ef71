package mig.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import mig.api.action.ActionWaiter;
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

/** Submitting and following actions: signatures, signers, submitters, and the long poll. */
@ExtendWith(MigServices.class)
class ActionIT {

    @Test
    void aSignedActionIsAcceptedAndReadBackAsTheOriginalShowsIt(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            long alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            Action signed = ApiFixture.signedAction("find hostname", "status='online'", TestKeys.alice());

            ApiFixture.Answer created = create(api, signed, TestKeys.alice());
            assertEquals(202, created.status(), created.body());
            JsonNode doc = GoJson.tree(created.body());
            JsonNode recorded = GoJson.tree(Resources.wire("06-action-create.json"));
            assertEquals(keys(recorded), keys(doc), "same Collection+JSON layout as the recorded 202");
            JsonNode item = doc.at("/collection/items/0");
            JsonNode value = item.at("/data/0/value");
            long id = value.get("id").asLong();
            assertEquals(
                    ApiFixture.HOST + "/api/v1/action/create/",
                    doc.at("/collection/href").asText());
            assertEquals(
                    ApiFixture.HOST + "/api/v1/action?actionid=" + id,
                    item.get("href").asText());
            assertEquals("action ID " + id, item.at("/data/0/name").asText());
            assertEquals(keys(recorded.at("/collection/items/0/data/0/value")), keys(value));
            assertEquals("pending", value.get("status").asText());
            assertEquals(
                    "0009-01-11T11:11:11.000000011Z", value.get("starttime").asText());
            assertEquals(
                    "9998-01-11T11:11:11.000000011Z", value.get("finishtime").asText());
            assertEquals("{}", value.get("counters").toString());
            assertEquals(
                    signed.canonicalString(),
                    GoJson.unmarshal(value.toString(), Action.class).canonicalString());

            ApiFixture.Answer polled = api.get("/api/v1/action?actionid=" + id, ApiFixture.auth(TestKeys.alice()));
            assertEquals(200, polled.status(), polled.body());
            JsonNode got = GoJson.tree(polled.body()).at("/collection/items/0/data/0/value");
            JsonNode poll1 =
                    GoJson.tree(Resources.wire("07-action-poll-1.json")).at("/collection/items/0/data/0/value");
            assertEquals(keys(poll1), keys(got), "same action layout as the recorded first poll");
            assertEquals(keys(poll1.at("/investigators/0")), keys(got.at("/investigators/0")));
            assertEquals("alice", got.at("/investigators/0/name").asText());
            assertEquals(alice, got.at("/investigators/0/id").asLong());
            assertEquals(
                    TestKeys.alice().fingerprint(),
                    got.at("/investigators/0/pgpfingerprint").asText());
            assertEquals("pending", got.get("status").asText());
            assertEquals("0009-01-11T11:11:11Z", got.get("starttime").asText());
            assertEquals("{}", got.get("counters").toString());
            assertEquals(1, count(api, "actions"));
            assertEquals(1, count(api, "signatures"));
        }
    }

    @Test
    void anActionIdAlreadyTakenByAnotherApiOnTheDatabaseIsSkipped(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            // Another API started in the same second makes the IDs this one makes: it took the
            // next two already.
            long next = mig.common.GenId.next() + 1;
            mig.database.ActionStore store = new mig.database.ActionStore(api.db.dataSource());
            for (long id = next; id < next + 2; id++) {
                store.insert(
                        ApiFixture.signedAction("other api " + id, "status='online'", TestKeys.alice())
                                .withId(id)
                                .withProgress(
                                        Action.STATUS_PENDING,
                                        java.time.Instant.now(),
                                        java.time.Instant.now(),
                                        java.time.Instant.now(),
                                        mig.common.ActionCounters.EMPTY,
                                        null),
                        List.of());
            }

            ApiFixture.Answer created =
                    create(api, ApiFixture.signedAction("mine", "status='online'", TestKeys.alice()), TestKeys.alice());
            assertEquals(202, created.status(), created.body());
            long id = GoJson.tree(created.body())
                    .at("/collection/items/0/data/0/value/id")
                    .asLong();
            assertEquals(next + 2, id);
            assertEquals(3, count(api, "actions"));
        }
    }

    @Test
    void anActionSignedByTwoInvestigatorsListsBoth(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            api.register("bob", TestKeys.bob(), Permission.DEFAULT);
            ApiFixture.Answer created = create(
                    api,
                    ApiFixture.signedAction("two", "status='online'", TestKeys.alice(), TestKeys.bob()),
                    TestKeys.bob());
            assertEquals(202, created.status(), created.body());
            long id = GoJson.tree(created.body())
                    .at("/collection/items/0/data/0/value/id")
                    .asLong();
            JsonNode got = GoJson.tree(api.get("/api/v1/action?actionid=" + id, ApiFixture.auth(TestKeys.bob()))
                    .body());
            assertEquals(
                    2, got.at("/collection/items/0/data/0/value/investigators").size());
        }
    }

    @Test
    void actionsSignedByStrangersDisabledInvestigatorsOrNotByTheSubmitterAreRefused(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            long bob = api.register("bob", TestKeys.bob(), Permission.DEFAULT);

            ApiFixture.Answer stranger =
                    create(api, ApiFixture.signedAction("x", "status='online'", TestKeys.mallory()), TestKeys.alice());
            assertEquals(403, stranger.status(), stranger.body());
            assertTrue(message(stranger).contains("belongs to no investigator"), message(stranger));

            ApiFixture.Answer notSigner =
                    create(api, ApiFixture.signedAction("x", "status='online'", TestKeys.bob()), TestKeys.alice());
            assertEquals(403, notSigner.status(), notSigner.body());
            assertTrue(
                    message(notSigner).contains("'alice'") && message(notSigner).contains("did not sign it"),
                    message(notSigner));

            api.investigators.setStatus(bob, "disabled", Instant.now()); // behind the API's back: cache is stale
            ApiFixture.Answer disabled = create(
                    api,
                    ApiFixture.signedAction("x", "status='online'", TestKeys.alice(), TestKeys.bob()),
                    TestKeys.alice());
            assertEquals(403, disabled.status(), disabled.body());
            assertTrue(
                    message(disabled).contains("'bob'") && message(disabled).contains("'disabled'"), message(disabled));

            Action tampered = ApiFixture.signedAction("x", "status='online'", TestKeys.alice());
            tampered = tampered.withTimes(
                    tampered.validFrom(), tampered.expireAfter().plusSeconds(60));
            ApiFixture.Answer bad = create(api, tampered, TestKeys.alice());
            assertEquals(400, bad.status(), bad.body());
            assertTrue(message(bad).contains("does not match the signed data"), message(bad));

            assertEquals(0, count(api, "actions"));
            assertEquals(0, count(api, "signatures"));
        }
    }

    @Test
    void expiredActionsAndTargetsOurSchedulerCannotRunAreRefused(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            Action old = ApiFixture.signedAction("old", "status='online'");
            old = old.withTimes(Instant.now().minusSeconds(7200), Instant.now().minusSeconds(3600));
            old = mig.common.ActionSignatures.sign(old, TestKeys.alice().secretKey());
            ApiFixture.Answer expired = create(api, old, TestKeys.alice());
            assertEquals(400, expired.status());
            assertEquals("invalid action: action expireafter is in the past", message(expired));

            ApiFixture.Answer injection = create(
                    api,
                    ApiFixture.signedAction("x", "status='online'; DELETE FROM agents", TestKeys.alice()),
                    TestKeys.alice());
            assertEquals(400, injection.status());
            assertTrue(message(injection).startsWith("invalid action target:"), message(injection));
            assertEquals(0, count(api, "actions"));
        }
    }

    @Test
    void theLongPollAnswersAsSoonAsACommandFinishes(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            ApiFixture.Answer created =
                    create(api, ApiFixture.signedAction("wait", "status='online'", TestKeys.alice()), TestKeys.alice());
            JsonNode value = GoJson.tree(created.body()).at("/collection/items/0/data/0/value");
            Action action = GoJson.unmarshal(value.toString(), Action.class);
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
            new CommandStore(api.db.dataSource())
                    .insertAll(List.of(new Command(
                            commandId,
                            action,
                            agents.get(agentId).orElseThrow(),
                            "sent",
                            List.of(ModuleResult.EMPTY),
                            Instant.now(),
                            null)));
            String[] auth = ApiFixture.auth(TestKeys.alice());
            await("the LISTEN connection up").atMost(Duration.ofSeconds(30)).until(api.server::isListening);

            ApiFixture.Answer quiet = api.get("/api/v1/action/wait?actionid=" + action.id() + "&timeout=1", auth);
            assertEquals(200, quiet.status(), quiet.body());
            assertEquals(
                    "{\"sent\":1,\"inflight\":1}",
                    GoJson.tree(quiet.body())
                            .at("/collection/items/0/data/0/value/counters")
                            .toString());

            // A second listener, as the API's own, tells whether the finish is notified: a re-check every 2 s
            // would answer the long poll too, but wakes no listener.
            try (ActionWaiter probe = new ActionWaiter(api.db.config());
                    ActionWaiter.Subscription news = probe.subscribe(action.id())) {
                await("the probe's LISTEN connection up")
                        .atMost(Duration.ofSeconds(30))
                        .until(probe::isListening);
                CompletableFuture<ApiFixture.Answer> waiting = CompletableFuture.supplyAsync(
                        () -> api.get("/api/v1/action/wait?actionid=" + action.id() + "&timeout=20", auth));
                // Time passing is the check here: the request, in before the command finishes, has to wait.
                assertThrows(
                        TimeoutException.class,
                        () -> waiting.get(700, TimeUnit.MILLISECONDS),
                        "an unfinished action is waited for");
                try (Connection c = api.db.connection();
                        Statement st = c.createStatement()) {
                    st.executeUpdate("UPDATE commands SET status = 'success' WHERE id = " + commandId);
                }
                assertTrue(news.await(Duration.ofSeconds(15)), "the finished command is notified, not found later");
                ApiFixture.Answer woken = waiting.get(15, TimeUnit.SECONDS);
                assertEquals(200, woken.status(), woken.body());
                assertEquals(
                        "{\"sent\":1,\"done\":1,\"success\":1}",
                        GoJson.tree(woken.body())
                                .at("/collection/items/0/data/0/value/counters")
                                .toString());
            }

            // Finished: answered without waiting for the default 30 s timeout.
            CompletableFuture<ApiFixture.Answer> finished =
                    CompletableFuture.supplyAsync(() -> api.get("/api/v1/action/wait?actionid=" + action.id(), auth));
            assertEquals(200, finished.get(15, TimeUnit.SECONDS).status(), "a finished action answers at once");
        }
    }

    static ApiFixture.Answer create(ApiFixture api, Action a, mig.common.pgp.KeyGen.Generated submitter) {
        return api.postForm("/api/v1/action/create/", Map.of("action", GoJson.marshal(a)), ApiFixture.auth(submitter));
    }

    static String message(ApiFixture.Answer a) {
        return GoJson.tree(a.body()).at("/collection/error/message").asText();
    }

    static long count(ApiFixture api, String table) {
        try (Connection c = api.db.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every object's keys in order, depth-first (the layout of a document, not its values). */
    static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        walk(node, "", out);
        return out;
    }

    private static void walk(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String p = path + "/" + e.getKey();
                if (p.contains("/parameters") || p.contains("/pgpsignatures")) {
                    out.add(p);
                    continue; // what an action carries differs; the layout around it must not
                }
                out.add(p);
                walk(e.getValue(), p, out);
            }
        } else if (node.isArray() && node.size() > 0) {
            walk(node.get(0), path + "[]", out);
        }
    }
}
