package mig.bench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FleetTest {

    @Test
    void aRelayClusterIsGivenAsTheNodesUrisSeparatedByCommas() {
        assertEquals(List.of("amqp://h:1/v"), Fleet.relayUris("amqp://h:1/v"));
        assertEquals(
                List.of("amqp://a:5681/mig", "amqp://b:5682/mig"),
                Fleet.relayUris(" amqp://a:5681/mig , amqp://b:5682/mig,"));
    }

    @Test
    void noUriAtAllIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fleet.relayUris(" , "));
        assertEquals("no relay URI in ' , '", e.getMessage());
    }
}
