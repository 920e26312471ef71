package mig.client.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original MIG API as recorded: replays the answers of a captured client session
 * ({@code http-stream-*.txt}, a tcp follow of the original client and API) to whatever asks the
 * same method and path. Repeated requests (action polls) get the recorded answers in order, the
 * last one again once they run out. A search never recorded gets the original's empty search answer
 * (404 "no results found", recorded past the last page); a {@code foundanything=true} search the
 * answer of the same search without it (the recorded commands all found something); any other path
 * the original router's plain {@code 404 page not found}, as our long-poll route gets there.
 */
final class RecordedApi implements AutoCloseable {
    private record Answer(int status, String body) {}

    private static final Pattern REQUEST = Pattern.compile("^(GET|POST) (\\S+) HTTP/1\\.1$");
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");

    private final Map<String, List<Answer>> answers = new LinkedHashMap<>();
    private final Map<String, Integer> served = new LinkedHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final HttpServer server;

    /**
     * @param stream  the recorded session
     * @param rewrite applied to every recorded body (to put other results in the same exchange)
     */
    RecordedApi(String stream, UnaryOperator<String> rewrite) throws IOException {
        String pending = null;
        String[] lines = stream.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher req = REQUEST.matcher(lines[i]);
            if (req.matches()) {
                pending = req.group(1) + " " + req.group(2);
                continue;
            }
            Matcher st = STATUS.matcher(lines[i]);
            if (st.find() && pending != null) {
                int j = i + 1;
                while (j < lines.length && !lines[j].startsWith("{")) {
                    j++;
                }
                answers.computeIfAbsent(pending, k -> new ArrayList<>())
                        .add(new Answer(Integer.parseInt(st.group(1)), rewrite.apply(lines[j])));
                pending = null;
                i = j;
            }
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** Base URL of the replayed API, e.g. {@code http://127.0.0.1:40123/api/v1/}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/";
    }

    /** Method and path of every request received, in order. */
    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        String key = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + ex.getRequestURI().getRawQuery());
        Answer a;
        synchronized (this) {
            requests.add(key);
            List<Answer> recorded = answers.get(key);
            if (recorded == null && key.contains("&foundanything=true")) {
                recorded = answers.get(key.replace("&foundanything=true", ""));
            }
            if (recorded == null && key.startsWith("GET /api/v1/search?")) {
                recorded = answers.entrySet().stream()
                        .filter(e -> e.getValue().get(0).status() == 404)
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse(null);
            }
            if (recorded == null) {
                a = new Answer(404, null);
            } else {
                int n = served.merge(key, 1, Integer::sum) - 1;
                a = recorded.get(Math.min(n, recorded.size() - 1));
            }
        }
        byte[] body = (a.body() == null ? "404 page not found\n" : a.body()).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders()
                .set("Content-Type", a.body() == null ? "text/plain; charset=utf-8" : "application/json");
        ex.sendResponseHeaders(a.status(), body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
