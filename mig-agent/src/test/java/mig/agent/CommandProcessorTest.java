package mig.agent;

import static mig.agent.TestActions.ALICE;
import static mig.agent.TestActions.BOB;
import static mig.agent.TestActions.MALLORY;
import static mig.agent.TestActions.command;
import static mig.agent.TestActions.draft;
import static mig.agent.TestActions.op;
import static mig.agent.TestActions.signed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mig.agent.command.CommandProcessor;
import mig.agent.command.OperationRunner;
import mig.agent.testmodules.EchoModule;
import mig.agent.testmodules.FailingModule;
import mig.agent.testmodules.SleepModule;
import mig.agent.trust.Trust;
import mig.common.Action;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.acl.Acl;
import mig.common.json.GoJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the agent answers for each kind of command, without a broker. */
class CommandProcessorTest {

    private static final String OURS = "linux.ours";
    private static final String PREFIX = "parseCommands() -> checkActionAuthorization() -> ";

    private final OperationRunner runner = new OperationRunner(
            Map.of("echo", new EchoModule(), "sleep", new SleepModule(), "boom", new FailingModule()),
            1,
            Clock.systemUTC(),
            false);

    @AfterEach
    void stop() {
        runner.close();
    }

    private Command run(Action action) throws InterruptedException {
        return run(action, TestActions.trust(), Duration.ofSeconds(30));
    }

    private Command run(Action action, Trust trust, Duration moduleTimeout) throws InterruptedException {
        CommandProcessor p = new CommandProcessor(trust, runner, moduleTimeout, OURS, Clock.systemUTC());
        Optional<String> out = p.process(GoJson.marshalBytes(command(action, "linux.theirs")));
        assertTrue(out.isPresent());
        return GoJson.unmarshal(out.get(), Command.class);
    }

    private static void assertRefused(Command c, String error) {
        assertEquals(Command.STATUS_FAILED, c.status());
        assertEquals(c.action().operations().size(), c.results().size());
        for (ModuleResult r : c.results()) {
            assertEquals(List.of(error), r.errors());
            assertFalse(r.success());
        }
    }

    @Test
    void runsAnActionSignedWithEnoughWeightAndPutsResultsInOperationOrder() throws Exception {
        Command c = run(signed(draft("two echoes", op("echo", "unit-first"), op("echo", "unit-second")), ALICE));
        assertEquals(Command.STATUS_SUCCESS, c.status());
        assertEquals("unit-first", c.results().get(0).elements().get("marker").asText());
        assertEquals("unit-second", c.results().get(1).elements().get("marker").asText());
        assertTrue(c.results().get(0).foundAnything());
        assertEquals(OURS, c.agent().queueLoc());
    }

    @Test
    void twoLighterSignaturesAddUp() throws Exception {
        Acl acl = Acl.parse(TestActions.aclJson().replace("\"weight\":2", "\"weight\":1"));
        Command c = run(
                signed(draft("alice and bob", op("echo", "unit-both")), ALICE, BOB),
                new Trust(TestActions.keyring(), acl, false),
                Duration.ofSeconds(30));
        assertEquals(Command.STATUS_SUCCESS, c.status());
    }

    @Test
    void refusesAKeyTheAgentDoesNotKnow() throws Exception {
        Command c = run(signed(draft("mallory", op("echo", "unit-unknown-key")), MALLORY));
        String error = c.results().get(0).errors().get(0);
        assertTrue(
                error.startsWith(PREFIX + "action ACL verification failed: "
                        + "failed to retrieve fingerprint from signatures: signature 1 of 1: "),
                error);
        assertRefused(c, error);
        assertFalse(EchoModule.ranWith("unit-unknown-key"));
    }

    @Test
    void refusesASignerTheAclDoesNotWeighEnough() throws Exception {
        Command c = run(signed(draft("bob alone", op("echo", "unit-light")), BOB));
        assertRefused(
                c,
                PREFIX + "action ACL verification failed: permission denied for operation echo, "
                        + "insufficient signatures weight (need 2, got 1)");
        assertFalse(EchoModule.ranWith("unit-light"));
    }

    @Test
    void refusesTheSameKeySigningTwice() throws Exception {
        Command c = run(signed(draft("alice twice", op("echo", "unit-twice")), ALICE, ALICE));
        assertRefused(
                c,
                PREFIX + "action ACL verification failed: permission violation: key " + ALICE.fingerprint()
                        + " used to sign multiple times");
    }

    @Test
    void refusesAnActionChangedAfterSigning() throws Exception {
        Action tampered = signed(draft("tampered", op("echo", "unit-signed")), ALICE)
                .withOperations(List.of(op("echo", "unit-tampered")));
        Command c = run(tampered);
        String error = c.results().get(0).errors().get(0);
        assertTrue(
                error.startsWith(PREFIX + "action ACL verification failed: failed to retrieve fingerprint from "
                        + "signatures: signature 1 of 1: "),
                error);
        assertRefused(c, error);
        assertFalse(EchoModule.ranWith("unit-tampered"));
    }

    @Test
    void refusesAnExpiredAction() throws Exception {
        Instant now = Instant.now();
        Action a = signed(
                draft("expired", op("echo", "unit-expired")).withTimes(now.minusSeconds(600), now.minusSeconds(60)),
                ALICE);
        assertRefused(run(a), PREFIX + "action validation failed: action expireafter is in the past");
        assertFalse(EchoModule.ranWith("unit-expired"));
    }

    @Test
    void refusesAnActionNotValidYet() throws Exception {
        Instant now = Instant.now();
        Action a = signed(
                draft("later", op("echo", "unit-later")).withTimes(now.plusSeconds(600), now.plusSeconds(1200)), ALICE);
        assertRefused(run(a), PREFIX + "Action ValidFrom date is in the future");
        assertFalse(EchoModule.ranWith("unit-later"));
    }

    @Test
    void refusesAnUnsignedAction() throws Exception {
        assertRefused(
                run(draft("unsigned", op("echo", "unit-unsigned"))),
                PREFIX + "action validation failed: action pgpsignatures is empty");
        assertFalse(EchoModule.ranWith("unit-unsigned"));
    }

    @Test
    void onlyVerifyPubKeySkipsTheAclButNotTheSignatures() throws Exception {
        Trust lax = new Trust(TestActions.keyring(), Acl.parse(Acl.BUILT_IN), true);
        assertEquals(
                Command.STATUS_SUCCESS,
                run(signed(draft("bob", op("echo", "unit-lax")), BOB), lax, Duration.ofSeconds(30))
                        .status());
        assertEquals(
                Command.STATUS_FAILED,
                run(signed(draft("mallory", op("echo", "unit-lax-mallory")), MALLORY), lax, Duration.ofSeconds(30))
                        .status());
        assertFalse(EchoModule.ranWith("unit-lax-mallory"));
    }

    @Test
    void anUnknownModuleFailsOnlyItsOwnOperation() throws Exception {
        Command c = run(signed(draft("nope", op("echo", "unit-beside-nope"), op("nope", "x")), ALICE));
        assertEquals(Command.STATUS_FAILED, c.status());
        assertTrue(c.results().get(0).success());
        assertEquals(
                List.of("module 'nope' is not available"), c.results().get(1).errors());
    }

    @Test
    void aModuleThatThrowsFailsWithItsError() throws Exception {
        Command c = run(signed(draft("boom", op("boom", "x")), ALICE));
        assertEquals(Command.STATUS_FAILED, c.status());
        assertEquals(
                List.of("module 'boom' failed: java.lang.IllegalStateException: boom went the module"),
                c.results().get(0).errors());
    }

    @Test
    void aModulePastTheTimeoutIsInterruptedAndReportedAsTimeout() throws Exception {
        Operation sleep =
                Operation.of("sleep", JsonNodeFactory.instance.objectNode().put("seconds", 60));
        int interruptedBefore = SleepModule.interruptions();
        Command c = run(signed(draft("sleepy", sleep), ALICE), TestActions.trust(), Duration.ofMillis(300));
        assertEquals(Command.STATUS_TIMEOUT, c.status());
        assertEquals(ModuleResult.EMPTY, c.results().get(0));
        // Stopped at its timeout, not waited for: the 60 s sleep was cut short.
        await("the module interrupted")
                .atMost(Duration.ofSeconds(30))
                .until(() -> SleepModule.interruptions() > interruptedBefore);
    }

    @Test
    void compressedParametersAreDecompressedBeforeTheModuleSeesThem() throws Exception {
        Command c = run(signed(draft("zipped", op("echo", "unit-zipped").compressed()), ALICE));
        assertEquals(Command.STATUS_SUCCESS, c.status());
        assertEquals("unit-zipped", c.results().get(0).elements().get("marker").asText());
    }

    @Test
    void refusesAnActionWithMoreOperationsThanTheCapWithoutRunningAny() throws Exception {
        Operation[] ops = new Operation[OperationRunner.MAX_OPERATIONS + 1];
        java.util.Arrays.fill(ops, op("echo", "one-of-many"));
        Command c = run(signed(draft("too many", ops), ALICE));
        assertRefused(c, "the action has 101 operations; this agent runs at most 100 per command");
    }

    @Test
    void compressedParametersShareOneBudgetPerCommandAndAnOperationOverItFailsAlone() throws Exception {
        String big = "x".repeat(600 * 1024); // 600 KiB of parameters, compressed to a few hundred bytes
        Command c = run(signed(
                draft("zip bombs", op("echo", big).compressed(), op("echo", big).compressed(), op("echo", "small")),
                ALICE));
        assertEquals(Command.STATUS_FAILED, c.status());
        assertEquals(big, c.results().get(0).elements().get("marker").asText());
        String error = c.results().get(1).errors().get(0);
        assertTrue(
                error.startsWith("operation 'echo': the decompressed parameters of a command may take at most "
                        + "1048576 bytes in all"),
                error);
        assertEquals("small", c.results().get(2).elements().get("marker").asText());
    }

    @Test
    void dropsAMessageThatIsNotACommand() throws Exception {
        CommandProcessor p =
                new CommandProcessor(TestActions.trust(), runner, Duration.ofSeconds(1), OURS, Clock.systemUTC());
        assertTrue(p.process("{not json".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(p.process("null".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }
}
