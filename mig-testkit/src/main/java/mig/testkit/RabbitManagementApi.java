package mig.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Manages vhosts through RabbitMQ's management HTTP API, the cheapest way when the plugin is on: a
 * vhost costs two small requests and works for a broker on another host too. Only plain HTTP on
 * port 15672 is tried.
 */
final class RabbitManagementApi implements VhostAdmin {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String user;
    private final String authorization;
    private final HttpClient http;

    RabbitManagementApi(URI base, String user, String password) {
        this.base = base;
        this.user = user;
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    }

    /** The API of the broker at {@code endpoint}, if it answers our login on port 15672. */
    static Optional<RabbitManagementApi> probe(AmqpEndpoint endpoint) {
        RabbitManagementApi api = new RabbitManagementApi(
                URI.create("http://" + endpoint.host() + ":15672/"), endpoint.user(), endpoint.password());
        return api.answers() ? Optional.of(api) : Optional.empty();
    }

    boolean answers() {
        try {
            return send(request("api/whoami").timeout(PROBE_TIMEOUT).GET()) == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String description() {
        return "management API at " + base;
    }

    @Override
    public int batchSize() {
        return 1;
    }

    @Override
    public void create(List<String> vhosts) throws IOException {
        for (String vhost : vhosts) {
            expect(
                    send(request("api/vhosts/" + AmqpEndpoint.encode(vhost))
                            .PUT(HttpRequest.BodyPublishers.ofString("{}"))),
                    "create vhost " + vhost,
                    201,
                    204);
            expect(
                    send(request("api/permissions/" + AmqpEndpoint.encode(vhost) + "/" + AmqpEndpoint.encode(user))
                            .PUT(HttpRequest.BodyPublishers.ofString(
                                    "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"))),
                    "grant " + user + " on vhost " + vhost,
                    201,
                    204);
        }
    }

    @Override
    public void delete(String vhost) throws IOException {
        expect(send(request("api/vhosts/" + AmqpEndpoint.encode(vhost)).DELETE()), "delete vhost " + vhost, 204, 404);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json");
    }

    private int send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + base, e);
        }
    }

    private void expect(int status, String what, int... accepted) throws IOException {
        for (int ok : accepted) {
            if (status == ok) {
                return;
            }
        }
        throw new IOException("cannot " + what + " through the " + description() + ": HTTP " + status
                + " (the user needs the administrator tag)");
    }
}
