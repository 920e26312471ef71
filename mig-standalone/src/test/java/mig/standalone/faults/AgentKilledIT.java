package mig.standalone.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import mig.bench.platform.Programs;
import mig.bench.proc.ChildJvm;
import mig.common.Action;
import mig.common.Command;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real agents ({@code mig-agent} in child JVMs) are killed with {@code kill -9} while their module
 * runs. The agent acknowledges a command only after its result is confirmed, so the command stays in
 * its queue: the agent started again on the same run folder (same queue and spool) gets it again,
 * sees in its spool that it died running it, and answers {@code failed} without running it again
 * (so a command that kills the agent cannot kill it at every start); the agent that never comes
 * back leaves its command to expire with the action. Either way the action completes, each command
 * once, in a final state the original defines ({@code failed}, {@code expired}), and the restarted
 * agent runs the next command as usual.
 */
@ExtendWith(MigServices.class)
class AgentKilledIT {

    @TempDir
    Path tmp;

    @Test
    void aRestartedAgentAnswersTheCommandItDiedOnAndADeadOnesCommandExpires(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (FaultRig rig = FaultRig.start(FaultRig.dbConfig(tdb))) {
            rig.scheduler(broker.connectionFactory());
            ChildJvm phoenix = rig.own(agent("phoenix", broker, rig));
            ChildJvm dodo = rig.own(agent("dodo", broker, rig));
            await("both agents online").atMost(Duration.ofSeconds(90)).until(() -> rig.onlineAgents() == 2);

            // Valid for a minute: the killed agent restarted in a child JVM must get its command back within
            // it (25 s were not enough at load 14), and the dead one's command expires at its end.
            Action a = rig.submit("status='online'", 4_000, Duration.ofSeconds(60));
            for (ChildJvm agent : new ChildJvm[] {phoenix, dodo}) {
                agent.awaitLog(
                        l -> l.contains("action " + a.id()) && l.contains("sending operation 0 to module"),
                        Duration.ofSeconds(60));
                agent.kill();
            }
            assertEquals(0, rig.finished(a.id()), "no result before the kills");

            ChildJvm reborn = rig.own(agent("phoenix", broker, rig));
            rig.awaitCompleted(a.id(), Duration.ofSeconds(150));
            rig.assertExactlyOnce(a.id(), 2, Map.of(Command.STATUS_FAILED, 1, Command.STATUS_EXPIRED, 1));
            assertTrue(
                    rig.client
                            .commands(a.id(), 10, 0, "&status=failed")
                            .get(0)
                            .results()
                            .get(0)
                            .errors()
                            .get(0)
                            .contains("stopped while running this command"),
                    "the restarted agent says why it failed");

            String queueLoc = "linux." + Files.readString(tmp.resolve("phoenix/run/.migagtid"), StandardCharsets.UTF_8);
            Action after = rig.submit("queueloc='" + queueLoc + "'", 0, Duration.ofMinutes(2));
            rig.awaitCompleted(after.id(), Duration.ofSeconds(120));
            rig.assertExactlyOnce(after.id(), 1, Map.of(Command.STATUS_SUCCESS, 1));
            System.out.printf(
                    "agents killed mid-command: the restarted %s answered it failed, the dead one's " + "expired%n",
                    reborn.name());
        }
    }

    /** A real agent trusting the rig's investigator; the same name gives the same run folder and queue. */
    private ChildJvm agent(String name, TestBroker broker, FaultRig rig) throws Exception {
        Path home = tmp.resolve(name);
        return Programs.agent(
                tmp,
                name,
                home.resolve("conf"),
                home.resolve("run"),
                broker.uri(),
                rig.apiUrl(),
                FaultRig.HEARTBEAT,
                rig.inv);
    }
}
