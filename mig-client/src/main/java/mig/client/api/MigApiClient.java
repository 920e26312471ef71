package mig.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.Version;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;

/**
 * The investigator side of MIG's REST API: Collection+JSON over HTTP, authenticated with an
 * {@code X-PGPAUTHORIZATION} token. Like the original client it makes one token per session and a
 * fresh one only after a 401.
 */
public final class MigApiClient {

    /** Page size the original client uses when it walks search results. */
    public static final int PAGE = 37;

    private final String baseUrl;
    private final Supplier<String> tokenMaker;
    private final String userAgent;
    private final HttpClient http;
    private final boolean debug;
    private volatile String token;

    /**
     * @param baseUrl    the API's base, e.g. {@code http://localhost:1664/api/v1/} (a trailing slash is added)
     * @param tokenMaker makes a fresh signed token (null: no PGP auth header)
     * @param tool       e.g. {@code cmd} or {@code console}, for the User-Agent
     */
    public MigApiClient(String baseUrl, Supplier<String> tokenMaker, String tool, boolean debug) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.tokenMaker = tokenMaker;
        this.userAgent = "MIG Client " + tool + "-" + Version.VERSION;
        this.debug = debug;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The API's base URL. */
    public String baseUrl() {
        return baseUrl;
    }

    /** GET a resource relative to the base, e.g. {@code action?actionid=1}; returns the collection. */
    public JsonNode get(String path) throws ApiException {
        return send(() -> HttpRequest.newBuilder(uri(path)).GET(), path, Duration.ofSeconds(60));
    }

    /** POST a form to a resource relative to the base. */
    public JsonNode postForm(String path, String field, String value) throws ApiException {
        String body = field + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        return send(() -> HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), path, Duration.ofSeconds(60));
    }

    /** Posts a signed action; returns it as the API stored it (with its id). */
    public Action postAction(Action signed) throws ApiException {
        JsonNode col = postForm("action/create/", "action", GoJson.marshal(signed));
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

    /**
     * Waits until the action's counters change or it completes (our API's long poll), falling back
     * to a plain GET on an API that lacks the route (the original's).
     */
    public Action waitAction(long id, Duration timeout) throws ApiException {
        try {
            return one(send(() -> HttpRequest.newBuilder(uri("action/wait?actionid=" + id + "&timeout="
                    + Math.max(1, timeout.toSeconds()))).GET(), "action/wait", timeout.plusSeconds(10)), "action",
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
        JsonNode col = searchOrEmpty("search?type=agent&limit=1000000&target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8));
        List<Agent> out = new ArrayList<>();
        for (JsonNode data : dataOf(col)) {
            if ("agent".equals(data.path("name").asText())) {
                out.add(GoJson.unmarshal(data.get("value").toString(), Agent.class));
            }
        }
        return out;
    }

    /** One page of commands of an action; {@code extra} is appended to the query (e.g. {@code &foundanything=true}). */
    public List<Command> commands(long actionId, int limit, int offset, String extra) throws ApiException {
        JsonNode col = searchOrEmpty("search?type=command&limit=" + limit + "&offset=" + offset + "&actionid="
                + actionId + extra);
        List<Command> out = new ArrayList<>();
        for (JsonNode data : dataOf(col)) {
            if ("command".equals(data.path("name").asText())) {
                out.add(GoJson.unmarshal(data.get("value").toString(), Command.class));
            }
        }
        return out;
    }

    /** A search that answers 404 "no results found" when empty gives an empty collection. */
    private JsonNode searchOrEmpty(String path) throws ApiException {
        try {
            return get(path);
        } catch (ApiException e) {
            if (e.status() == 404 && e.getMessage().contains("no results found")) {
                return GoJson.tree("{\"collection\":{}}");
            }
            throw e;
        }
    }

    private <T> T one(JsonNode col, String name, Class<T> type) throws ApiException {
        for (JsonNode data : dataOf(col)) {
            if (name.equals(data.path("name").asText())) {
                return GoJson.unmarshal(data.get("value").toString(), type);
            }
        }
        throw new ApiException("the API's answer holds no " + name, 200, null);
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

    private JsonNode send(Supplier<HttpRequest.Builder> request, String what, Duration timeout) throws ApiException {
        boolean retried = false;
        while (true) {
            HttpRequest.Builder b = request.get().timeout(timeout).header("User-Agent", userAgent);
            if (tokenMaker != null) {
                if (token == null) {
                    token = tokenMaker.get();
                }
                b.header("X-PGPAUTHORIZATION", token);
            }
            HttpRequest req = b.build();
            if (debug) {
                System.err.println("[debug] " + req.method() + " " + req.uri());
            }
            HttpResponse<String> resp;
            try {
                resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ApiException("API at " + baseUrl + " is not reachable: " + describe(e)
                        + " (is mig-api running? check [api] url in your migrc)", 0, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException("interrupted while calling the API", 0, e);
            }
            if (debug) {
                System.err.println("[debug] " + resp.statusCode() + " " + resp.body());
            }
            if (resp.statusCode() == 401 && tokenMaker != null && !retried) {
                token = null;
                retried = true;
                continue;
            }
            JsonNode body;
            try {
                body = GoJson.tree(resp.body());
            } catch (GoJsonException e) {
                throw new ApiException("API answered " + resp.statusCode() + " to " + what + " with non-JSON: "
                        + abbreviate(resp.body()), resp.statusCode(), e);
            }
            if (resp.statusCode() >= 300) {
                String msg = Optional.ofNullable(body.path("collection").path("error").path("message").textValue())
                        .orElse("HTTP " + resp.statusCode());
                String hint = resp.statusCode() == 401
                        ? " (is your key registered as an active investigator? check [gpg] keyid in your migrc)" : "";
                throw new ApiException("API refused " + what + ": " + msg + hint, resp.statusCode(), null);
            }
            return body;
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

}
