package mig.standalone.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import mig.bench.fleet.ActionTrack;
import mig.bench.fleet.Fleet;
import mig.common.Action;
import mig.testkit.MigServices;
import mig.testkit.TcpProxy;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker stops answering the scheduler for longer than its 30 s confirm timeout without
 * closing the connection, as RabbitMQ does to publishers while a memory or disk alarm lasts. The
 * commands are published but their confirms are held back. When the broker answers again, every
 * command must reach its agent once: a slow confirm is not a lost message, and publishing the
 * commands again on top of the held ones doubles the broker's work exactly when it is overloaded
 * (on a loaded 2-core machine a 5,000-agent action was published 2.8 times over this way, see
 * docs/performance.md).
 */
@ExtendWith(MigServices.class)
class BrokerStallIT {

    static final int AGENTS = 10;

    @Test
    void commandsWhoseConfirmsComeLateAreNotPublishedTwice(TestDatabase tdb, TestBroker broker) throws Exception {
        try (FaultRig rig = FaultRig.start(FaultRig.dbConfig(tdb));
                TcpProxy proxy = new TcpProxy(broker.host(), broker.port())) {
            rig.scheduler(FaultRig.factory(broker, "127.0.0.1", proxy.port()));
            Fleet fleet = rig.fleet(AGENTS, broker.uri(), AGENTS);

            // A first action, so that the scheduler's publishing channel is open before the stall.
            Action first = rig.submit("status='online'", 0, Duration.ofMinutes(3));
            rig.awaitCompleted(first.id(), Duration.ofSeconds(20));

            proxy.stall();
            Action a = rig.submit("status='online'", 0, Duration.ofMinutes(3));
            await("the action stored and being published")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Action.STATUS_PREPARING.equals(rig.status(a.id())));
            // Time passing is the fault: longer than the 30 s after which the scheduler used to give up
            // on the confirms and publish the commands again.
            Thread.sleep(35_000);
            proxy.resume();

            rig.awaitCompleted(a.id(), Duration.ofSeconds(20));
            rig.assertExactlyOnce(a.id(), AGENTS, Map.of("success", AGENTS));
            ActionTrack track = fleet.track(a.id());
            assertEquals(AGENTS, track.commands());
            assertEquals(
                    0,
                    track.redelivered(),
                    "commands published a second time while the first copies were "
                            + "only waiting for their confirms");
        }
    }
}
