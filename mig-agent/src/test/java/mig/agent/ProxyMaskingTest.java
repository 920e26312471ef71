package mig.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import mig.agent.config.AgentConfig;
import mig.agent.status.AgentStats;
import mig.agent.status.StatusPage;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: {@code mig-agent -S} and the local status page printed proxy passwords in clear, for
 * anyone who can run the one or read the other (the status page answers every local user).
 */
class ProxyMaskingTest {

    static final String RELAY = "amqp://agent:relay-s3cret@relay.acme.net:5672/mig";

    @Test
    void proxyPasswordsAreMaskedInSettingsAndOnTheStatusPage() throws Exception {
        AgentConfig c = AgentConfig.builder()
                .relay(RELAY)
                .proxies(List.of(
                        "alice:pr0xy-s3cret@proxy1.acme.net:3128",
                        "http://bob:0ther-s3cret@proxy2:8080",
                        "proxy3:8888"))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentMain.printSettings(c, Optional.empty(), new PrintStream(out, true, StandardCharsets.UTF_8));
        String settings = out.toString(StandardCharsets.UTF_8);
        String page = StatusPage.render(
                c, Optional.empty(), new AgentStats(10, Clock.systemUTC()), "/usr/lib/mig-agent/mig-agent.jar");
        for (String shown : List.of(settings, page)) {
            assertFalse(shown.contains("s3cret"), shown);
            assertTrue(
                    shown.contains("alice:****@proxy1.acme.net:3128 http://bob:****@proxy2:8080 proxy3:8888"), shown);
        }
        assertEquals(
                List.of(
                        "alice:pr0xy-s3cret@proxy1.acme.net:3128",
                        "http://bob:0ther-s3cret@proxy2:8080",
                        "proxy3:8888"),
                c.proxies(),
                "the agent itself keeps the real ones");
    }
}
