package mig.agent.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import mig.agent.config.AgentConfig;
import mig.common.tls.PemTls;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the agent reads its relay URI: as the original's Go AMQP library does. */
class RelayTest {

    private static ConnectionFactory factory(String uri) throws Exception {
        return Relay.connectionFactory(AgentConfig.builder().relay(uri).heartbeatFreq(Duration.ofSeconds(30)).build());
    }

    @Test
    void aTrailingSlashMeansTheDefaultVhostAsInGo() throws Exception {
        assertEquals("/", factory("amqp://guest:guest@localhost:5672/").getVirtualHost());
        assertEquals("/", factory("amqp://guest:guest@localhost:5672").getVirtualHost());
        assertEquals("mig", factory("amqp://agent:pw@relay.example.net:5672/mig").getVirtualHost());
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
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair kp = rsa.generateKeyPair();
        X500Name dn = new X500Name("CN=mig-agent-test");
        Instant now = Instant.now();
        Path cert = pem(dir.resolve("cert.pem"), new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(dn, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                        Date.from(now.plusSeconds(3600)), dn, kp.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()))));
        Path key = pem(dir.resolve("key.pem"), kp.getPrivate());
        assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"));

        ConnectionFactory f = Relay.connectionFactory(AgentConfig.builder()
                .relay("amqps://agent:pw@relay.example.net:5671/mig").heartbeatFreq(Duration.ofSeconds(30))
                .certs(new AgentConfig.Certs(cert.toString(), cert.toString(), key.toString())).build());
        assertTrue(f.isSSL());

        assertEquals(cert + " holds no unencrypted PEM private key", assertThrows(PemTls.PemException.class,
                () -> Relay.connectionFactory(AgentConfig.builder().relay("amqps://agent:pw@relay.example.net:5671/")
                        .heartbeatFreq(Duration.ofSeconds(30))
                        .certs(new AgentConfig.Certs("", cert.toString(), cert.toString())).build())).getMessage());
    }

    private static Path pem(Path file, Object o) throws Exception {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return file;
    }
}
