package mig.agent;

import static mig.agent.TestActions.ALICE;
import static mig.agent.TestActions.command;
import static mig.agent.TestActions.draft;
import static mig.agent.TestActions.op;
import static mig.agent.TestActions.signed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mig.agent.command.OperationRunner;
import mig.agent.testmodules.NapModule;
import mig.common.Command;
import mig.common.Operation;
import mig.modules.RunContext;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that need a real agent process with the packaged agent's JVM flags (64 MB heap): a
 * module that exhausts the heap, a malformed message, a {@code kill -9} in the middle of a
 * command, and an error the agent cannot recover from. The agent must keep serving, and after a crash must neither lose nor re-run the command.
 */
@ExtendWith(MigServices.class)
class AgentFaultIT {

    @TempDir
    Path tmp;

    private Path conf;
    private Path run;

    private AgentProcess startAgent(TestBroker broker, String name) throws Exception {
        return startAgent(broker, name, "60s");
    }

    private AgentProcess startAgent(TestBroker broker, String name, String moduleTimeout) throws Exception {
        if (conf == null) {
            conf = Files.createDirectories(tmp.resolve("etc-mig/agentkeys"));
            Files.writeString(conf.resolve("alice.asc"), ALICE.armoredPublicKey());
            conf = conf.getParent();
            Files.writeString(conf.resolve("acl.cfg"), TestActions.aclJson());
            Files.writeString(
                    conf.resolve("mig-agent.cfg"),
                    "[agent]\n relay = \"" + broker.uri() + "\"\n"
                            + " api = \"http://127.0.0.1:1/api/v1/\"\n discoverpublicip = off\n heartbeatfreq = 5s\n"
                            + " moduletimeout = " + moduleTimeout + "\n socket = \"\"\n");
            run = tmp.resolve("run");
        }
        List<String> flags = new ArrayList<>(AgentProcess.FOOTPRINT_FLAGS);
        return AgentProcess.java(
                flags,
                List.of("-f", "-c", conf.resolve("mig-agent.cfg").toString(), "-rundir", run.toString()),
                tmp.resolve(name + ".log"));
    }

    @Test
    void anAgentWhoseModulesHoldEveryThreadExitsWithStatus70ForItsSupervisor(TestBroker broker) throws Exception {
        // "deaf" ignores its deadline and interrupts: each command leaves one module thread held.
        // Once every thread of the pool (one per module slot, half the cores, plus the spare ones) is
        // held, the next command finds the agent unable to run anything: an Error the agent cannot
        // recover from, on which it must exit with status 70 (EX_SOFTWARE) rather than stay
        // "online" without serving.
        int threads = RunContext.halfTheCores() + OperationRunner.SPARE_THREADS;
        try (FakeScheduler scheduler = new FakeScheduler(broker.connectionFactory());
                AgentProcess agent = startAgent(broker, "agent", "2s")) {
            String queueLoc = scheduler.awaitAgent(run, Duration.ofSeconds(60), agent);
            for (int i = 0; i < threads; i++) {
                Command deaf = command(
                        signed(draft("deaf " + i, Operation.of("deaf", JsonNodeFactory.instance.objectNode())), ALICE),
                        queueLoc);
                scheduler.send(queueLoc, deaf);
                Command got = scheduler.nextResult(Duration.ofSeconds(60));
                assertEquals(deaf.id(), got.id(), agent.log());
                assertEquals(Command.STATUS_TIMEOUT, got.status(), agent.log());
            }
            assertTrue(agent.isAlive(), agent.log());

            Command last = command(signed(draft("one too many", op("echo", "never")), ALICE), queueLoc);
            scheduler.send(queueLoc, last);
            assertEquals(70, agent.waitFor(Duration.ofSeconds(120)), agent.log());
            assertTrue(agent.log().contains("exiting with status 70"), agent.log());
        }
    }

    @Test
    void aModuleThatExhaustsTheHeapFailsAloneAndTheAgentKeepsServing(TestBroker broker) throws Exception {
        try (FakeScheduler scheduler = new FakeScheduler(broker.connectionFactory());
                AgentProcess agent = startAgent(broker, "agent")) {
            String queueLoc = scheduler.awaitAgent(run, Duration.ofSeconds(60), agent);

            scheduler.sendRaw(queueLoc, "{this is not a command");
            Command hog = command(
                    signed(draft("eat the heap", Operation.of("hog", JsonNodeFactory.instance.objectNode())), ALICE),
                    queueLoc);
            scheduler.send(queueLoc, hog);
            Command got = scheduler.nextResult(Duration.ofSeconds(60));
            assertEquals(hog.id(), got.id(), "the malformed message was dropped, not answered");
            assertEquals(Command.STATUS_FAILED, got.status(), agent.log());
            String error = got.results().get(0).errors().get(0);
            assertTrue(error.startsWith("module 'hog' failed: java.lang.OutOfMemoryError"), error);

            Command after = command(signed(draft("still there?", op("echo", "after-oom")), ALICE), queueLoc);
            scheduler.send(queueLoc, after);
            Command ok = scheduler.nextResult(Duration.ofSeconds(30));
            assertEquals(after.id(), ok.id());
            assertEquals(Command.STATUS_SUCCESS, ok.status(), agent.log());
            assertTrue(agent.isAlive());
            assertTrue(agent.log().contains("dropping a message that is not a command"), agent.log());
        }
    }

    @Test
    void aCommandUnderWayWhenTheAgentIsKilledIsAnsweredFailedAfterTheRestartAndNotRunAgain(TestBroker broker)
            throws Exception {
        Path effects = tmp.resolve("effects.log");
        Operation nap = Operation.of(
                "nap",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("marker", "killed-nap")
                        .put("seconds", 60)
                        .put("effects", effects.toString()));
        try (FakeScheduler scheduler = new FakeScheduler(broker.connectionFactory())) {
            Command cmd;
            try (AgentProcess first = startAgent(broker, "first")) {
                String queueLoc = scheduler.awaitAgent(run, Duration.ofSeconds(60), first);
                cmd = command(signed(draft("nap, then die", nap), ALICE), queueLoc);
                scheduler.send(queueLoc, cmd);
                await("the nap started")
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertNotEquals(
                                0,
                                NapModule.runs(effects, "killed-nap"),
                                () -> "the nap never started:\n" + first.log()));
                first.kill9();
            }
            try (AgentProcess second = startAgent(broker, "second")) {
                Command got = scheduler.nextResult(Duration.ofSeconds(60));
                assertEquals(cmd.id(), got.id());
                assertEquals(Command.STATUS_FAILED, got.status(), second.log());
                assertEquals(
                        List.of("the agent stopped while running this command (killed, crashed or out of "
                                + "memory); it is not run again"),
                        got.results().get(0).errors());
                assertEquals(1, NapModule.runs(effects, "killed-nap"), "not run again after the restart");
                assertEquals(List.of(), scheduler.drain(Duration.ofSeconds(2)), "answered once");
            }
        }
    }
}
