package mig.standalone.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.bench.fleet.ActionTrack;
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
 * Two schedulers on one database and one broker, end to end: they compete for new actions and
 * consume the same results queue. Every command must be created and published once, every result
 * stored once; and when one of the two is killed in the middle of an action, the other finishes it.
 */
@ExtendWith(MigServices.class)
class TwoSchedulersIT {

    @TempDir
    Path tmp;

    @Test
    void concurrentActionsArePublishedAndStoredExactlyOnce(TestDatabase tdb, TestBroker broker) throws Exception {
        int agents = 60;
        int actions = 6;
        try (FaultRig rig = FaultRig.start(FaultRig.dbConfig(tdb))) {
            rig.scheduler(broker.connectionFactory());
            rig.scheduler(broker.connectionFactory());
            Fleet fleet = rig.fleet(agents, broker.uri(), 4);

            List<Action> posted = new ArrayList<>();
            for (int i = 0; i < actions; i++) {
                posted.add(rig.submit("status='online'", 0, Duration.ofMinutes(2)));
            }
            for (Action a : posted) {
                rig.awaitCompleted(a.id(), Duration.ofSeconds(30));
                rig.assertExactlyOnce(a.id(), agents, Map.of("success", agents));
                ActionTrack t = fleet.track(a.id());
                assertEquals(agents, t.commands(), "distinct commands delivered for action " + a.id());
                assertEquals(0, t.redelivered(), "no command of action " + a.id() + " was published twice");
            }
        }
    }

    @Test
    void whenOneOfTwoIsKilledMidActionTheOtherFinishesIt(TestDatabase tdb, TestBroker broker) throws Exception {
        int agents = 40;
        try (FaultRig rig = FaultRig.start(FaultRig.dbConfig(tdb))) {
            ChildJvm doomed = rig.own(scheduler("mig-scheduler-a", tdb, broker));
            rig.own(scheduler("mig-scheduler-b", tdb, broker));
            // Results arrive in four waves, one a second, consumed by both schedulers.
            Fleet fleet = rig.fleet(agents, broker.uri(), 10);

            Action a = rig.submit("status='online'", 1_000, Duration.ofMinutes(2));
            await("the first results stored").atMost(Duration.ofSeconds(20)).until(() -> rig.finished(a.id()) >= 5);
            doomed.kill();
            int storedAtKill = rig.finished(a.id());
            assertTrue(storedAtKill < agents, "killed mid-action (" + storedAtKill + " results stored)");

            rig.awaitCompleted(a.id(), Duration.ofSeconds(30));
            rig.assertExactlyOnce(a.id(), agents, Map.of("success", agents));
            Action after = rig.submit("status='online'", 0, Duration.ofMinutes(2));
            rig.awaitCompleted(after.id(), Duration.ofSeconds(20));
            rig.assertExactlyOnce(after.id(), agents, Map.of("success", agents));
            assertEquals(agents, fleet.track(after.id()).commands());
        }
    }

    private ChildJvm scheduler(String name, TestDatabase tdb, TestBroker broker) throws Exception {
        return Programs.scheduler(
                tmp,
                name,
                ConfigFiles.Postgres.of(tdb, 8),
                ConfigFiles.Mq.of(broker),
                FaultRig.HEARTBEAT,
                Duration.ofSeconds(1),
                ChildJvm.SERVER_OPTIONS);
    }
}
