package mig.agent.status;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mig.agent.MigAgent;
import mig.agent.config.AgentConfig;
import mig.agent.trust.Trust;
import mig.common.Action;
import mig.common.Operation;
import mig.common.acl.Acl;
import mig.common.pgp.Keyring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stat socket (spec §10.5) and {@code mig-agent -q}: pid, status page, shutdown guarded by the agent id. */
class StatSocketTest {

    @TempDir
    Path runDir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(int port, String path, String agentId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (agentId != null) {
            b.header("AGENTID", agentId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private MigAgent start(int port) throws Exception {
        AgentConfig config = AgentConfig.builder()
                .relay("amqp://guest:guest@127.0.0.1:1/")
                .api("http://127.0.0.1:1/api/v1/")
                .discoverPublicIp(false)
                .heartbeatFreq(Duration.ofMinutes(5))
                .moduleTimeout(Duration.ofSeconds(5))
                .socket("127.0.0.1:" + port)
                .tag("site", "<paris>")
                .runDir(runDir)
                .build();
        MigAgent agent = MigAgent.start(config, new Trust(Keyring.empty(), Acl.parse(Acl.BUILT_IN), false));
        await("the stat socket listens")
                .atMost(Duration.ofSeconds(10))
                .until(() -> agent.statSocketPort().isPresent());
        return agent;
    }

    @Test
    void itAnswersPidAndTheStatusPageAndStopsOnlyForTheAgentId() throws Exception {
        int port = freePort();
        try (MigAgent agent = start(port)) {
            assertEquals(
                    Long.toString(ProcessHandle.current().pid()),
                    get(port, "/pid", null).body());
            HttpResponse<String> page = get(port, "/", null);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<tr><td>RunDir</td><td>" + runDir + "</td></tr>"), page.body());
            assertTrue(
                    page.body().contains("&#34;site&#34;: &#34;\\u003cparis\\u003e&#34;"),
                    "tags as Go's indented JSON, HTML-escaped: " + page.body());
            assertEquals(404, get(port, "/nothing", null).statusCode());

            HttpResponse<String> none = get(port, "/shutdown", null);
            assertEquals(401, none.statusCode());
            assertEquals("must set AGENTID header", none.body().strip());
            assertEquals(
                    "invalid agent id",
                    get(port, "/shutdown", "x".repeat(80)).body().strip());

            CountDownLatch stopped = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                try {
                    agent.awaitStopRequest();
                    stopped.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.setDaemon(true);
            waiter.start();
            assertFalse(stopped.await(200, TimeUnit.MILLISECONDS), "refused requests did not stop it");
            String uid = Files.readString(runDir.resolve(".migagtid")).strip();
            assertEquals(200, get(port, "/shutdown", uid).statusCode());
            assertTrue(stopped.await(10, TimeUnit.SECONDS), "the agent was asked to stop");
        }
    }

    @Test
    void migAgentDashQPidAsksTheRunningAgent() throws Exception {
        int port = freePort();
        try (MigAgent agent = start(port)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SocketQuery.run(
                    "127.0.0.1:" + port,
                    "pid",
                    runDir,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    Duration.ofSeconds(5));
            assertEquals(ProcessHandle.current().pid() + "\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aBusyPortDoesNotStopTheAgent() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                MigAgent agent = MigAgent.start(
                        AgentConfig.builder()
                                .relay("amqp://guest:guest@127.0.0.1:1/")
                                .api("http://127.0.0.1:1/api/v1/")
                                .discoverPublicIp(false)
                                .socket("127.0.0.1:" + taken.getLocalPort())
                                .runDir(runDir)
                                .build(),
                        new Trust(Keyring.empty(), Acl.parse(Acl.BUILT_IN), false))) {
            Thread.sleep(300); // time for a first try at the port: nothing to await, nothing is to happen
            assertEquals(Optional.empty(), agent.statSocketPort());
            assertFalse(agent.queueLoc().isEmpty());
        }
    }

    @Test
    void theStatusPageListsRecentActionsEscapedAndKeepsTheLastOnes() {
        AgentStats stats = new AgentStats(2, Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        Action base = Action.draft(
                "x",
                "true",
                Instant.EPOCH,
                Instant.EPOCH,
                List.of(Operation.of("File", null), Operation.of("file", null), Operation.of("netstat", null)));
        stats.record(base.withOperations(List.of(Operation.of("memory", null))), true);
        stats.record(base, true);
        stats.record(
                Action.draft("<script>", "true", Instant.EPOCH, Instant.EPOCH, List.of(Operation.of("pkg", null))),
                false);
        String page = StatusPage.render(AgentConfig.builder().build(), Optional.empty(), stats, "/usr/lib/x.jar");
        assertFalse(page.contains("memory"), "only the last 2 are kept");
        assertTrue(
                page.contains("<tr><td>2026-12-01T10:00:00Z</td><td>x</td><td>file, netstat</td><td>Accepted</tr>"),
                page);
        assertTrue(page.contains("<td>&lt;script&gt;</td><td>pkg</td><td>Rejected</tr>"), page);
    }
}
