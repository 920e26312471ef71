package mig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management API path cannot run against this project's RabbitMQ (its plugin is off), so this
 * checks the requests against a stand-in server that answers as RabbitMQ's API documents: PUT
 * /api/vhosts/NAME, PUT /api/permissions/NAME/USER with the three patterns, DELETE /api/vhosts/NAME.
 */
class RabbitManagementApiTest {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int status = 201;

    @BeforeEach
    void startStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " " + body + " "
                            + exchange.getRequestHeaders().getFirst("Authorization"));
            int code = exchange.getRequestURI().getPath().equals("/api/whoami") ? 200 : status;
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopStandIn() {
        server.stop(0);
    }

    @Test
    void createsAVhostWithFullPermissionsAndDeletesIt() throws IOException {
        RabbitManagementApi api = api();
        assertTrue(api.answers());
        api.create(List.of("mig_test_1"));
        status = 204;
        api.delete("mig_test_1");
        String auth = "Basic " + Base64.getEncoder().encodeToString("mig:s3cret".getBytes(StandardCharsets.UTF_8));
        assertEquals(
                List.of(
                        "GET /api/whoami  " + auth,
                        "PUT /api/vhosts/mig_test_1 {} " + auth,
                        "PUT /api/permissions/mig_test_1/mig {\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"} "
                                + auth,
                        "DELETE /api/vhosts/mig_test_1  " + auth),
                requests);
    }

    @Test
    void aRefusalSaysWhatWasAttempted() {
        status = 401;
        IOException e = assertThrows(IOException.class, () -> api().create(List.of("mig_test_2")));
        assertTrue(
                e.getMessage().startsWith("cannot create vhost mig_test_2 through the management API at http://"),
                e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    }

    @Test
    void noApiWhereNothingListens() {
        server.stop(0);
        assertFalse(api().answers());
    }

    private RabbitManagementApi api() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new RabbitManagementApi(base, "mig", "s3cret");
    }
}
