package mig.standalone.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The broker goes away in the middle of an action and comes back. The shared broker of the machine
 * is not stopped: the scheduler and every agent reach it through a {@link TcpProxy}, which drops
 * every connection and refuses new ones for the outage, as a dying broker would; queued messages
 * survive, as they do in a restarted broker with durable queues.
 *
 * <p>While it is away the agents finish their modules and cannot deliver the results, and a second
 * action is posted that the scheduler cannot publish. Afterwards: both actions complete, each
 * agent's command once, every result stored once (the agents answer redelivered commands a second
 * time, and the scheduler keeps the first answer), and a third action runs as usual.
 */
@ExtendWith(MigServices.class)
class BrokerOutageIT {

    static final int AGENTS = 20;

    @Test
    void actionsUnderWayAndPostedDuringTheOutageCompleteExactlyOnceAfterIt(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (FaultRig rig = FaultRig.start(FaultRig.dbConfig(tdb));
                TcpProxy proxy = new TcpProxy(broker.host(), broker.port())) {
            rig.scheduler(FaultRig.factory(broker, "127.0.0.1", proxy.port()));
            Fleet fleet = rig.fleet(AGENTS, FaultRig.amqpUri(broker, "127.0.0.1", proxy.port()), AGENTS);

            Action underWay = rig.submit("status='online'", 2_000, Duration.ofMinutes(2));
            ActionTrack track = fleet.track(underWay.id());
            await("every command delivered").atMost(Duration.ofSeconds(20)).until(() -> track.commands() == AGENTS);

            proxy.down();
            Thread.sleep(1_000); // the broker has been gone a while, not a blink, when the action is posted
            Action postedDuring = rig.submit("status='online'", 0, Duration.ofMinutes(2));
            await("every module finished, its result held")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.resultsWaiting() >= AGENTS);
            assertEquals(0, rig.finished(underWay.id()), "no result could reach the scheduler during the outage");
            assertEquals(
                    Action.STATUS_PREPARING,
                    rig.status(postedDuring.id()),
                    "the action posted during the outage waits, stored but not published");
            proxy.up();

            rig.awaitCompleted(underWay.id(), Duration.ofSeconds(40));
            rig.awaitCompleted(postedDuring.id(), Duration.ofSeconds(20));
            rig.assertExactlyOnce(underWay.id(), AGENTS, Map.of("success", AGENTS));
            rig.assertExactlyOnce(postedDuring.id(), AGENTS, Map.of("success", AGENTS));
            assertTrue(track.confirmed() >= AGENTS, "every agent's result was confirmed by the broker in the end");

            Action after = rig.submit("status='online'", 0, Duration.ofMinutes(2));
            rig.awaitCompleted(after.id(), Duration.ofSeconds(20));
            rig.assertExactlyOnce(after.id(), AGENTS, Map.of("success", AGENTS));
            System.out.printf(
                    "broker outage: %d of %d commands were delivered again after it, %d results "
                            + "confirmed for %d commands%n",
                    track.redelivered(), AGENTS, track.confirmed(), AGENTS);
        }
    }
}
