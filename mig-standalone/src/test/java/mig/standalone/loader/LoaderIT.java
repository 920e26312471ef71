package mig.standalone.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import mig.api.ApiConfig;
import mig.api.ApiServer;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.manifest.ManifestContent;
import mig.common.manifest.ManifestSignatures;
import mig.common.pgp.AuthToken;
import mig.common.pgp.KeyGen;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.loader.LoaderRun;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig-loader against the real API on real PostgreSQL: a manifest signed 2 of n installs the new
 * agent and runs the restart command; a manifest with too few, foreign, missing or stale
 * signatures, a file whose SHA-256 differs from the signed one, and a failing restart leave the
 * installed agent as it was.
 */
@ExtendWith(MigServices.class)
class LoaderIT {
    static final byte[] OLD_AGENT = "agent v1\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW_AGENT = "agent v2, the upgrade\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW_CONFIG = "[agent]\nrelay = amqp://new\n".getBytes(StandardCharsets.UTF_8);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final KeyGen.Generated ALICE = KeyGen.rsa("Alice <alice@mig.test>", 2048);
    static final KeyGen.Generated BOB = KeyGen.rsa("Bob <bob@mig.test>", 2048);
    static final KeyGen.Generated MALLORY = KeyGen.rsa("Mallory <mallory@mig.test>", 2048);

    MigDatabase db;
    ApiServer api;
    String loaderKey;
    Path root;
    Path restarts;

    @TempDir
    Path dir;

    @BeforeEach
    void platform(TestDatabase tdb) throws Exception {
        db = MigDatabase.open(DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 4), "loader-it")
                .migrate();
        ApiConfig c = ApiConfig.local(0, "http://localhost:1664", true, db.config());
        // the API activates a manifest at 1 signature; the loader asks for more where a test says so
        api = ApiServer.start(
                new ApiConfig(
                        c.ip(),
                        c.port(),
                        c.host(),
                        c.baseRoute(),
                        c.clientPublicIp(),
                        c.authEnabled(),
                        c.tokenDuration(),
                        1,
                        c.postgres(),
                        c.logging(),
                        c.maxActionValidity(),
                        c.heartbeats()),
                db);
        InvestigatorStore inv = new InvestigatorStore(db.dataSource());
        for (KeyGen.Generated k : List.of(ALICE, BOB, MALLORY)) {
            inv.create(
                    k.fingerprint(),
                    k.fingerprint(),
                    k.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                    Permission.toMask(EnumSet.allOf(Permission.class)),
                    Instant.now());
        }
        JsonNode made = item(post(ALICE, "loader/new/", Map.of("loader", "{\"name\":\"web1-loader\"}"), 201));
        loaderKey = made.get("prefix").asText() + made.get("key").asText();
        post(ALICE, "loader/status/", Map.of("loaderid", made.get("id").asText(), "status", "enabled"), 200);

        root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("sbin"));
        Files.write(root.resolve("sbin/mig-agent"), OLD_AGENT);
        restarts = dir.resolve("restarts");
        Path keys = Files.createDirectories(dir.resolve("manifestkeys"));
        Files.writeString(keys.resolve("alice.asc"), ALICE.armoredPublicKey());
        Files.writeString(keys.resolve("bob.asc"), BOB.armoredPublicKey());
        Files.writeString(dir.resolve("mig-loader.key"), loaderKey + "\n");
        config(api.localUrl() + "/", 2, "echo restarted >> " + restarts);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        if (db != null) {
            db.close();
        }
    }

    void config(String url, int required, String restart) throws IOException {
        Files.writeString(
                dir.resolve("mig-loader.cfg"),
                "[loader]\n"
                        + "    api = \"" + url + "\"\n"
                        + "    tags = \"operator:myorg\"\n"
                        + "    requiredsignatures = " + required + "\n"
                        + "    keyfile = \"" + dir.resolve("mig-loader.key") + "\"\n"
                        + "    manifestkeys = \"" + dir.resolve("manifestkeys") + "\"\n"
                        + "    root = \"" + root + "\"\n"
                        + "    restart = \"" + restart + "\"\n");
    }

    @Test
    void aManifestSignedTwoOfNInstallsTheNewAgentAndRestartsIt() throws Exception {
        long mid = manifest(Map.of("mig-agent", NEW_AGENT, "configuration", NEW_CONFIG));
        sign(mid, ALICE);
        sign(mid, BOB);
        LoaderRun run = LoaderRun.of(dir.resolve("mig-loader.cfg"));
        assertEquals(0, run.code(), run.output());
        assertTrue(run.output().contains("2 valid signatures in manifest"), run.output());
        assertTrue(run.output().contains("update installed"), run.output());
        assertArrayEquals(NEW_AGENT, Files.readAllBytes(root.resolve("sbin/mig-agent")));
        assertArrayEquals(NEW_CONFIG, Files.readAllBytes(root.resolve("etc/mig/mig-agent.cfg")));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("sbin/mig-agent"))));
        assertArrayEquals(OLD_AGENT, Files.readAllBytes(root.resolve("sbin/mig-agent.old")), "kept as .old");
        assertEquals(List.of("restarted"), Files.readAllLines(restarts));

        // a second run finds nothing to do and does not restart
        LoaderRun again = LoaderRun.of(dir.resolve("mig-loader.cfg"));
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("up to date"), again.output());
        assertEquals(List.of("restarted"), Files.readAllLines(restarts));
    }

    @Test
    void anUnderWeightedManifestIsRefused() throws Exception {
        sign(manifest(Map.of("mig-agent", NEW_AGENT)), ALICE);
        assertRefused("Not enough valid signatures (got 1, need 2)");
    }

    @Test
    void aSignatureByAnUntrustedKeyDoesNotCount() throws Exception {
        config(api.localUrl() + "/", 1, "echo restarted >> " + restarts);
        sign(manifest(Map.of("mig-agent", NEW_AGENT)), MALLORY);
        assertRefused("Not enough valid signatures (got 0, need 1)");
    }

    @Test
    void aManifestWhoseSignaturesWereRemovedIsRefused() throws Exception {
        config(api.localUrl() + "/", 1, "echo restarted >> " + restarts);
        long mid = manifest(Map.of("mig-agent", NEW_AGENT));
        sign(mid, ALICE);
        sql("DELETE FROM manifestsig WHERE manifestid = " + mid); // the database tampered with
        assertRefused("Not enough valid signatures (got 0, need 1)");
    }

    @Test
    void aManifestWhoseContentWasAlteredAfterSigningIsRefused() throws Exception {
        config(api.localUrl() + "/", 1, "echo restarted >> " + restarts);
        long mid = manifest(Map.of("mig-agent", NEW_AGENT));
        sign(mid, ALICE);
        String evil = ManifestContent.of(Map.of("mig-agent", "a backdoored agent\n".getBytes(StandardCharsets.UTF_8)));
        sql("UPDATE manifests SET content = '" + evil + "' WHERE id = " + mid);
        assertRefused("Not enough valid signatures (got 0, need 1)");
    }

    @Test
    void aFileWhoseHashDiffersFromTheSignedOneIsRefused() throws Exception {
        long mid = manifest(Map.of("mig-agent", NEW_AGENT));
        sign(mid, ALICE);
        sign(mid, BOB);
        // between the loader and the API, something swaps the agent it downloads
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(
                            URI.create(api.localUrl().replaceFirst("/api/v1$", "") + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : List.of("Content-Type", "X-LOADERKEY")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
            HttpResponse<String> r;
            try {
                r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            String out = r.body();
            if (ex.getRequestURI().getPath().endsWith("/manifest/fetch/")) {
                out = out.replaceFirst("\"data\":\"[^\"]*\"", "\"data\":\"" + gzipBase64("backdoor\n") + "\"");
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(r.statusCode(), bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        });
        proxy.start();
        try {
            config("http://127.0.0.1:" + proxy.getAddress().getPort() + "/api/v1/", 2, "echo restarted >> " + restarts);
            assertRefused("staged file signature mismatch");
            assertFalse(Files.exists(root.resolve("sbin/mig-agent.loader")), "nothing left staged");
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aRestartThatFailsPutsThePreviousAgentBack() throws Exception {
        config(api.localUrl() + "/", 2, "exit 3");
        long mid = manifest(Map.of("mig-agent", NEW_AGENT));
        sign(mid, ALICE);
        sign(mid, BOB);
        LoaderRun run = LoaderRun.of(dir.resolve("mig-loader.cfg"));
        assertEquals(1, run.code(), run.output());
        assertTrue(run.output().contains("exited with status 3; the previous files are back in place"), run.output());
        assertArrayEquals(OLD_AGENT, Files.readAllBytes(root.resolve("sbin/mig-agent")));
    }

    void assertRefused(String why) throws Exception {
        LoaderRun run = LoaderRun.of(dir.resolve("mig-loader.cfg"));
        assertEquals(1, run.code(), run.output());
        assertTrue(run.output().contains(why), run.output());
        assertTrue(run.output().contains("refused:"), run.output());
        assertArrayEquals(OLD_AGENT, Files.readAllBytes(root.resolve("sbin/mig-agent")), "the agent stays");
        assertFalse(Files.exists(restarts), "no restart");
    }

    long manifest(Map<String, byte[]> files) throws Exception {
        String record = GoJson.marshal(Map.of(
                "name",
                "upgrade",
                "target",
                "env#>>'{os}'='linux'",
                "status",
                "staged",
                "content",
                ManifestContent.of(new LinkedHashMap<>(files))));
        post(ALICE, "manifest/new/", Map.of("manifest", record), 201);
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT max(id) FROM manifests")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void sign(long mid, KeyGen.Generated key) throws Exception {
        JsonNode m = item(get(key, "manifest?manifestid=" + mid));
        String sig =
                ManifestSignatures.sign(ManifestContent.entries(m.get("content").asText()), key.secretKey());
        post(key, "manifest/sign/", Map.of("manifestid", "" + mid, "signature", sig), 200);
    }

    void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static String gzipBase64(String text) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(raw.toByteArray());
    }

    String post(KeyGen.Generated key, String route, Map<String, String> form, int status) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(api.localUrl() + "/" + route))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(AuthToken.HEADER, AuthToken.make(key.secretKey(), Clock.systemUTC()))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), route + ": " + r.body());
        return r.body();
    }

    String get(KeyGen.Generated key, String route) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(api.localUrl() + "/" + route))
                        .header(AuthToken.HEADER, AuthToken.make(key.secretKey(), Clock.systemUTC()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), route + ": " + r.body());
        return r.body();
    }

    static JsonNode item(String body) {
        return GoJson.tree(body)
                .get("collection")
                .get("items")
                .get(0)
                .get("data")
                .get(0)
                .get("value");
    }
}
