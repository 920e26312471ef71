package mig.agent.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import mig.agent.config.AgentConfig;
import mig.common.tls.PemTls;
import mig.testkit.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the agent reads its relay URI: as the original's Go AMQP library does. */
class RelayTest {

    private static ConnectionFactory factory(String uri) throws Exception {
        return Relay.connectionFactory(AgentConfig.builder()
                .relay(uri)
                .heartbeatFreq(Duration.ofSeconds(30))
                .build());
    }

    @Test
    void aTrailingSlashMeansTheDefaultVhostAsInGo() throws Exception {
        assertEquals("/", factory("amqp://guest:guest@localhost:5672/").getVirtualHost());
        assertEquals("/", factory("amqp://guest:guest@localhost:5672").getVirtualHost());
        assertEquals(
                "mig", factory("amqp://agent:pw@relay.example.net:5672/mig").getVirtualHost());
        assertEquals("/", factory("amqp://agent:pw@relay.example.net:5672/%2f").getVirtualHost());
    }

    @Test
    void theConnectionRecoversAndHeartbeatsAtTwiceTheAgentHeartbeat() throws Exception {
        ConnectionFactory f = factory("amqp://agent:pw@relay.example.net:5672/mig");
        assertTrue(f.isAutomaticRecoveryEnabled());
        assertTrue(f.isTopologyRecoveryEnabled());
        assertEquals(60, f.getRequestedHeartbeat());
        assertEquals(5000, f.getConnectionTimeout());
        assertEquals("agent", f.getUsername());
        assertEquals("relay.example.net", f.getHost());
    }

    @Test
    void anAmqpsRelayTakesAPkcs1KeyAsTheOriginalAgentDid(@TempDir Path dir) throws Exception {
        KeyPair kp = TestCerts.rsa();
        Path cert = TestCerts.pem(dir.resolve("cert.pem"), TestCerts.selfSigned(kp, "mig-agent-test", "SHA256withRSA"));
        Path key = TestCerts.pem(dir.resolve("key.pem"), kp.getPrivate());
        assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"));

        ConnectionFactory f = Relay.connectionFactory(AgentConfig.builder()
                .relay("amqps://agent:pw@relay.example.net:5671/mig")
                .heartbeatFreq(Duration.ofSeconds(30))
                .certs(new AgentConfig.Certs(cert.toString(), cert.toString(), key.toString()))
                .build());
        assertTrue(f.isSSL());

        assertEquals(
                cert + " holds no unencrypted PEM private key",
                assertThrows(
                                PemTls.PemException.class,
                                () -> Relay.connectionFactory(AgentConfig.builder()
                                        .relay("amqps://agent:pw@relay.example.net:5671/")
                                        .heartbeatFreq(Duration.ofSeconds(30))
                                        .certs(new AgentConfig.Certs("", cert.toString(), cert.toString()))
                                        .build()))
                        .getMessage());
    }
}
