package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Unclean paths get what the original's Go ServeMux answered (301 to the clean path, query kept),
 * checked on the raw bytes because Java's URI and HTTP client would clean some of them first.
 */
@ExtendWith(MigServices.class)
class PathCleaningIT {

    record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void theOriginalAgentsDoubleSlashIsRedirectedToTheCleanPath(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            // mig-agent with api = "http://host:1664/api/v1/" asks for APIURL + "/ip"
            Raw r = send(api, "GET", "/api/v1//ip", null);
            assertEquals(301, r.status());
            assertEquals("/api/v1/ip", r.header("Location"));
            // Jetty writes Go's "text/html; charset=utf-8" without the space
            assertEquals("text/html;charset=utf-8", r.header("Content-Type").replace(" ", ""));
            assertEquals("<a href=\"/api/v1/ip\">Moved Permanently</a>.\n\n", r.body());
        }
    }

    @Test
    void goHttpClientFollowsTheRedirectAndGetsThePublicIp(TestDatabase tdb) throws Exception {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            // Java's client follows a 301 like Go's does: same method for GET, GET for a POST
            HttpClient follow = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpResponse<String> ip = follow.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.server.port() + "/api/v1/./ip"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ip.statusCode(), ip.body());
            assertEquals("127.0.0.1", ip.body());
        }
    }

    @Test
    void dotSegmentsAndRepeatedSlashesAreResolvedWithTheQueryKept(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            assertRedirect(api, "/api/v1/./ip", "/api/v1/ip");
            assertRedirect(api, "/api/v1/agent/../ip", "/api/v1/ip");
            assertRedirect(api, "//api///v1//ip", "/api/v1/ip");
            assertRedirect(api, "/api/v1//search?type=agent&limit=10", "/api/v1/search?type=agent&limit=10");
            assertRedirect(api, "/api/v1//action/create/", "/api/v1/action/create/"); // trailing slash kept
            assertRedirect(api, "/api/v1/%2e%2e/v1/ip", "/api/v1/ip"); // the decoded path is cleaned
            assertRedirect(api, "/api/v1//a%20b", "/api/v1/a%20b"); // and escaped again
            Raw amp = send(api, "GET", "/api/v1//search?a=1&b=<x>", null);
            assertEquals("<a href=\"/api/v1/search?a=1&amp;b=&lt;x&gt;\">Moved Permanently</a>.\n\n", amp.body());
        }
    }

    @Test
    void dotDotAboveTheRootIsRefusedByJettyBeforeAnyHandler(TestDatabase tdb) {
        // Go cleans /api/v1/../../../../ip to /ip (a 301 to a 404); Jetty refuses a path that climbs
        // above the root while parsing the request, before any handler can redirect. No MIG client
        // sends one: a 400 instead of a redirect to a path that does not exist is the one difference.
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            Raw r = send(api, "GET", "/api/v1/../../../../ip", null);
            assertEquals(400, r.status(), r.toString());
            assertNull(r.header("Location"));
        }
    }

    @Test
    void aPostIsRedirectedWithoutBodyAndAHeadWithoutEither(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            Raw post = send(api, "POST", "/api/v1//heartbeat", HeartbeatIT.recordedBody(Instant.now()));
            assertEquals(301, post.status());
            assertEquals("/api/v1/heartbeat", post.header("Location"));
            assertNull(post.header("Content-Type"), "Go's http.Redirect sets no type for a POST");
            assertEquals("", post.body());
            assertEquals(
                    0,
                    api.get("/api/v1/search?type=agent&agentname=vm").body().split("\"name\":\"vm\"").length - 1,
                    "a redirected heartbeat is not stored");

            Raw head = send(api, "HEAD", "/api/v1/./heartbeat", null);
            assertEquals(301, head.status());
            assertEquals("/api/v1/heartbeat", head.header("Location"));
            assertEquals("text/html;charset=utf-8", head.header("Content-Type").replace(" ", ""));
        }
    }

    @Test
    void cleanPathsAndTrailingSlashesAreLeftToTheRoutes(TestDatabase tdb) {
        try (ApiFixture api = ApiFixture.start(tdb, false)) {
            Raw ip = send(api, "GET", "/api/v1/ip", null);
            assertEquals(200, ip.status());
            assertEquals("127.0.0.1", ip.body());
            // no StrictSlash in the original's router: /ip/ is no route, not a redirect
            Raw slash = send(api, "GET", "/api/v1/ip/", null);
            assertEquals(404, slash.status());
            assertEquals("404 page not found\n", slash.body());
            assertNull(slash.header("Location"));
            Raw unknown = send(api, "GET", "/api/v1/nothing", null);
            assertEquals(404, unknown.status());
            assertFalse(unknown.headers().containsKey("location"));
        }
    }

    private static void assertRedirect(ApiFixture api, String sent, String location) {
        Raw r = send(api, "GET", sent, null);
        assertEquals(301, r.status(), sent + " -> " + r);
        assertEquals(location, r.header("Location"), sent);
        assertTrue(r.body().startsWith("<a href=\""), r.body());
    }

    /** One request over a plain socket, request line as given; reads headers and a Content-Length body. */
    static Raw send(ApiFixture api, String method, String target, String body) {
        try (Socket s = new Socket("127.0.0.1", api.server.port())) {
            s.setSoTimeout(10_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n")
                    + "\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(b);
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            String[] lines = all.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(c + 1).trim());
            }
            return new Raw(Integer.parseInt(lines[0].substring(9, 12)), headers, all.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
