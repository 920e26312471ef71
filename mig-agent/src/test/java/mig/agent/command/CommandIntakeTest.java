package mig.agent.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import mig.agent.spool.Spool;
import mig.agent.spool.Spool.State;
import mig.agent.status.AgentStats;
import mig.agent.testmodules.EchoModule;
import mig.agent.testmodules.NapModule;
import mig.agent.trust.Trust;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.acl.Acl;
import mig.common.json.GoJson;
import mig.common.pgp.KeyGen;
import mig.common.pgp.Keyring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each delivery of a command does, first time and again, with the spool deciding. */
class CommandIntakeTest {

    private static final KeyGen.Generated ALICE = KeyGen.ed25519("Alice <alice@example.net>");
    private static long ids = 9_100_000_000_000L;

    @TempDir
    Path runDir;

    private OperationRunner runner;
    private Spool spool;
    private AgentStats stats;
    private CommandIntake intake;

    @BeforeEach
    void wire() throws Exception {
        runner = new OperationRunner(
                Map.of("echo", new EchoModule(), "nap", new NapModule()), 1, Clock.systemUTC(), false);
        spool = Spool.open(runDir, Clock.systemUTC());
        stats = new AgentStats(15, Clock.systemUTC());
        Trust trust = new Trust(
                Keyring.of(List.of(ALICE.secretKey().publicKey())),
                Acl.parse("{\"default\":{\"minimumweight\":1,\"investigators\":{\"Alice\":{\"fingerprint\":\""
                        + ALICE.fingerprint() + "\",\"weight\":1}}}}"),
                false);
        intake = new CommandIntake(
                new CommandProcessor(trust, runner, Duration.ofSeconds(30), "linux.ours", Clock.systemUTC(), stats),
                spool);
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    private static Command command(Operation op) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Action a = ActionSignatures.sign(
                Action.draft("intake", "status='online'", now.minusSeconds(60), now.plusSeconds(300), List.of(op))
                        .withId(++ids),
                ALICE.secretKey());
        Agent agent = new Agent(
                ++ids,
                "vm",
                "linux.theirs",
                Agent.MODE_DAEMON,
                "0.unversioned",
                1,
                "",
                now,
                null,
                now,
                now,
                Agent.STATUS_ONLINE,
                false,
                null,
                null);
        return new Command(++ids, a, agent, Command.STATUS_SENT, List.of(ModuleResult.EMPTY), now, null);
    }

    private static Operation echo(String marker) {
        return Operation.of("echo", JsonNodeFactory.instance.objectNode().put("marker", marker));
    }

    private static long echoRuns(String marker) {
        return EchoModule.calls().stream()
                .filter(p -> marker.equals(p.path("marker").asText()))
                .count();
    }

    private Command spooled(long id) {
        return spool.pending().stream()
                .filter(p -> p.commandId() == id)
                .map(p -> GoJson.unmarshal(p.body(), Command.class))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aNewCommandRunsOnceAndItsResultWaitsInTheSpool() throws Exception {
        Command cmd = command(echo("intake-new"));
        intake.handle(GoJson.marshalBytes(cmd));
        assertEquals(1, echoRuns("intake-new"));
        assertEquals(State.SPOOLED, spool.state(cmd.id()));
        Command result = spooled(cmd.id());
        assertEquals(Command.STATUS_SUCCESS, result.status());
        assertEquals("linux.ours", result.agent().queueLoc());
        assertEquals(1, stats.entries().size());
        assertTrue(stats.entries().get(0).accepted());
    }

    @Test
    void aRedeliveredCommandIsNotRunAgainWhetherItsResultIsSpooledOrSent() throws Exception {
        Command cmd = command(echo("intake-again"));
        byte[] body = GoJson.marshalBytes(cmd);
        intake.handle(body);
        intake.handle(body);
        assertEquals(1, echoRuns("intake-again"), "redelivered before its result was sent");
        assertEquals(1, spool.pendingCount());
        spool.sent(cmd.id());
        intake.handle(body);
        assertEquals(1, echoRuns("intake-again"), "redelivered after its result was sent");
        assertEquals(0, spool.pendingCount(), "nothing more to send");
    }

    @Test
    void aCommandTheAgentDiedRunningIsAnsweredFailedAndNotRunAgain() throws Exception {
        Command cmd = command(echo("intake-crash"));
        spool.begin(cmd.id(), cmd.action().expireAfter());
        // ... and here the agent was killed; the relay delivers the command again after the restart:
        Spool afterRestart = Spool.open(runDir, Clock.systemUTC());
        assertEquals(State.RUNNING, afterRestart.state(cmd.id()));
        intake.handle(GoJson.marshalBytes(cmd));
        assertEquals(0, echoRuns("intake-crash"));
        Command result = spooled(cmd.id());
        assertEquals(Command.STATUS_FAILED, result.status());
        assertEquals(
                List.of(CommandIntake.DIED_WHILE_RUNNING),
                result.results().get(0).errors());
    }

    @Test
    void aMessageThatIsNotACommandIsDroppedAndNothingIsSpooled() throws Exception {
        intake.handle("not json".getBytes(StandardCharsets.UTF_8));
        intake.handle("{}".getBytes(StandardCharsets.UTF_8));
        intake.handle("null".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, spool.pendingCount());
    }

    @Test
    void anUnsignedCommandIsAnsweredRefusedAndRecordedAsRejected() throws Exception {
        Command signed = command(echo("intake-unsigned"));
        Command unsigned = new Command(
                signed.id(),
                signed.action().withSignatures(List.of()),
                signed.agent(),
                signed.status(),
                signed.results(),
                signed.startTime(),
                null);
        intake.handle(GoJson.marshalBytes(unsigned));
        assertEquals(0, echoRuns("intake-unsigned"));
        assertEquals(Command.STATUS_FAILED, spooled(unsigned.id()).status());
        assertFalse(stats.entries().get(0).accepted());
    }

    @Test
    void aShutdownMidCommandForgetsItSoItRunsAgainAtTheNextStart() throws Exception {
        Path effects = runDir.resolve("effects");
        Command cmd = command(Operation.of(
                "nap",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("marker", "long")
                        .put("seconds", 60)
                        .put("effects", effects.toString())));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                intake.handle(GoJson.marshalBytes(cmd));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        await("the nap started").atMost(Duration.ofSeconds(10)).until(() -> NapModule.runs(effects, "long") > 0);
        assertEquals(State.RUNNING, spool.state(cmd.id()));
        t.interrupt();
        t.join(10_000);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertEquals(State.NEW, spool.state(cmd.id()));
        assertEquals(0, spool.pendingCount());
    }
}
