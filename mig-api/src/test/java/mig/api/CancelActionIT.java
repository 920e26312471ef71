package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import mig.api.auth.ApiKeys;
import mig.common.Action;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /action/cancel/} on real PostgreSQL: who may cancel, and what it does to commands. */
@ExtendWith(MigServices.class)
class CancelActionIT {

    @Test
    void aSignerCancelsThePendingCommandsAndTheAnsweredOnesStay(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            long alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            api.register("bob", TestKeys.bob(), EnumSet.allOf(Permission.class));
            long id = launch(api);
            // the scheduler's work, done by hand: the action in flight, one agent answered, two not
            sql(api, "UPDATE actions SET status = 'inflight' WHERE id = " + id);
            for (int k = 1; k <= 3; k++) {
                sql(
                        api,
                        "INSERT INTO agents (id, name, queueloc, mode, version, pid, starttime, heartbeattime, "
                                + "refreshtime, status) VALUES (" + k + ", 'host" + k + "', 'q" + k
                                + "', 'daemon', 'v', 1, now(), now(), now(), 'online')");
                sql(
                        api,
                        "INSERT INTO commands (id, actionid, agentid, status, results, starttime, finishtime) "
                                + "VALUES (" + (100 + k) + ", " + id + ", " + k + ", '" + (k == 1 ? "success" : "sent")
                                + "', '[]', now(), now())");
            }

            // bob did not sign it; an API key is not a signature
            assertEquals(403, cancel(api, id, ApiFixture.auth(TestKeys.bob())).status());
            ApiKeys.Issued key = ApiKeys.issue();
            api.investigators.setApiKey(alice, key.hash(), key.salt(), Instant.now());
            ApiFixture.Answer byKey = cancel(api, id, new String[] {"X-MIGAPIKEY", key.key()});
            assertEquals(403, byKey.status(), byKey.body());
            assertEquals("sent", text(api, "SELECT status FROM commands WHERE id = 102"));

            ApiFixture.Answer ok = cancel(api, id, ApiFixture.auth(TestKeys.alice()));
            assertEquals(200, ok.status(), ok.body());
            JsonNode c = GoJson.tree(ok.body())
                    .get("collection")
                    .get("items")
                    .get(0)
                    .get("data")
                    .get(0);
            assertEquals("cancellation", c.get("name").asText());
            assertEquals(2, c.get("value").get("cancelled").asInt());
            assertEquals("completed", c.get("value").get("status").asText());
            assertEquals("success", text(api, "SELECT status FROM commands WHERE id = 101"));
            assertEquals("cancelled", text(api, "SELECT status FROM commands WHERE id = 102"));
            assertEquals("cancelled", text(api, "SELECT status FROM commands WHERE id = 103"));
            assertEquals("completed", text(api, "SELECT status FROM actions WHERE id = " + id));

            assertEquals(409, cancel(api, id, ApiFixture.auth(TestKeys.alice())).status(), "nothing left");
            assertEquals(
                    404, cancel(api, 424242, ApiFixture.auth(TestKeys.alice())).status());
        }
    }

    @Test
    void anActionNotDispatchedYetIsCompletedWithoutCommands(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            long id = launch(api);
            assertEquals("pending", text(api, "SELECT status FROM actions WHERE id = " + id));
            ApiFixture.Answer ok = cancel(api, id, ApiFixture.auth(TestKeys.alice()));
            assertEquals(200, ok.status(), ok.body());
            assertEquals("completed", text(api, "SELECT status FROM actions WHERE id = " + id));
            assertEquals("0", text(api, "SELECT count(*) FROM commands WHERE actionid = " + id));
        }
    }

    static long launch(ApiFixture api) {
        Action a = ApiFixture.signedAction("to cancel", "status='online'", TestKeys.alice());
        ApiFixture.Answer made = api.postForm(
                "/api/v1/action/create/", Map.of("action", GoJson.marshal(a)), ApiFixture.auth(TestKeys.alice()));
        assertEquals(202, made.status(), made.body());
        return GoJson.tree(made.body())
                .get("collection")
                .get("items")
                .get(0)
                .get("data")
                .get(0)
                .get("value")
                .get("id")
                .asLong();
    }

    static ApiFixture.Answer cancel(ApiFixture api, long id, String[] auth) {
        return api.postForm("/api/v1/action/cancel/", Map.of("actionid", Long.toString(id)), auth);
    }

    static void sql(ApiFixture api, String statement) throws Exception {
        try (Connection c = api.db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static String text(ApiFixture api, String query) throws Exception {
        try (Connection c = api.db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
