package mig.standalone.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import mig.bench.fleet.Fleet;
import mig.bench.platform.ConfigFiles;
import mig.bench.platform.Programs;
import mig.bench.proc.ChildJvm;
import mig.common.Action;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler is killed ({@code kill -9}, no shutdown hook runs) in the middle of an action and
 * started again: it runs as a child JVM ({@code mig-scheduler -c scheduler.cfg}) so the kill is
 * real. Results that arrive while no scheduler runs wait in the durable {@code mig.agt.results}
 * queue; those the killed scheduler had received but not acknowledged are delivered again.
 */
@ExtendWith(MigServices.class)
class SchedulerKilledIT {

    /**
     * How long a restarted scheduler may take to finish an action: these tests check that nothing is
     * lost or stored twice, not speed, and on a loaded 2-core machine a child JVM's start, 300
     * simulated agents and the broker share the CPU (34 s were seen under a load average of 31).
     */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void killedWhileResultsArriveTheRestartedSchedulerStoresEveryResultOnce(TestDatabase tdb, TestBroker broker)
            throws Exception {
        int agents = 40;
        try (FaultRig rig = FaultRig.start(FaultRig.dbConfig(tdb))) {
            ChildJvm first = rig.own(startScheduler(tdb, broker));
            // 10 workers for 40 agents whose module takes a second: results arrive in four waves.
            Fleet fleet = rig.fleet(agents, broker.uri(), 10);

            Action a = rig.submit("status='online'", 1_000, Duration.ofMinutes(2));
            await("the first results stored").atMost(Duration.ofSeconds(90)).until(() -> rig.finished(a.id()) >= 5);
            first.kill();
            int storedBeforeKill = rig.finished(a.id());
            assertTrue(
                    storedBeforeKill < agents,
                    "killed mid-action (" + storedBeforeKill + " of " + agents + " results stored)");
            await("every agent answered")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> fleet.track(a.id()).confirmed() >= agents);

            rig.own(startScheduler(tdb, broker));
            rig.awaitCompleted(a.id(), PATIENCE);
            rig.assertExactlyOnce(a.id(), agents, Map.of("success", agents));

            Action after = rig.submit("status='online'", 0, Duration.ofMinutes(2));
            rig.awaitCompleted(after.id(), PATIENCE);
            rig.assertExactlyOnce(after.id(), agents, Map.of("success", agents));
            System.out.printf(
                    "scheduler killed with %d of %d results stored; the restarted one stored the rest%n",
                    storedBeforeKill, agents);
        }
    }

    @Test
    void killedWhilePublishingTheRestartedSchedulerPublishesTheRestAndFinishes(TestDatabase tdb, TestBroker broker)
            throws Exception {
        int agents = 300;
        try (FaultRig rig = FaultRig.start(FaultRig.dbConfig(tdb))) {
            ChildJvm first = rig.own(startScheduler(tdb, broker));
            Fleet fleet = rig.fleet(agents, broker.uri(), 4);

            Action a = rig.submit("status='online'", 0, Duration.ofMinutes(2));
            // The first command reaching an agent means the scheduler is publishing the 300.
            await("the first command delivered")
                    .atMost(Duration.ofSeconds(120))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> fleet.track(a.id()).commands() > 0);
            first.kill();
            String statusAtKill = rig.status(a.id());
            int deliveredAtKill = fleet.track(a.id()).commands();

            rig.own(startScheduler(tdb, broker));
            rig.awaitCompleted(a.id(), PATIENCE);
            rig.assertExactlyOnce(a.id(), agents, Map.of("success", agents));
            System.out.printf(
                    "scheduler killed with the action %s and %d of %d commands delivered; %d commands "
                            + "were delivered twice after the restart%n",
                    statusAtKill, deliveredAtKill, agents, fleet.track(a.id()).redelivered());
        }
    }

    private ChildJvm startScheduler(TestDatabase tdb, TestBroker broker) throws Exception {
        return Programs.scheduler(
                tmp,
                "mig-scheduler",
                ConfigFiles.Postgres.of(tdb, 8),
                ConfigFiles.Mq.of(broker),
                FaultRig.HEARTBEAT,
                Duration.ofSeconds(1),
                ChildJvm.SERVER_OPTIONS);
    }
}
