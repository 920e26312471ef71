package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Registering and managing investigators: bootstrap, keys, status, permissions, API keys. */
@ExtendWith(MigServices.class)
class InvestigatorIT {

    static final String ALL_PERMISSIONS = "{\"search\":true,\"action\":true,\"action_create\":true,\"command\":true,"
            + "\"agent\":true,\"dashboard\":true,\"loader\":true,\"loader_status\":true,\"loader_expect\":true,"
            + "\"loader_key\":true,\"loader_new\":true,\"manifest\":true,\"manifest_sign\":true,"
            + "\"manifest_status\":true,\"manifest_new\":true,\"manifest_loaders\":true,\"investigator\":true,"
            + "\"investigator_create\":true,\"investigator_update\":true}";

    @Test
    void theFirstInvestigatorIsRegisteredWithAuthenticationOffThenSignsIn(TestDatabase tdb) {
        long id;
        try (ApiFixture open = ApiFixture.start(tdb, false)) {
            ApiFixture.Answer created = open.postMultipart(
                    "/api/v1/investigator/create/",
                    Map.of("name", "alice", "permissions", ALL_PERMISSIONS),
                    Map.of("publickey", TestKeys.alice().armoredPublicKey().getBytes(StandardCharsets.UTF_8)));
            assertEquals(201, created.status(), created.body());
            JsonNode item = GoJson.tree(created.body()).at("/collection/items/0");
            id = item.at("/data/0/value/id").asLong();
            assertEquals("Investigator ID " + id, item.at("/data/0/name").asText());
            assertEquals(
                    TestKeys.alice().fingerprint(),
                    item.at("/data/0/value/pgpfingerprint").asText());
            assertEquals("active", item.at("/data/0/value/status").asText());
        }
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            ApiFixture.Answer got =
                    api.get("/api/v1/investigator?investigatorid=" + id, ApiFixture.auth(TestKeys.alice()));
            assertEquals(200, got.status(), got.body());
            JsonNode item = GoJson.tree(got.body()).at("/collection/items/0");
            assertEquals("alice", item.at("/data/0/value/name").asText());
            assertTrue(item.at("/data/0/value/permissions/investigator_update").asBoolean());
            assertEquals("investigator history", item.at("/links/0/rel").asText());
            assertEquals(
                    ApiFixture.HOST + "/api/v1/search?type=action&investigatorid=" + id + "&limit=100",
                    item.at("/links/0/href").asText());

            ApiFixture.Answer key =
                    api.get("/api/v1/publickey/" + TestKeys.alice().fingerprint());
            assertEquals(200, key.status());
            assertTrue(key.body().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"), key.body());
            ApiFixture.Answer none = api.get("/api/v1/publickey/0000000000000000000000000000000000000000");
            assertEquals(404, none.status());
            assertEquals(
                    "Invalid Fingerprint : No PublicKey found for fingerprint "
                            + "'0000000000000000000000000000000000000000'",
                    none.body());

            ApiFixture.Answer again = api.postMultipart(
                    "/api/v1/investigator/create/",
                    Map.of("name", "alice again", "permissions", "{}"),
                    Map.of("publickey", TestKeys.alice().armoredPublicKey().getBytes(StandardCharsets.UTF_8)),
                    ApiFixture.auth(TestKeys.alice()));
            assertEquals(409, again.status(), again.body());
        }
    }

    @Test
    void aNameWithANulCharacterIsRefusedNotAServerError(TestDatabase tdb) {
        // found by ApiRoutesFuzzIT: PostgreSQL refused the insert and the API answered 500
        try (ApiFixture open = ApiFixture.start(tdb, false)) {
            ApiFixture.Answer created = open.postMultipart(
                    "/api/v1/investigator/create/",
                    Map.of("name", "eve\u0000", "permissions", ALL_PERMISSIONS),
                    Map.of("publickey", TestKeys.alice().armoredPublicKey().getBytes(StandardCharsets.UTF_8)));
            assertEquals(400, created.status(), created.body());
            assertTrue(created.body().contains("holds a NUL character"), created.body());
        }
    }

    @Test
    void disablingAnInvestigatorLocksTheirTokenOutAtOnce(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            long bob = api.register("bob", TestKeys.bob(), Permission.DEFAULT);
            String bobToken = ApiFixture.token(TestKeys.bob());
            assertEquals(
                    200,
                    api.get("/api/v1/dashboard", "X-PGPAUTHORIZATION", bobToken).status());

            ApiFixture.Answer disabled = api.postForm(
                    "/api/v1/investigator/update/",
                    Map.of("id", Long.toString(bob), "status", "disabled"),
                    ApiFixture.auth(TestKeys.alice()));
            assertEquals(200, disabled.status(), disabled.body());
            assertEquals(
                    "disabled",
                    GoJson.tree(disabled.body())
                            .at("/collection/items/0/data/0/value/status")
                            .asText());
            assertEquals(
                    401,
                    api.get("/api/v1/dashboard", "X-PGPAUTHORIZATION", bobToken).status());

            assertEquals(
                    200,
                    api.postForm(
                                    "/api/v1/investigator/update/",
                                    Map.of("id", Long.toString(bob), "status", "active"),
                                    ApiFixture.auth(TestKeys.alice()))
                            .status());
            assertEquals(
                    200,
                    api.get("/api/v1/dashboard", "X-PGPAUTHORIZATION", bobToken).status());
        }
    }

    @Test
    void anApiKeyIsShownOnceWorksAndCanBeWithdrawn(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            long alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            ApiFixture.Answer issued = api.postForm(
                    "/api/v1/investigator/update/",
                    Map.of("id", Long.toString(alice), "apikey", "active"),
                    ApiFixture.auth(TestKeys.alice()));
            assertEquals(200, issued.status(), issued.body());
            String key = GoJson.tree(issued.body())
                    .at("/collection/items/0/data/0/value/apikey")
                    .asText();
            assertTrue(key.matches("[A-Za-z0-9]{32}"), key);

            assertEquals(200, api.get("/api/v1/dashboard", "X-MIGAPIKEY", key).status());
            assertEquals(200, api.get("/api/v1/dashboard", "X-MIGAPIKEY", key).status(), "again, from the cache");
            ApiFixture.Answer shown = api.get("/api/v1/investigator?investigatorid=" + alice, "X-MIGAPIKEY", key);
            assertEquals(
                    "set",
                    GoJson.tree(shown.body())
                            .at("/collection/items/0/data/0/value/apikey")
                            .asText());
            ApiFixture.Answer wrong = api.get("/api/v1/dashboard", "X-MIGAPIKEY", key.substring(1) + "x");
            assertEquals(401, wrong.status());
            assertEquals(
                    "Authorization verification failed with error 'API key authentication failed'",
                    ActionIT.message(wrong));

            api.register("bob", TestKeys.bob(), Permission.DEFAULT);
            ApiFixture.Answer othersAction = api.postForm(
                    "/api/v1/action/create/",
                    Map.of(
                            "action",
                            GoJson.marshal(ApiFixture.signedAction("bob's", "status='online'", TestKeys.bob()))),
                    "X-MIGAPIKEY",
                    key);
            assertEquals(403, othersAction.status(), "an API key may only submit actions its investigator signed");
            ApiFixture.Answer ownAction = api.postForm(
                    "/api/v1/action/create/",
                    Map.of(
                            "action",
                            GoJson.marshal(ApiFixture.signedAction("alice's", "status='online'", TestKeys.alice()))),
                    "X-MIGAPIKEY",
                    key);
            assertEquals(202, ownAction.status(), ownAction.body());

            assertEquals(
                    200,
                    api.postForm(
                                    "/api/v1/investigator/update/",
                                    Map.of("id", Long.toString(alice), "apikey", "disabled"),
                                    "X-MIGAPIKEY",
                                    key)
                            .status());
            assertEquals(401, api.get("/api/v1/dashboard", "X-MIGAPIKEY", key).status());
        }
    }

    @Test
    void theLastAdministratorCannotBeDemotedOrDisabled(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            long alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            String[] auth = ApiFixture.auth(TestKeys.alice());
            ApiFixture.Answer demote = api.postForm(
                    "/api/v1/investigator/update/",
                    Map.of("id", Long.toString(alice), "permissions", "{\"search\":true}"),
                    auth);
            assertEquals(409, demote.status(), demote.body());
            assertTrue(ActionIT.message(demote).contains("will not remove last admin"), demote.body());
            assertEquals(
                    409,
                    api.postForm(
                                    "/api/v1/investigator/update/",
                                    Map.of("id", Long.toString(alice), "status", "disabled"),
                                    auth)
                            .status());

            api.register("bob", TestKeys.bob(), EnumSet.allOf(Permission.class));
            ApiFixture.Answer now = api.postForm(
                    "/api/v1/investigator/update/",
                    Map.of("id", Long.toString(alice), "permissions", "{\"search\":true,\"dashboard\":true}"),
                    auth);
            assertEquals(200, now.status(), now.body());
            assertEquals(
                    401,
                    api.get("/api/v1/investigator?investigatorid=" + alice, auth)
                            .status(),
                    "alice lost the investigator permission");
        }
    }
}
