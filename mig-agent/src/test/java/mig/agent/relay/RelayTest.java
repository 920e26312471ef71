package mig.agent.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import mig.agent.config.AgentConfig;
import org.junit.jupiter.api.Test;

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
}
