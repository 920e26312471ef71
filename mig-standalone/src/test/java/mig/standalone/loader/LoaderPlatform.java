package mig.standalone.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import mig.testkit.TestDatabase;

/**
 * What the loader tests share: the API on a migrated test database with three investigators
 * (Alice and Bob, whose keys the loader trusts, and Mallory, whose key it does not), an enabled
 * loader entry whose key is in {@code <dir>/mig-loader.key}, the trusted keys in
 * {@code <dir>/manifestkeys}, and the calls an investigator makes: create a manifest, sign it.
 */
final class LoaderPlatform implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final KeyGen.Generated ALICE = KeyGen.rsa("Alice <alice@mig.test>", 2048);
    static final KeyGen.Generated BOB = KeyGen.rsa("Bob <bob@mig.test>", 2048);
    static final KeyGen.Generated MALLORY = KeyGen.rsa("Mallory <mallory@mig.test>", 2048);

    final MigDatabase db;
    final ApiServer api;
    private final Path dir;

    private LoaderPlatform(MigDatabase db, ApiServer api, Path dir) {
        this.db = db;
        this.api = api;
        this.dir = dir;
    }

    /** Migrates the database, starts the API, registers the investigators and an enabled loader. */
    static LoaderPlatform start(TestDatabase tdb, Path dir) throws Exception {
        MigDatabase db = MigDatabase.open(DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 4), "loader-it")
                .migrate();
        ApiServer api = null;
        try {
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
            LoaderPlatform p = new LoaderPlatform(db, api, dir);
            JsonNode made = item(p.post(ALICE, "loader/new/", Map.of("loader", "{\"name\":\"web1-loader\"}"), 201));
            String key = made.get("prefix").asText() + made.get("key").asText();
            p.post(ALICE, "loader/status/", Map.of("loaderid", made.get("id").asText(), "status", "enabled"), 200);
            Path keys = Files.createDirectories(dir.resolve("manifestkeys"));
            Files.writeString(keys.resolve("alice.asc"), ALICE.armoredPublicKey());
            Files.writeString(keys.resolve("bob.asc"), BOB.armoredPublicKey());
            Files.writeString(dir.resolve("mig-loader.key"), key + "\n");
            return p;
        } catch (Exception | Error e) {
            if (api != null) {
                api.close();
            }
            db.close();
            throw e;
        }
    }

    /** The API's base URL, with the trailing slash the loader's configuration takes. */
    String apiUrl() {
        return api.localUrl() + "/";
    }

    /** The loader's configuration file, {@code <dir>/mig-loader.cfg}. */
    Path configFile() {
        return dir.resolve("mig-loader.cfg");
    }

    /**
     * Writes {@link #configFile()}: the API at {@code url}, {@code required} signatures, bundle
     * paths under {@code root}, the {@code restart} command, and {@code extra} sections as typed.
     */
    void config(String url, int required, Path root, String restart, String extra) throws IOException {
        Files.writeString(
                configFile(),
                "[loader]\n"
                        + "    api = \"" + url + "\"\n"
                        + "    tags = \"operator:myorg\"\n"
                        + "    requiredsignatures = " + required + "\n"
                        + "    keyfile = \"" + dir.resolve("mig-loader.key") + "\"\n"
                        + "    manifestkeys = \"" + dir.resolve("manifestkeys") + "\"\n"
                        + "    root = \"" + root + "\"\n"
                        + "    restart = \"" + restart + "\"\n"
                        + extra);
    }

    /** Creates a staged manifest of {@code files} for Linux loaders, as Alice; its id. */
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

    /** Signs manifest {@code mid} over the file list the API serves, as {@code key}'s investigator. */
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

    /**
     * A proxy between the loader and the API that passes everything through except the file the
     * loader fetches, which it swaps for {@code replacement}: the attack the signed SHA-256 values
     * stop. The loader's URL through it is {@code http://127.0.0.1:<port>/api/v1/}; stop it after use.
     */
    HttpServer swappingProxy(String replacement) throws IOException {
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
                out = out.replaceFirst("\"data\":\"[^\"]*\"", "\"data\":\"" + gzipBase64(replacement) + "\"");
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(r.statusCode(), bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        });
        proxy.start();
        return proxy;
    }

    static String proxyUrl(HttpServer proxy) {
        return "http://127.0.0.1:" + proxy.getAddress().getPort() + "/api/v1/";
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

    @Override
    public void close() {
        api.close();
        db.close();
    }
}
