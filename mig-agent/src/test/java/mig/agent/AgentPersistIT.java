package mig.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import mig.agent.config.AgentConfig;
import mig.agent.env.HostFacts;
import mig.agent.persist.PersistSettings;
import mig.common.json.GoJson;
import mig.modules.Modules;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole agent (real broker) with fswatch and dispatch configured in its configuration folder, as
 * an agent run from the development tree reads them: a file change on the endpoint reaches the
 * HTTP endpoint the test runs, with the agent's own host name, environment and tags.
 */
@ExtendWith(MigServices.class)
class AgentPersistIT {
    @TempDir
    Path tmp;

    @Test
    void theAgentSupervisesFswatchAndItsAlertReachesTheDispatchEndpoint(TestBroker broker) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            Path watched = Files.createDirectories(tmp.resolve("watched"));
            Path file = Files.writeString(watched.resolve("authorized_keys"), "ssh-ed25519 AAAA alice\n");
            Path etc = Files.createDirectories(tmp.resolve("etc-mig"));
            Files.writeString(etc.resolve("fswatch.cfg"), "[paths]\npath = " + watched + "\n");
            Files.writeString(
                    etc.resolve("dispatch.cfg"),
                    "[dispatch]\nhttpurl = \"http://127.0.0.1:"
                            + server.getAddress().getPort() + "/mig\"\n");
            AgentConfig config = AgentConfig.builder()
                    .relay(broker.uri())
                    .api("http://127.0.0.1:1/api/v1/")
                    .discoverPublicIp(false)
                    .socket("")
                    .tag("operator", "IT")
                    .confDir(etc)
                    .runDir(tmp.resolve("run"))
                    .build();
            try (MigAgent agent = MigAgent.start(
                    config,
                    TestActions.trust(),
                    Modules.all(),
                    Clock.systemUTC(),
                    PersistSettings.forAgent(Optional.empty(), config))) {
                HostFacts facts = await("the agent looked at its endpoint")
                        .atMost(Duration.ofSeconds(60))
                        .until(agent::facts, Optional::isPresent)
                        .get();
                await("fswatch is watching")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> agent.persistentModules().fswatch().isPresent()
                                && agent.persistentModules().fswatch().get().knows(file));

                Files.writeString(file, "ssh-ed25519 AAAA alice\nssh-rsa BBBB mallory\n");

                await("the alert reached the endpoint")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> !received.isEmpty());
                JsonNode r = GoJson.tree(received.get(0));
                assertEquals(facts.hostname(), r.get("hostname").asText());
                assertEquals(facts.env().os(), r.get("environment").get("os").asText());
                assertEquals("IT", r.get("tags").get("operator").asText());
                assertEquals("critical", r.get("event").get("severity").asText());
                assertTrue(
                        r.get("event").get("alert").asText().startsWith(file + " signature changed "), received.get(0));
            }
        } finally {
            server.stop(0);
        }
    }
}
