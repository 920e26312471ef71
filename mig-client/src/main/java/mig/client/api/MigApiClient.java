package mig.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.Investigator;
import mig.common.InvestigatorPerms;
import mig.common.Version;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;

/**
 * The investigator side of MIG's REST API: Collection+JSON over HTTP, authenticated with an
 * {@code X-PGPAUTHORIZATION} token (or {@code X-MIGAPIKEY}). One token serves a whole session and a
 * fresh one is made only after a 401, which is what the original client meant to do (its value
 * receiver lost the cached token, so it signed one per request).
 *
 * <p>Every failure is an {@link ApiException} whose message is one line an investigator can act on;
 * {@link ApiException#status()} is 0 when the API did not answer at all.
 */
public final class MigApiClient {

    /** Page size the original client uses when it walks search results. */
    public static final int PAGE = 37;

    private final String baseUrl;
    private final Auth auth;
    private final String userAgent;
    private final HttpClient http;
    private final PrintStream debug;
    private volatile String token;

    /** How requests are authenticated. */
    public sealed interface Auth {
        /** {@code X-PGPAUTHORIZATION} with tokens from this supplier (a new one after a 401). */
        record Token(Supplier<String> maker) implements Auth {}

        /** {@code X-MIGAPIKEY} ({@code [gpg] useapikeyauth}): reads only, it cannot sign actions. */
        record ApiKey(String key) implements Auth {}

        /** No header, for an API with {@code [authentication] enabled = off}. */
        record None() implements Auth {}
    }

    /**
     * @param baseUrl    the API's base, e.g. {@code http://localhost:1664/api/v1/} (a trailing slash is added)
     * @param tokenMaker makes a fresh signed token (null: no authentication header)
     * @param tool       e.g. {@code cmd} or {@code console}, for the User-Agent
     */
    public MigApiClient(String baseUrl, Supplier<String> tokenMaker, String tool, boolean debug) {
        this(
                baseUrl,
                tokenMaker == null ? new Auth.None() : new Auth.Token(tokenMaker),
                tool,
                debug ? System.err : null,
                false);
    }

    /**
     * @param debug         where to print each request and answer ({@code -v}), or null
     * @param skipVerifyCert accept any TLS certificate ({@code [api] skipverifycert = on})
     */
    public MigApiClient(String baseUrl, Auth auth, String tool, PrintStream debug, boolean skipVerifyCert) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.auth = auth;
        this.userAgent = "MIG Client " + tool + "-" + Version.VERSION;
        this.debug = debug;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (skipVerifyCert) {
            b.sslContext(InsecureTls.context());
        }
        this.http = b.build();
    }

    /** The API's base URL. */
    public String baseUrl() {
        return baseUrl;
    }

    /** GET a resource relative to the base, e.g. {@code action?actionid=1}; returns the collection. */
    public JsonNode get(String path) throws ApiException {
        return send(() -> HttpRequest.newBuilder(uri(path)).GET(), path, Duration.ofSeconds(60), 200)
                .json();
    }

    /** GET a search; an empty result (the API's 404 "no results found") is an empty collection. */
    public JsonNode search(String query) throws ApiException {
        try {
            return get(query.startsWith("search?") ? query : "search?" + query);
        } catch (ApiException e) {
            if (e.status() == 404 && e.getMessage().contains("no results found")) {
                return GoJson.tree("{\"collection\":{}}");
            }
            throw e;
        }
    }

    /**
     * GET any URI (absolute, or relative to the base) and return the body as text, whatever the
     * status: the console's {@code query}.
     */
    public String raw(String uriOrPath) throws ApiException {
        URI u = uriOrPath.startsWith("http://") || uriOrPath.startsWith("https://")
                ? URI.create(uriOrPath)
                : uri(uriOrPath.startsWith("/") ? uriOrPath.substring(1) : uriOrPath);
        return send(() -> HttpRequest.newBuilder(u).GET(), uriOrPath, Duration.ofSeconds(60), -1)
                .body();
    }

    /** POST a form to a resource relative to the base; {@code expected} is the success status. */
    public JsonNode postForm(String path, Map<String, String> fields, int expected) throws ApiException {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((k, v) -> body.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(
                        () -> HttpRequest.newBuilder(uri(path))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                        path,
                        Duration.ofSeconds(60),
                        expected)
                .json();
    }

    /** POST one form field, expecting any 2xx. */
    public JsonNode postForm(String path, String field, String value) throws ApiException {
        return postForm(path, Map.of(field, value), 200);
    }

    /**
     * Posts a signed action, syntax version set to 2 as the original's {@code PostAction} does (it
     * is not signed); returns it as the API stored it (with its id).
     */
    public Action postAction(Action signed) throws ApiException {
        Action a = signed.syntaxVersion() == Action.SYNTAX_VERSION
                ? signed
                : new Action(
                        signed.id(),
                        signed.name(),
                        signed.target(),
                        signed.description(),
                        signed.threat(),
                        signed.validFrom(),
                        signed.expireAfter(),
                        signed.operations(),
                        signed.pgpSignatures(),
                        signed.investigators(),
                        signed.status(),
                        signed.startTime(),
                        signed.finishTime(),
                        signed.lastUpdateTime(),
                        signed.counters(),
                        Action.SYNTAX_VERSION);
        JsonNode col = postForm("action/create/", Map.of("action", GoJson.marshal(a)), 202);
        for (JsonNode data : dataOf(col)) {
            if (data.path("name").asText().startsWith("action ID ")) {
                return GoJson.unmarshal(data.get("value").toString(), Action.class);
            }
        }
        throw new ApiException("the API accepted the action but returned no action ID", 202, null);
    }

    /** The action as the API shows it now. */
    public Action getAction(long id) throws ApiException {
        return one(get("action?actionid=" + id), "action", Action.class);
    }

    /** A command with its results. */
    public Command getCommand(long id) throws ApiException {
        return one(get("command?commandid=" + id), "command", Command.class);
    }

    /** An agent as registered. */
    public Agent getAgent(long id) throws ApiException {
        return one(get("agent?agentid=" + id), "agent", Agent.class);
    }

    /** An investigator (its public key included). */
    public Investigator getInvestigator(long id) throws ApiException {
        return one(get("investigator?investigatorid=" + id), "investigator", Investigator.class);
    }

    /** {@code GET /dashboard}. */
    public JsonNode dashboard() throws ApiException {
        return get("dashboard");
    }

    /**
     * Creates an investigator ({@code POST investigator/create/}, multipart as the original client
     * sends it); {@code armoredPublicKey} may be null for an API-key-only investigator.
     */
    public Investigator createInvestigator(String name, InvestigatorPerms perms, String armoredPublicKey)
            throws ApiException {
        Multipart form = new Multipart().field("name", name).field("permissions", GoJson.marshal(perms));
        if (armoredPublicKey != null) {
            form.file("publickey", name + ".asc", armoredPublicKey.getBytes(StandardCharsets.UTF_8));
        }
        JsonNode col = send(
                        () -> HttpRequest.newBuilder(uri("investigator/create/"))
                                .header("Content-Type", form.contentType())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())),
                        "investigator/create/",
                        Duration.ofSeconds(60),
                        201)
                .json();
        return first(col, Investigator.class)
                .orElseThrow(
                        () -> new ApiException("the API created the investigator but did not return it", 201, null));
    }

    /**
     * {@code POST investigator/update/} with one change: {@code status}, {@code permissions} (JSON) or
     * {@code apikey}; returns the investigator as answered (a new API key shows once in it).
     */
    public Optional<Investigator> updateInvestigator(long id, String field, String value) throws ApiException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("id", Long.toString(id));
        form.put(field, value);
        return first(postForm("investigator/update/", form, 200), Investigator.class);
    }

    /**
     * The first item's first value, whatever its name: the original client reads answers this way,
     * and the original API names them {@code Investigator ID <id>} rather than {@code investigator}.
     */
    private static <T> Optional<T> first(JsonNode col, Class<T> type) throws ApiException {
        List<JsonNode> data = dataOf(col);
        if (data.isEmpty() || !data.get(0).has("value")) {
            return Optional.empty();
        }
        try {
            return Optional.of(GoJson.unmarshal(data.get(0).get("value").toString(), type));
        } catch (GoJsonException e) {
            throw new ApiException("the API's answer does not read as MIG's: " + e.getMessage(), 200, e);
        }
    }

    /**
     * Waits until the action's counters change or it completes (our API's long poll), falling back
     * to a plain GET on an API that lacks the route (the original's).
     *
     * @return the action, or null when this API has no long poll
     */
    public Action waitAction(long id, Duration timeout) throws ApiException {
        try {
            return one(
                    send(
                                    () -> HttpRequest.newBuilder(uri("action/wait?actionid=" + id + "&timeout="
                                                    + Math.max(1, timeout.toSeconds())))
                                            .GET(),
                                    "action/wait",
                                    timeout.plusSeconds(10),
                                    200)
                            .json(),
                    "action",
                    Action.class);
        } catch (ApiException e) {
            if (e.status() == 404 || e.status() == 405 || e.status() == 501) {
                return null;
            }
            throw e;
        }
    }

    /** The agents a target selects ({@code search?type=agent&limit=1000000&target=}). */
    public List<Agent> evaluateTarget(String target) throws ApiException {
        JsonNode col =
                search("search?type=agent&limit=1000000&target=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        List<Agent> out = new ArrayList<>();
        for (JsonNode v : values(col, "agent")) {
            out.add(GoJson.unmarshal(v.toString(), Agent.class));
        }
        return out;
    }

    /** One page of commands of an action; {@code extra} is appended to the query (e.g. {@code &foundanything=true}). */
    public List<Command> commands(long actionId, int limit, int offset, String extra) throws ApiException {
        JsonNode col =
                search("search?type=command&limit=" + limit + "&offset=" + offset + "&actionid=" + actionId + extra);
        List<Command> out = new ArrayList<>();
        for (JsonNode v : values(col, "command")) {
            out.add(GoJson.unmarshal(v.toString(), Command.class));
        }
        return out;
    }

    /** The {@code value} of every data entry named {@code name} in a collection, in order. */
    public static List<JsonNode> values(JsonNode col, String name) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode data : dataOf(col)) {
            if (name.equals(data.path("name").asText())) {
                out.add(data.get("value"));
            }
        }
        return out;
    }

    private <T> T one(JsonNode col, String name, Class<T> type) throws ApiException {
        List<JsonNode> v = values(col, name);
        if (v.isEmpty()) {
            throw new ApiException("the API's answer holds no " + name, 200, null);
        }
        try {
            return GoJson.unmarshal(v.get(0).toString(), type);
        } catch (GoJsonException e) {
            throw new ApiException("the API's " + name + " does not read as MIG's: " + e.getMessage(), 200, e);
        }
    }

    private static List<JsonNode> dataOf(JsonNode col) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode item : col.path("collection").path("items")) {
            for (JsonNode data : item.path("data")) {
                out.add(data);
            }
        }
        return out;
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private Answer send(Supplier<HttpRequest.Builder> request, String what, Duration timeout, int expected)
            throws ApiException {
        boolean retried = false;
        while (true) {
            HttpRequest.Builder b = request.get().timeout(timeout).header("User-Agent", userAgent);
            authenticate(b, retried);
            HttpRequest req = b.build();
            if (debug != null) {
                debug.println("debug: " + req.method() + " " + req.uri());
            }
            HttpResponse<String> resp;
            try {
                resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new ApiException(
                        "API at " + baseUrl + " is not reachable: " + describe(e)
                                + " (is mig-api running? check [api] url in your migrc)",
                        0,
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException("interrupted while calling the API", 0, e);
            }
            if (debug != null) {
                debug.println("debug: " + resp.statusCode() + " " + resp.body());
            }
            if (resp.statusCode() == 401 && auth instanceof Auth.Token && !retried) {
                retried = true;
                continue;
            }
            Answer a = new Answer(resp.statusCode(), resp.body());
            if (expected < 0 && a.status() < 500) {
                return a;
            }
            a.requireSuccess(what, expected);
            return a;
        }
    }

    private void authenticate(HttpRequest.Builder b, boolean fresh) {
        if (auth instanceof Auth.Token t) {
            if (token == null || fresh) {
                token = t.maker().get();
            }
            b.header("X-PGPAUTHORIZATION", token);
        } else if (auth instanceof Auth.ApiKey k) {
            b.header("X-MIGAPIKEY", k.key());
        }
    }

    private static String describe(java.io.IOException e) {
        String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return e instanceof java.net.ConnectException && (m.isEmpty() || m.equals("ConnectException"))
                ? "connection refused"
                : m;
    }
}
