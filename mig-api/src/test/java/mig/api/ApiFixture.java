package mig.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Operation;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.pgp.AuthToken;
import mig.common.pgp.KeyGen;
import mig.database.DbConfig;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.testkit.TestDatabase;

/**
 * An API running in-process on a free port over a fresh, migrated test database, with a small HTTP
 * client. Item hrefs use the recorded host {@code http://localhost:1664}, whatever the real port.
 */
final class ApiFixture implements AutoCloseable {
    static final String HOST = "http://localhost:1664";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final MigDatabase db;
    final ApiServer server;
    final InvestigatorStore investigators;

    private ApiFixture(MigDatabase db, ApiServer server) {
        this.db = db;
        this.server = server;
        this.investigators = new InvestigatorStore(db.dataSource());
    }

    static ApiFixture start(TestDatabase tdb, boolean authEnabled) {
        return start(tdb, authEnabled, Clock.systemUTC());
    }

    /** An API whose clock (token windows, keyring ages, action expiry) is {@code clock}. */
    static ApiFixture start(TestDatabase tdb, boolean authEnabled, Clock clock) {
        return start(tdb, authEnabled, clock, c -> c);
    }

    /** An API with a changed configuration (authentication on or off, {@code tweak} applied). */
    static ApiFixture start(
            TestDatabase tdb, boolean authEnabled, Clock clock, java.util.function.UnaryOperator<ApiConfig> tweak) {
        MigDatabase db = MigDatabase.open(
                        DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 4), "mig-api-test")
                .migrate();
        try {
            return new ApiFixture(
                    db, ApiServer.start(tweak.apply(ApiConfig.local(0, HOST, authEnabled, db.config())), db, clock));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            db.close();
        }
    }

    /** Registers an active investigator with this key and permissions; returns its id. */
    long register(String name, KeyGen.Generated key, Set<Permission> perms) {
        return investigators.create(
                name,
                key.fingerprint(),
                key.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                Permission.toMask(perms),
                Instant.now());
    }

    static String token(KeyGen.Generated key) {
        return AuthToken.make(key.secretKey(), Clock.systemUTC());
    }

    static String[] auth(KeyGen.Generated key) {
        return new String[] {AuthToken.HEADER, token(key)};
    }

    /** A valid file action, expiring in 10 minutes, signed by {@code signers} in order. */
    static Action signedAction(String name, String target, KeyGen.Generated... signers) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Action a = Action.draft(
                name,
                target,
                now.minusSeconds(60),
                now.plusSeconds(600),
                List.of(Operation.of(
                        "file",
                        GoJson.tree("{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^hostname$\"]}}}"))));
        for (KeyGen.Generated k : signers) {
            a = ActionSignatures.sign(a, k.secretKey());
        }
        return a;
    }

    /** An HTTP answer. */
    record Answer(int status, String body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Answer get(String pathAndQuery, String... headers) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), headers);
    }

    Answer postForm(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return postRaw(path, "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Answer postRaw(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > (512 << 10)) {
            // as curl does for large bodies: the server may refuse before the body is sent
            b.expectContinue(true);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b, headers);
    }

    /** A multipart form as the original client posts it: text fields, then files. */
    Answer postMultipart(String path, Map<String, String> fields, Map<String, byte[]> files, String... headers) {
        String boundary = "mig" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (var f : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                                + f.getValue() + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            for (var f : files.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
                                + "\"; filename=\"" + f.getKey()
                                + ".asc\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.write(f.getValue());
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return postRaw(path, "multipart/form-data; boundary=" + boundary, out.toByteArray(), headers);
    }

    private Answer send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(
                    b.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A GET sent over a plain socket, for request lines {@link java.net.URI} refuses to build (bad
     * escapes). Reads a Content-Length body.
     */
    Answer rawGet(String pathAndQuery) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n" + "Connection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            return new Answer(status, all.substring(all.indexOf("\r\n\r\n") + 4), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }
}
