package mig.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import mig.common.Action;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.testkit.TestDatabase;
import mig.testkit.TestServices;
import mig.testkit.fuzz.Fuzz;
import mig.testkit.fuzz.Tally;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of the API's routes on a running API (authentication on) over the test fixture's real
 * PostgreSQL: generated methods, paths, query strings, bodies and headers, mostly mutations of
 * valid requests (the recorded heartbeat, a signed action, investigator forms, search parameters,
 * documented targets, a valid token) and some random. Requests go over a plain socket so that any
 * byte can be sent. Every request must get an HTTP answer with a status below 500, within
 * {@link Fuzz#TRY_TIMEOUT}; the API must still answer a valid request at the end.
 */
class ApiRoutesFuzzIT {

    private static final Tally TALLY = new Tally("API routes");
    private static final String BASE = "/api/v1";

    private static TestDatabase tdb;
    private static ApiFixture api;
    private static String token;
    private static String signedAction;
    private static final List<String> IDS = new ArrayList<>(
            List.of("1", "0", "-1", "1.5", "1e999", "NaN", "", "9".repeat(40), "0x10", " 1", "1 ", "+1", "-0"));
    private static final List<String> VALUES = List.of(
            "agent",
            "action",
            "command",
            "investigator",
            "online",
            "idle",
            "offline",
            "active",
            "disabled",
            "true",
            "false",
            "10",
            "100000000000",
            "2026-11-28T19:04:22Z",
            "2026-11-28T19:04:22.5+01:00",
            "0001-01-01T00:00:00Z",
            "x%",
            "%",
            "_",
            "'",
            "\\",
            "status='online'",
            "environment->>'os'='linux' AND mode='daemon'",
            "name LIKE '%mysql%'",
            "tags#>>'{operator}'='IT'",
            "id IN (select agentid from commands, json_array_elements(commands.results) as r where actionid=1 "
                    + "and r#>>'{foundanything}' = 'true')");
    private static final List<String> CONTENT_TYPES = List.of(
            "application/x-www-form-urlencoded",
            "application/json",
            "multipart/form-data; boundary=fuzz",
            "multipart/form-data",
            "text/plain",
            "application/x-www-form-" + "urlencoded; charset=latin1",
            "",
            "*/*",
            "multipart/form-data; boundary=");

    /** A route as a fuzz target: method, path, query parameters it takes. */
    private record RouteShape(String method, String path, List<String> params) {}

    private static final List<RouteShape> ROUTES = List.of(
            new RouteShape("POST", "/heartbeat", List.of()),
            new RouteShape("GET", "/heartbeat", List.of()),
            new RouteShape("GET", "/ip", List.of()),
            new RouteShape("GET", "/publickey/D903231F7344F6E566A76688DE59C102AF729558", List.of()),
            new RouteShape("GET", "/search", mig.database.search.SearchRequest.PARAMETERS),
            new RouteShape("GET", "/search", List.of("type", "target", "limit")),
            new RouteShape("GET", "/action", List.of("actionid")),
            new RouteShape("GET", "/action/wait", List.of("actionid", "timeout")),
            new RouteShape("POST", "/action/create/", List.of()),
            new RouteShape("GET", "/command", List.of("commandid")),
            new RouteShape("GET", "/agent", List.of("agentid")),
            new RouteShape("GET", "/dashboard", List.of()),
            new RouteShape("GET", "/investigator", List.of("investigatorid")),
            new RouteShape("POST", "/investigator/create/", List.of()),
            new RouteShape("POST", "/investigator/update/", List.of()),
            new RouteShape("GET", "/loader", List.of("loaderid")),
            new RouteShape("POST", "/loader/new/", List.of()),
            new RouteShape("POST", "/manifest/agent/", List.of()),
            new RouteShape("GET", "/manifest/loaders/", List.of("manifestid")));

    @BeforeContainer
    static void start() {
        tdb = TestServices.postgres().newDatabase();
        api = ApiFixture.start(tdb, true);
        long alice = api.register("alice", TestKeys.alice(), EnumSet.allOf(Permission.class));
        long bob = api.register("bob", TestKeys.bob(), EnumSet.allOf(Permission.class));
        token = ApiFixture.token(TestKeys.alice());
        // something to find: an agent, an action; the fuzzed updates aim at bob, never at alice
        check(
                api.postRaw(
                        BASE + "/heartbeat",
                        "application/json",
                        HeartbeatIT.recordedBody(Instant.now()).getBytes(StandardCharsets.UTF_8)),
                200);
        Action action = ApiFixture.signedAction("fuzz", "status='online'", TestKeys.alice());
        signedAction = GoJson.marshal(action);
        ApiFixture.Answer created = api.postForm(
                BASE + "/action/create/", Map.of("action", signedAction), ApiFixture.auth(TestKeys.alice()));
        check(created, 202);
        String agentId = GoJson.tree(api.get(BASE + "/search?type=agent&limit=1", ApiFixture.auth(TestKeys.alice()))
                        .body())
                .at("/collection/items/0/data/0/value/id")
                .asText();
        IDS.addAll(List.of(
                Long.toString(action.id()),
                GoJson.tree(created.body())
                        .at("/collection/items/0/data/0/value/id")
                        .asText(),
                agentId,
                Long.toString(bob)));
        if (alice == bob) {
            throw new IllegalStateException("two investigators expected");
        }
    }

    private static void check(ApiFixture.Answer a, int status) {
        if (a.status() != status) {
            throw new IllegalStateException("fuzz setup: expected " + status + ", got " + a.status() + " " + a.body());
        }
    }

    @Property(tries = 1000)
    void everyGeneratedRequestGetsAnAnswerBelow500(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] request = request(r, true);
        TALLY.add("generated requests (valid token)", send(request));
    }

    @Property(tries = 300)
    void requestsWithBrokenAuthenticationGetAnAnswerBelow500(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] request = request(r, false);
        TALLY.add("generated requests (mutated or no authentication)", send(request));
    }

    /**
     * Sends a request and reads the status line: an answer below 500, in time, is the property.
     */
    private static Fuzz.Outcome send(byte[] request) {
        int[] status = new int[1];
        String line = new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
        // the long poll may wait its documented 30 s at most (docs/api.md)
        Duration bound = line.contains("/action/wait") ? Duration.ofSeconds(45) : Fuzz.TRY_TIMEOUT;
        Fuzz.check(bound, request, () -> {
            status[0] = exchange(request);
            if (status[0] >= 500 || status[0] < 100) {
                throw new IllegalStateException("status " + status[0]);
            }
            return status[0];
        });
        return status[0] < 400 ? Fuzz.Outcome.ACCEPTED : Fuzz.Outcome.REFUSED;
    }

    /** Jetty's default limit on a request's line and headers; it answers 414/431, or closes, beyond. */
    private static final int HEAD_LIMIT = 8192;

    private static int exchange(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", api.server.port())) {
            s.setSoTimeout(45_000);
            IOException writeFailure = null;
            try {
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading an oversized request to its end
                writeFailure = e;
            }
            byte[] head;
            try {
                InputStream in = s.getInputStream();
                head = in.readNBytes(12);
                in.readAllBytes();
            } catch (IOException e) {
                if (writeFailure != null && headLength(request) > HEAD_LIMIT) {
                    return 431; // refused by closing the connection on a head over the limit
                }
                throw e;
            }
            String line = new String(head, StandardCharsets.ISO_8859_1);
            if (!line.startsWith("HTTP/1.1 ") || line.length() < 12) {
                if (writeFailure != null && headLength(request) > HEAD_LIMIT) {
                    return 431;
                }
                throw new IllegalStateException("no HTTP answer, got " + Fuzz.show(line));
            }
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    private static int headLength(byte[] request) {
        String all = new String(request, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        return end < 0 ? all.length() : end;
    }

    /** One request: a route, its parameters and body, some headers, each maybe mutated. */
    private static byte[] request(Random r, boolean validToken) {
        RouteShape route = ROUTES.get(r.nextInt(ROUTES.size()));
        String method = r.nextInt(20) == 0
                ? List.of("PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "GET", "POST", "G\u00e9T")
                        .get(r.nextInt(8))
                : route.method();
        String path = BASE + route.path();
        if (r.nextInt(4) == 0) {
            // still an origin-form request target: the HTTP layer's answers to others are Jetty's, not the API's
            path = "/" + Fuzz.mutate(path, r).replaceAll("[\r\n ]", "%20").replaceFirst("^/", "");
        }
        String query = query(route, r);
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Host", "localhost"});
        if (validToken) {
            headers.add(new String[] {"X-PGPAUTHORIZATION", token});
        } else if (r.nextBoolean()) {
            headers.add(new String[] {"X-PGPAUTHORIZATION", Fuzz.mutate(token, r)});
        } else if (r.nextBoolean()) {
            headers.add(new String[] {"X-MIGAPIKEY", Fuzz.randomText(r, 40)});
        }
        byte[] body = new byte[0];
        if (method.equals("POST")) {
            String[] typed = body(route.path(), r);
            headers.add(new String[] {"Content-Type", typed[0]});
            body = typed[1].getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(4) == 0) {
                body = Fuzz.mutate(body, r);
            }
        }
        if (r.nextInt(8) == 0) {
            headers.add(new String[] {
                List.of(
                                "X-Forwarded-For",
                                "Accept",
                                "Accept-Encoding",
                                "Origin",
                                "Cookie",
                                "Expect",
                                "Content-Encoding")
                        .get(r.nextInt(7)),
                Fuzz.randomText(r, 60)
            });
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write((method + " " + path + (query.isEmpty() ? "" : "?" + query) + " HTTP/1.1\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (String[] h : headers) {
                // header values stay on one line: a CR or LF would end the header block, not test the API
                out.write((h[0] + ": " + h[1].replaceAll("[\r\n]", " ") + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write(("Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String query(RouteShape route, Random r) {
        List<String> parts = new ArrayList<>();
        List<String> params = new ArrayList<>(route.params());
        if (r.nextInt(10) == 0) {
            params.add(URLEncoder.encode(Fuzz.randomText(r, 12), StandardCharsets.UTF_8));
        }
        for (String p : params) {
            if (r.nextInt(3) == 0 && !p.equals("type") && !p.equals("timeout")) {
                continue;
            }
            String value = value(p, r);
            boolean encode = r.nextInt(5) != 0;
            String v = encode ? URLEncoder.encode(value, StandardCharsets.UTF_8) : value.replaceAll("[\r\n #]", "%20");
            parts.add(p + "=" + v);
            if (r.nextInt(30) == 0) {
                parts.add(p + "=" + v);
            }
        }
        String q = String.join("&", parts);
        boolean mayWait = route.path().equals("/action/wait");
        return r.nextInt(10) == 0 && !mayWait ? Fuzz.mutate(q, r).replaceAll("[\r\n #]", "%20") : q;
    }

    private static String value(String param, Random r) {
        if (param.equals("timeout")) {
            // how long /action/wait may wait: short or refused, so that the tries stay short
            return List.of("0", "1", "2", "-1", "31", "99", "1.5", "x", "01", "+1", " 1", "1e1", "%")
                    .get(r.nextInt(13));
        }
        String base = param.endsWith("id")
                ? IDS.get(r.nextInt(IDS.size()))
                : param.equals("type")
                        ? List.of("agent", "action", "command", "investigator").get(r.nextInt(4))
                        : VALUES.get(r.nextInt(VALUES.size()));
        return switch (r.nextInt(4)) {
            case 0 -> Fuzz.mutate(base, r);
            case 1 -> Fuzz.randomText(r, 30);
            default -> base;
        };
    }

    /** A content type and body for a POST route, from a valid one. */
    private static String[] body(String route, Random r) {
        String type;
        String body;
        switch (route) {
            case "/heartbeat" -> {
                type = "application/json";
                String recorded = HeartbeatIT.recordedBody(Instant.now());
                body = r.nextInt(4) == 0 ? recorded : Fuzz.mutate(recorded, r);
            }
            case "/action/create/" -> {
                type = "application/x-www-form-urlencoded";
                String action = r.nextBoolean() ? Fuzz.mutate(signedAction, r) : signedAction;
                body = "action=" + URLEncoder.encode(action, StandardCharsets.UTF_8);
            }
            case "/investigator/create/" -> {
                type = "multipart/form-data; boundary=fuzz";
                String key = TestKeys.mallory().armoredPublicKey();
                body = "--fuzz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + value("name", r)
                        + "\r\n--fuzz\r\nContent-Disposition: form-data; name=\"permissions\"\r\n\r\n"
                        + (r.nextBoolean() ? "{\"search\":true}" : Fuzz.mutate("{\"search\":true,\"action\":false}", r))
                        + "\r\n--fuzz\r\nContent-Disposition: form-data; name=\"publickey\"; filename=\"k.asc\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n"
                        + (r.nextBoolean() ? key : Fuzz.mutate(key, r)) + "\r\n--fuzz--\r\n";
            }
            case "/investigator/update/" -> {
                type = "application/x-www-form-urlencoded";
                String[] fields = {"status", "permissions", "apikey", "isadmin", "name"};
                String f = fields[r.nextInt(fields.length)];
                // the fuzzed updates aim at bob (the last id added), never at alice whose token the test uses
                body = "id=" + IDS.get(IDS.size() - 1) + "&" + f + "="
                        + URLEncoder.encode(value(f, r), StandardCharsets.UTF_8);
            }
            default -> {
                type = CONTENT_TYPES.get(r.nextInt(CONTENT_TYPES.size()));
                body = Fuzz.randomText(r, 200);
            }
        }
        if (r.nextInt(10) == 0) {
            type = CONTENT_TYPES.get(r.nextInt(CONTENT_TYPES.size()));
        }
        return new String[] {type, body};
    }

    @AfterContainer
    static void stop() {
        try {
            TALLY.print();
            // still serving: the dashboard answers alice
            check(api.get(BASE + "/dashboard", ApiFixture.auth(TestKeys.alice())), 200);
        } finally {
            api.close();
            tdb.close();
        }
    }
}
