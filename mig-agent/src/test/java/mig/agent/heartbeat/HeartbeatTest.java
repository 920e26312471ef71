package mig.agent.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.agent.MigAgent;
import mig.agent.config.AgentConfig;
import mig.agent.trust.Trust;
import mig.common.Version;
import mig.common.acl.Acl;
import mig.common.heartbeat.HeartbeatAuth;
import mig.common.json.GoJson;
import mig.common.pgp.Keyring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats against a stand-in API on 127.0.0.1 that answers {@code /api/v1/ip} and records
 * {@code /api/v1/heartbeat}. The relay points at a closed port: an agent without a relay still
 * heartbeats.
 */
class HeartbeatTest {

    private static final String PUBLIC_IP = "203.0.113.7";

    @TempDir
    Path runDir;

    private HttpServer api;
    private final BlockingQueue<String> heartbeats = new LinkedBlockingQueue<>();
    private final List<String> contentTypes = new ArrayList<>();
    private final BlockingQueue<String> signatures = new LinkedBlockingQueue<>();

    @BeforeEach
    void startApi() throws IOException {
        startApi(0);
    }

    private void startApi(int port) throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        api.createContext("/api/v1/ip", ex -> {
            byte[] body = PUBLIC_IP.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        api.createContext("/api/v1/heartbeat", ex -> {
            synchronized (contentTypes) {
                contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
            }
            String signature = ex.getRequestHeaders().getFirst(HeartbeatAuth.HEADER);
            signatures.add(signature == null ? "none" : signature);
            heartbeats.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"error\":null}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        api.start();
    }

    @AfterEach
    void stopApi() {
        api.stop(0);
    }

    private AgentConfig config() {
        return AgentConfig.builder()
                .relay("amqp://guest:guest@127.0.0.1:1/")
                .api("http://127.0.0.1:" + api.getAddress().getPort() + "/api/v1/")
                .heartbeatFreq(Duration.ofMillis(500))
                .moduleTimeout(Duration.ofSeconds(5))
                .tag("operator", "IT")
                .tag("environment", "test")
                .socket("")
                .runDir(runDir)
                .build();
    }

    private static Trust nobody() {
        return new Trust(Keyring.empty(), Acl.parse(Acl.BUILT_IN), false);
    }

    private JsonNode nextHeartbeat() throws InterruptedException {
        String body = heartbeats.poll(20, TimeUnit.SECONDS);
        assertNotNull(body, "no heartbeat within 20 s");
        return GoJson.tree(body);
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    private static JsonNode recorded() throws IOException {
        try (InputStream in = HeartbeatTest.class.getResourceAsStream("/heartbeat-original.json")) {
            return GoJson.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void heartbeatsAreSignedOnlyWhenTheBuildCarriesASecret() throws Exception {
        try (MigAgent agent = MigAgent.start(config(), nobody())) {
            nextHeartbeat();
            assertEquals("none", signatures.poll(5, TimeUnit.SECONDS), "unsigned by default, as the original");
        }
        heartbeats.clear();
        signatures.clear();
        String secret = "s3cret-compiled-into-the-agents";
        AgentConfig signed = AgentConfig.builder()
                .relay("amqp://guest:guest@127.0.0.1:1/")
                .api("http://127.0.0.1:" + api.getAddress().getPort() + "/api/v1/")
                .heartbeatFreq(Duration.ofMillis(500))
                .moduleTimeout(Duration.ofSeconds(5))
                .socket("")
                .runDir(runDir)
                .heartbeatSecret(secret)
                .build();
        try (MigAgent agent = MigAgent.start(signed, nobody())) {
            String body = heartbeats.poll(20, TimeUnit.SECONDS);
            assertNotNull(body, "no heartbeat within 20 s");
            String signature = signatures.poll(5, TimeUnit.SECONDS);
            assertTrue(
                    HeartbeatAuth.verify(secret, body.getBytes(StandardCharsets.UTF_8), signature),
                    "signature " + signature);
        }
    }

    @Test
    void theHeartbeatHasTheOriginalsFieldsInTheOriginalsOrder() throws Exception {
        JsonNode original = recorded();
        try (MigAgent agent = MigAgent.start(config(), nobody())) {
            JsonNode hb = nextHeartbeat();
            assertEquals(keys(original), keys(hb));
            assertEquals(keys(original.get("environment")), keys(hb.get("environment")));
            assertEquals(keys(original.get("tags").get(0)), keys(hb.get("tags").get(0)));

            assertEquals(agent.queueLoc(), hb.get("queueLoc").asText());
            assertEquals("daemon", hb.get("mode").asText());
            assertEquals(Version.VERSION, hb.get("version").asText());
            assertEquals(ProcessHandle.current().pid(), hb.get("pid").asLong());
            assertEquals(PUBLIC_IP, hb.get("environment").get("publicIP").asText());
            assertEquals("linux", hb.get("environment").get("os").asText());
            assertTrue(hb.get("environment").get("modules").toString().contains("\"echo\""), hb.toString());
            assertEquals(
                    "[{\"name\":\"environment\",\"value\":\"test\"},{\"name\":\"operator\",\"value\":\"IT\"}]",
                    hb.get("tags").toString());

            JsonNode second = nextHeartbeat();
            assertEquals(hb.get("refreshTime"), second.get("refreshTime"), "nothing changed, no refresh");
            assertTrue(Files.exists(runDir.resolve("mig-agent.ok")));
        }
        synchronized (contentTypes) {
            assertEquals("application/json", contentTypes.get(0));
        }
    }

    @Test
    void theQueueLocationSurvivesARestart() throws Exception {
        String first;
        try (MigAgent agent = MigAgent.start(config(), nobody())) {
            first = agent.queueLoc();
            assertEquals(first, nextHeartbeat().get("queueLoc").asText());
        }
        heartbeats.clear();
        try (MigAgent agent = MigAgent.start(config(), nobody())) {
            assertEquals(first, agent.queueLoc());
            assertEquals(first, nextHeartbeat().get("queueLoc").asText());
        }
        assertEquals(first, "linux." + Files.readString(runDir.resolve(".migagtid")));
    }

    @Test
    void withoutAnIpAnswerTheAgentReportsALocalAddress() throws Exception {
        api.removeContext("/api/v1/ip");
        try (MigAgent agent = MigAgent.start(config(), nobody())) {
            JsonNode hb = nextHeartbeat();
            assertEquals(agent.queueLoc(), hb.get("queueLoc").asText());
            String ip = hb.get("environment").get("publicIP").asText();
            assertTrue(!ip.isEmpty() && !ip.contains("/"), ip);
        }
    }

    @Test
    void heartbeatsResumeWhenTheApiComesBack() throws Exception {
        try (MigAgent agent = MigAgent.start(config(), nobody())) {
            nextHeartbeat();
            int port = api.getAddress().getPort();
            api.stop(0);
            Thread.sleep(1500); // an outage of three heartbeat periods: the time passing is the test
            heartbeats.clear();
            startApi(port);
            JsonNode hb = nextHeartbeat();
            assertEquals(agent.queueLoc(), hb.get("queueLoc").asText(), "the agent outlived the API outage");
        }
    }
}
