package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A corpus of bad requests: each gets a 4xx with a message saying what was wrong, in the original's
 * error shape (Collection+JSON {@code error} with a numeric {@code code}), and none a 5xx.
 */
@ExtendWith(MigServices.class)
class BadRequestsIT {

    /** One bad request, what status it must get, and a piece of the message. */
    record Case(String what, int status, String messagePart, Function<ApiFixture, ApiFixture.Answer> send) {}

    static final String CREATE = "/api/v1/action/create/";
    static final String UPDATE = "/api/v1/investigator/update/";
    static final String NEW_INVESTIGATOR = "/api/v1/investigator/create/";

    static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        // action creation
        c.add(form("action is not JSON", CREATE, "action=%7Bnot+json", 400, "the action is not valid JSON"));
        c.add(form("action is a JSON array", CREATE, "action=%5B%5D", 400, "the action is not valid JSON"));
        c.add(form("action is JSON null", CREATE, "action=null", 400, "expected an object, got null"));
        c.add(form(
                "action has a wrong type",
                CREATE,
                "action=" + enc("{\"name\":\"x\",\"validfrom\":42}"),
                400,
                "the action is not valid JSON"));
        c.add(form(
                "action has trailing garbage",
                CREATE,
                "action=" + enc("{\"name\":\"x\"} {}"),
                400,
                "the action is not valid JSON"));
        c.add(form(
                "action without signature",
                CREATE,
                "action="
                        + enc("{\"name\":\"x\",\"target\":\"status='online'\","
                                + "\"validfrom\":\"2020-01-01T00:00:00Z\",\"expireafter\":\"2099-01-01T00:00:00Z\",\"operations\":[],"
                                + "\"syntaxversion\":2}"),
                400,
                "action pgpsignatures is empty"));
        c.add(form("missing action field", CREATE, "", 400, "missing form field 'action'"));
        c.add(form("unknown form field", CREATE, "action=%7B%7D&extra=1", 400, "unknown form field 'extra'"));
        c.add(form("bad URL escape", CREATE, "action=%zz", 400, "invalid URL escape"));
        c.add(form("invalid UTF-8", CREATE, "action=%ff%fe", 400, "not valid UTF-8"));
        c.add(form("field given twice", CREATE, "action=1&action=2", 400, "appears more than once"));
        c.add(new Case(
                "not a form",
                400,
                "expected a form",
                api -> api.postRaw(CREATE, "text/plain", "action={}".getBytes(StandardCharsets.UTF_8))));
        c.add(new Case(
                "no content type",
                400,
                "no Content-Type",
                api -> api.postRaw(CREATE, null, "action={}".getBytes(StandardCharsets.UTF_8))));
        c.add(new Case(
                "body over 10 MB",
                413,
                "request body too large",
                api -> api.postRaw(CREATE, "application/x-www-form-urlencoded", new byte[(10 << 20) + 1])));
        c.add(new Case(
                "query string on a POST",
                400,
                "unknown query parameter 'actionid'",
                api -> api.postForm(CREATE + "?actionid=1", Map.of("action", "{}"))));
        // ids
        c.add(get("action id not a number", "/api/v1/action?actionid=abc", 400, "'abc' is not a number"));
        c.add(get("action id negative", "/api/v1/action?actionid=-1", 400, "Invalid Action ID '-1'"));
        c.add(get("action id zero", "/api/v1/action?actionid=0", 400, "Invalid Action ID '0'"));
        c.add(get("action id NaN", "/api/v1/action?actionid=NaN", 400, "is not a number"));
        c.add(get("action id overflowing", "/api/v1/action?actionid=1e999", 400, "Invalid Action ID"));
        c.add(get("action id missing", "/api/v1/action", 400, "missing parameter 'actionid'"));
        c.add(get(
                "unknown parameter",
                "/api/v1/action?actionid=1&verbose=1",
                400,
                "unknown query parameter 'verbose'; this endpoint takes actionid"));
        c.add(get("action id fractional", "/api/v1/action?actionid=1.5", 404, "Action ID '2' not found"));
        c.add(get("command id zero", "/api/v1/command?commandid=0", 400, "Invalid Command ID '0'"));
        c.add(get("agent id empty", "/api/v1/agent?agentid=", 400, "is not a number"));
        c.add(get("investigator id words", "/api/v1/investigator?investigatorid=me", 400, "is not a number"));
        c.add(get("unknown command", "/api/v1/command?commandid=12", 404, "Command ID '12' not found"));
        c.add(get("unknown agent", "/api/v1/agent?agentid=12", 404, "Agent ID '12' not found"));
        c.add(get("wait too long", "/api/v1/action/wait?actionid=1&timeout=99", 400, "timeout must be"));
        c.add(get("duplicate query parameter", "/api/v1/action?actionid=1&actionid=2", 400, "appears more than once"));
        c.add(new Case("bad query escape", 400, "invalid URL escape", api -> api.rawGet("/api/v1/action?actionid=%4")));
        // search
        c.add(get("search type", "/api/v1/search?type=everything", 400, "search type is invalid"));
        c.add(get("search limit", "/api/v1/search?limit=lots", 400, "invalid limit parameter"));
        c.add(get("search negative offset", "/api/v1/search?offset=-5", 400, "invalid offset parameter"));
        c.add(get("search date", "/api/v1/search?after=yesterday", 400, "after date not in RFC3339 format"));
        c.add(get(
                "search boolean",
                "/api/v1/search?type=command&foundanything=maybe",
                400,
                "foundanything parameter must be true or false"));
        c.add(get("search id", "/api/v1/search?actionid=x1", 400, "actionid must be a number"));
        c.add(get("search unknown", "/api/v1/search?color=red", 400, "unknown query parameter 'color'"));
        c.add(get(
                "search target elsewhere",
                "/api/v1/search?type=action&target=id%3D1",
                400,
                "only applies to type=agent"));
        c.add(get(
                "search target syntax", "/api/v1/search?type=agent&target=" + enc("name = "), 400, "invalid target:"));
        c.add(get(
                "search target subquery",
                "/api/v1/search?type=agent&target=" + enc("id IN (SELECT id FROM investigators)"),
                400,
                "invalid target:"));
        // investigators
        c.add(form(
                "investigator without name",
                NEW_INVESTIGATOR,
                "permissions=%7B%7D",
                400,
                "Investigator name must not be empty"));
        c.add(form(
                "investigator without permissions",
                NEW_INVESTIGATOR,
                "name=x",
                400,
                "missing form field 'permissions'"));
        c.add(form(
                "permissions not JSON",
                NEW_INVESTIGATOR,
                "name=x&permissions=all",
                400,
                "permissions is not valid JSON"));
        c.add(form(
                "unknown permission",
                NEW_INVESTIGATOR,
                "name=x&permissions=" + enc("{\"root\":true}"),
                400,
                "unknown permission 'root'"));
        c.add(form(
                "permission not boolean",
                NEW_INVESTIGATOR,
                "name=x&permissions=" + enc("{\"search\":1}"),
                400,
                "must be true or false"));
        c.add(form(
                "public key not a key",
                NEW_INVESTIGATOR,
                "name=x&permissions=%7B%7D&publickey=hello",
                400,
                "invalid public key"));
        c.add(new Case(
                "malformed multipart",
                400,
                "malformed multipart",
                api -> api.postRaw(
                        NEW_INVESTIGATOR,
                        "multipart/form-data; boundary=xyz",
                        "--xyz\r\nno headers here".getBytes(StandardCharsets.UTF_8))));
        c.add(new Case(
                "key file over 1 MB",
                413,
                "too large",
                api -> api.postMultipart(
                        NEW_INVESTIGATOR,
                        Map.of("name", "x", "permissions", "{}"),
                        Map.of("publickey", new byte[(1 << 20) + 10]))));
        c.add(form("update without id", UPDATE, "status=active", 400, "Investigator ID must not be empty"));
        c.add(form("update id not a number", UPDATE, "id=me&status=active", 400, "is not a number"));
        c.add(form("update nothing", UPDATE, "id=1", 400, "No updates to the investigator were specified"));
        c.add(form("update bad status", UPDATE, "id=1&status=sleeping", 400, "Invalid investigator status"));
        c.add(form("update bad apikey", UPDATE, "id=1&apikey=maybe", 400, "Invalid value for apikey parameter"));
        c.add(form(
                "update unknown investigator", UPDATE, "id=999&status=active", 404, "Investigator ID '999' not found"));
        // loaders and manifests
        c.add(get("unknown loader", "/api/v1/loader?loaderid=1", 404, "Loader ID '1' not found"));
        c.add(get("unknown manifest", "/api/v1/manifest?manifestid=7", 404, "Manifest ID '7' not found"));
        c.add(form("loader bad status", "/api/v1/loader/status/", "loaderid=1&status=maybe", 400, "Invalid status"));
        c.add(form(
                "manifest bad status",
                "/api/v1/manifest/status/",
                "manifestid=1&status=active",
                404,
                "Manifest ID '1' not found"));
        c.add(form(
                "manifest without record",
                "/api/v1/manifest/new/",
                "manifest=",
                400,
                "no manifest record specified in form"));
        c.add(form(
                "manifest bad target",
                "/api/v1/manifest/new/",
                "manifest="
                        + java.net.URLEncoder.encode(
                                "{\"name\":\"m\",\"target\":\"1=1; DROP TABLE loaders\","
                                        + "\"status\":\"staged\",\"content\":\"x\"}",
                                java.nio.charset.StandardCharsets.UTF_8),
                400,
                "invalid target"));
        c.add(new Case(
                "loader key wrong",
                401,
                "Loader authorization failed",
                api -> api.postForm(
                        "/api/v1/manifest/agent/",
                        Map.of("parameters", "{}"),
                        "X-LOADERKEY",
                        "abcdefgh" + "0123456789abcdef0123456789abcdef")));
        c.add(new Case(
                "loader key missing",
                401,
                "X-LOADERKEY header not found",
                api -> api.postForm("/api/v1/manifest/agent/", Map.of("parameters", "{}"))));
        return c;
    }

    @Test
    void everyBadRequestGetsAClearClientErrorAndNeverA5xx(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            List<String> wrong = new ArrayList<>();
            for (Case c : corpus()) {
                ApiFixture.Answer a;
                try {
                    a = c.send().apply(api);
                } catch (java.io.UncheckedIOException closed) {
                    // A body over the limit may be refused by closing the connection before the 413
                    // reaches a client that is still sending; it is refused all the same (no 5xx, no row).
                    if (c.status() == 413) {
                        continue;
                    }
                    throw closed;
                }
                JsonNode error = GoJson.tree(a.body()).at("/collection/error");
                String message = error.path("message").asText();
                boolean ok = a.status() == c.status()
                        && message.contains(c.messagePart())
                        && error.path("code").asText().matches("\\d+");
                if (!ok) {
                    wrong.add(c.what() + ": got " + a.status() + " " + a.body());
                }
            }
            assertEquals(List.of(), wrong);
        }
    }

    @Test
    void badAuthenticationHeadersAre401s(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, true)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            for (String token : new String[] {
                "",
                ";;;",
                "2;2020-01-01T00:00:00Z;1;AAAA",
                "1;yesterday;1;AAAA",
                "1;2020-01-01T00:00:00Z;1",
                "1;" + java.time.Instant.now().toString().substring(0, 19) + "Z;1;%%%"
            }) {
                ApiFixture.Answer a = api.get("/api/v1/dashboard", "X-PGPAUTHORIZATION", token);
                assertEquals(401, a.status(), token + ": " + a.body());
                assertFalse(ActionIT.message(a).isEmpty());
            }
            ApiFixture.Answer key = api.get("/api/v1/dashboard", "X-MIGAPIKEY", "x".repeat(5000));
            assertEquals(401, key.status());
            assertTrue(ActionIT.message(key).contains("API key authentication failed"));
        }
    }

    private static Case form(String what, String path, String body, int status, String part) {
        return new Case(
                what,
                status,
                part,
                api -> api.postRaw(path, "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Case get(String what, String pathAndQuery, int status, String part) {
        return new Case(what, status, part, api -> api.get(pathAndQuery));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
