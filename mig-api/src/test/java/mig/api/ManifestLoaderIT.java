package mig.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.manifest.ManifestContent;
import mig.common.manifest.ManifestEntry;
import mig.common.manifest.ManifestException;
import mig.common.manifest.ManifestResponse;
import mig.common.manifest.ManifestSignatures;
import mig.common.pgp.Keyring;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The loader and manifest routes on real PostgreSQL, as an administrator, two signing
 * investigators and a loader use them: a 2-of-n manifest goes from staged to active, a loader
 * authenticated by its key receives it and its files, and what should be refused is.
 */
@ExtendWith(MigServices.class)
class ManifestLoaderIT {
    static final byte[] AGENT = "the new agent, version 2\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] CONFIG = "[agent]\nrelay = amqp://x\n".getBytes(StandardCharsets.UTF_8);
    static final String LINUX_AGENT =
            "{\"name\":\"host1\",\"queueloc\":\"linux.host1.q\",\"environment\":{\"os\":\"linux\"},\"tags\":{}}";

    static ApiFixture twoOfN(TestDatabase tdb) {
        return ApiFixture.start(
                tdb,
                true,
                Clock.systemUTC(),
                c -> new ApiConfig(
                        c.ip(),
                        c.port(),
                        c.host(),
                        c.baseRoute(),
                        c.clientPublicIp(),
                        c.authEnabled(),
                        c.tokenDuration(),
                        2,
                        c.postgres(),
                        c.logging(),
                        c.maxActionValidity(),
                        c.heartbeats()));
    }

    @Test
    void aTwoOfNManifestReachesItsLoaderWithItsFilesAndTheRefusalsHold(TestDatabase tdb) throws Exception {
        try (ApiFixture api = twoOfN(tdb)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            api.register("bob", TestKeys.bob(), EnumSet.allOf(Permission.class));
            String[] alice = ApiFixture.auth(TestKeys.alice());
            String[] bob = ApiFixture.auth(TestKeys.bob());

            // a loader: created disabled, its key shown once
            ApiFixture.Answer made =
                    api.postForm("/api/v1/loader/new/", Map.of("loader", "{\"name\":\"ldr1\"}"), alice);
            assertEquals(201, made.status(), made.body());
            JsonNode entry = item(made, "loader");
            String key = entry.get("prefix").asText() + entry.get("key").asText();
            assertTrue(key.matches("[A-Za-z0-9]{40}"), key);
            long loaderId = entry.get("id").asLong();
            assertEquals(false, entry.get("enabled").asBoolean());
            assertEquals(401, manifestFor(api, key, LINUX_AGENT).status(), "a disabled loader is refused");
            assertEquals(
                    409,
                    api.postForm("/api/v1/loader/new/", Map.of("loader", "{\"name\":\"ldr1\"}"), alice)
                            .status(),
                    "names are unique");
            assertEquals(
                    200,
                    api.postForm(
                                    "/api/v1/loader/status/",
                                    Map.of("loaderid", "" + loaderId, "status", "enabled"),
                                    alice)
                            .status());
            assertEquals(404, manifestFor(api, key, LINUX_AGENT).status(), "no active manifest yet");

            // a manifest for Linux loaders
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("mig-agent", AGENT);
            files.put("configuration", CONFIG);
            String content = ManifestContent.of(files);
            String record = "{\"name\":\"agent v2\",\"target\":\"env#>>'{os}'='linux'\",\"status\":\"staged\","
                    + "\"content\":\"" + content + "\"}";
            ApiFixture.Answer created = api.postForm("/api/v1/manifest/new/", Map.of("manifest", record), alice);
            assertEquals(201, created.status(), created.body());
            long mid = lastManifest(api);
            JsonNode m = item(api.get("/api/v1/manifest?manifestid=" + mid, alice), "manifest");
            assertEquals("staged", m.get("status").asText());
            assertEquals(content, m.get("content").asText());
            List<ManifestEntry> entries = ManifestContent.entries(content);

            // signatures: each must be the caller's own, valid over the file list
            String aliceSig = ManifestSignatures.sign(entries, TestKeys.alice().secretKey());
            String bobSig = ManifestSignatures.sign(entries, TestKeys.bob().secretKey());
            String mallorySig =
                    ManifestSignatures.sign(entries, TestKeys.mallory().secretKey());
            assertEquals(403, sign(api, mid, aliceSig, bob).status(), "bob posting alice's signature");
            assertEquals(400, sign(api, mid, mallorySig, bob).status(), "a key of no investigator");
            assertEquals(400, sign(api, mid, "not a signature", bob).status());
            String otherFiles = ManifestSignatures.sign(
                    List.of(new ManifestEntry("mig-agent", "00".repeat(32))),
                    TestKeys.bob().secretKey());
            assertEquals(400, sign(api, mid, otherFiles, bob).status(), "a signature over other files");
            assertEquals(200, sign(api, mid, aliceSig, alice).status());
            assertEquals(409, sign(api, mid, aliceSig, alice).status(), "one signature per investigator");
            assertEquals("staged", status(api, mid, alice), "1 of 2 signatures");
            assertEquals(404, manifestFor(api, key, LINUX_AGENT).status(), "a staged manifest is not served");
            assertEquals(200, sign(api, mid, bobSig, bob).status());
            assertEquals("active", status(api, mid, alice));

            // the loader receives it, with both signatures, and they verify 2 of n
            ApiFixture.Answer got = manifestFor(api, key, LINUX_AGENT);
            assertEquals(200, got.status(), got.body());
            ManifestResponse served = GoJson.unmarshal(GoJson.marshal(item(got, "manifest")), ManifestResponse.class);
            assertEquals("ldr1", served.loaderName());
            assertEquals(entries, served.entries());
            Keyring trusted = Keyring.of(List.of(
                    TestKeys.alice().secretKey().publicKey(),
                    TestKeys.bob().secretKey().publicKey()));
            ManifestSignatures.require(served, trusted, 2);
            assertThrows(ManifestException.class, () -> ManifestSignatures.require(served, trusted, 3));

            // its files, gzip-compressed
            assertArrayEquals(AGENT, fetch(api, key, LINUX_AGENT, "mig-agent"));
            assertArrayEquals(CONFIG, fetch(api, key, LINUX_AGENT, "configuration"));
            assertEquals(404, fetchAnswer(api, key, LINUX_AGENT, "mig-loader").status());

            // the loader entry now knows its agent; the manifest lists it
            JsonNode ldr = item(api.get("/api/v1/loader?loaderid=" + loaderId, alice), "loader");
            assertEquals("host1", ldr.get("agentname").asText());
            ApiFixture.Answer listed = api.get("/api/v1/manifest/loaders/?manifestid=" + mid, alice);
            assertEquals(200, listed.status(), listed.body());
            assertTrue(listed.body().contains("\"name\":\"ldr1\""), listed.body());

            // a Darwin agent is not targeted
            String darwin = LINUX_AGENT.replace("linux", "darwin");
            assertEquals(404, manifestFor(api, key, darwin).status());

            // an expected environment pins the loader to what it should report
            assertEquals(
                    200,
                    api.postForm(
                                    "/api/v1/loader/expect/",
                                    Map.of("loaderid", "" + loaderId, "expectenv", "tags#>>'{operator}'='myorg'"),
                                    alice)
                            .status());
            assertEquals(403, manifestFor(api, key, LINUX_AGENT).status(), "tag missing");
            assertEquals(
                    200,
                    manifestFor(api, key, LINUX_AGENT.replace("\"tags\":{}", "\"tags\":{\"operator\":\"myorg\"}"))
                            .status());

            // a new key replaces the old one
            ApiFixture.Answer rekeyed = api.postForm("/api/v1/loader/key/", Map.of("loaderid", "" + loaderId), alice);
            assertEquals(200, rekeyed.status(), rekeyed.body());
            JsonNode re = item(rekeyed, "loader");
            String newKey = re.get("prefix").asText() + re.get("key").asText();
            assertNotEquals(key, newKey);
            String tagged = LINUX_AGENT.replace("\"tags\":{}", "\"tags\":{\"operator\":\"myorg\"}");
            assertEquals(401, manifestFor(api, key, tagged).status(), "the old key");
            assertEquals(200, manifestFor(api, newKey, tagged).status(), "the new key");

            // reset drops the signatures; disabled cannot be signed again
            assertEquals(
                    200,
                    api.postForm("/api/v1/manifest/status/", Map.of("manifestid", "" + mid, "status", "staged"), alice)
                            .status());
            assertEquals("staged", status(api, mid, alice));
            assertEquals(404, manifestFor(api, newKey, tagged).status());
            assertEquals(
                    200,
                    api.postForm(
                                    "/api/v1/manifest/status/",
                                    Map.of("manifestid", "" + mid, "status", "disabled"),
                                    alice)
                            .status());
            assertEquals(400, sign(api, mid, aliceSig, alice).status());
            assertEquals("disabled", status(api, mid, alice));
        }
    }

    /** The attack: targets and expected environments were SQL pasted into queries in the original. */
    @Test
    void sqlInTargetsAndExpectedEnvironmentsIsRefused(TestDatabase tdb) throws Exception {
        try (ApiFixture api = twoOfN(tdb)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            String[] alice = ApiFixture.auth(TestKeys.alice());
            String content = ManifestContent.of(Map.of("mig-agent", AGENT));
            for (String target : List.of(
                    "true; DELETE FROM investigators",
                    "id IN (SELECT id FROM investigators)",
                    "1=1) OR (SELECT TRUE FROM pg_sleep(5)")) {
                String record = GoJson.marshal(
                        Map.of("name", "evil", "target", target, "status", "staged", "content", content));
                ApiFixture.Answer a = api.postForm("/api/v1/manifest/new/", Map.of("manifest", record), alice);
                assertEquals(400, a.status(), target + ": " + a.body());
                assertTrue(a.body().contains("invalid target"), a.body());
                ApiFixture.Answer l = api.postForm(
                        "/api/v1/loader/new/",
                        Map.of("loader", GoJson.marshal(Map.of("name", "l", "expectenv", target))),
                        alice);
                assertEquals(400, l.status(), l.body());
            }
            assertEquals(0, count(api, "manifests") + count(api, "loaders"));
            assertEquals(1, count(api, "investigators"), "nothing deleted");
            // content that is no tar archive, and an empty archive
            String bad =
                    GoJson.marshal(Map.of("name", "x", "target", "name='a'", "status", "staged", "content", "AAAA"));
            assertEquals(
                    400,
                    api.postForm("/api/v1/manifest/new/", Map.of("manifest", bad), alice)
                            .status());
            String empty = GoJson.marshal(Map.of(
                    "name", "x", "target", "name='a'", "status", "staged", "content", ManifestContent.of(Map.of())));
            assertEquals(
                    400,
                    api.postForm("/api/v1/manifest/new/", Map.of("manifest", empty), alice)
                            .status());
        }
    }

    @Test
    void aManifestOfNineMegabytesIsAcceptedAsTheOriginalsTwentyMegabyteLimitAllows(TestDatabase tdb) throws Exception {
        try (ApiFixture api = twoOfN(tdb)) {
            api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
            byte[] agent = new byte[9 << 20];
            new java.util.Random(19).nextBytes(agent); // incompressible: the form body is about 13 MB
            String record = GoJson.marshal(Map.of(
                    "name",
                    "big",
                    "target",
                    "name='x'",
                    "status",
                    "staged",
                    "content",
                    ManifestContent.of(Map.of("mig-agent", agent))));
            ApiFixture.Answer a = api.postForm(
                    "/api/v1/manifest/new/", Map.of("manifest", record), ApiFixture.auth(TestKeys.alice()));
            assertEquals(201, a.status(), a.body());
        }
    }

    static JsonNode item(ApiFixture.Answer a, String name) {
        JsonNode data = GoJson.tree(a.body())
                .get("collection")
                .get("items")
                .get(0)
                .get("data")
                .get(0);
        assertEquals(name, data.get("name").asText(), a.body());
        return data.get("value");
    }

    static ApiFixture.Answer sign(ApiFixture api, long mid, String sig, String[] auth) {
        return api.postForm("/api/v1/manifest/sign/", Map.of("manifestid", "" + mid, "signature", sig), auth);
    }

    static String status(ApiFixture api, long mid, String[] auth) {
        return item(api.get("/api/v1/manifest?manifestid=" + mid, auth), "manifest")
                .get("status")
                .asText();
    }

    static ApiFixture.Answer manifestFor(ApiFixture api, String key, String agentJson) {
        return api.postForm(
                "/api/v1/manifest/agent/", Map.of("parameters", "{\"agent\":" + agentJson + "}"), "X-LOADERKEY", key);
    }

    static ApiFixture.Answer fetchAnswer(ApiFixture api, String key, String agentJson, String object) {
        return api.postForm(
                "/api/v1/manifest/fetch/",
                Map.of("parameters", "{\"agent\":" + agentJson + ",\"object\":\"" + object + "\"}"),
                "X-LOADERKEY",
                key);
    }

    static byte[] fetch(ApiFixture api, String key, String agentJson, String object) throws Exception {
        ApiFixture.Answer a = fetchAnswer(api, key, agentJson, object);
        assertEquals(200, a.status(), a.body());
        byte[] gz = Base64.getDecoder().decode(item(a, "content").get("data").asText());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static long lastManifest(ApiFixture api) throws Exception {
        try (Connection c = api.db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT max(id) FROM manifests")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long count(ApiFixture api, String table) throws Exception {
        try (Connection c = api.db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
