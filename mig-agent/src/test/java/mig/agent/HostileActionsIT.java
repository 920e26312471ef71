package mig.agent;

import static mig.agent.TestActions.ALICE;
import static mig.agent.TestActions.command;
import static mig.agent.TestActions.draft;
import static mig.agent.TestActions.op;
import static mig.agent.TestActions.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import mig.agent.command.OperationRunner;
import mig.common.Action;
import mig.common.Command;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Actions an attacker with a valid signature (or a careless investigator) could send, against a
 * real agent process with the packaged launcher's JVM flags (64 MB heap). Each must be answered,
 * and the agent must then answer the next normal action: no action may leave it dead, stuck, or
 * "online" without serving.
 */
@ExtendWith(MigServices.class)
class HostileActionsIT {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Duration ANSWER = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private Path run;

    private AgentProcess startAgent(TestBroker broker) throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("etc-mig/agentkeys"));
        Files.writeString(conf.resolve("alice.asc"), ALICE.armoredPublicKey());
        conf = conf.getParent();
        Files.writeString(conf.resolve("acl.cfg"), TestActions.aclJson());
        Files.writeString(
                conf.resolve("mig-agent.cfg"),
                "[agent]\n relay = \"" + broker.uri() + "\"\n"
                        + " api = \"http://127.0.0.1:1/api/v1/\"\n discoverpublicip = off\n heartbeatfreq = 5s\n"
                        + " moduletimeout = 60s\n socket = \"\"\n");
        run = tmp.resolve("run");
        return AgentProcess.java(
                new ArrayList<>(AgentProcess.FOOTPRINT_FLAGS),
                List.of("-f", "-c", conf.resolve("mig-agent.cfg").toString(), "-rundir", run.toString()),
                tmp.resolve("agent.log"));
    }

    /** Sends {@code hostile}, awaits its answer, then proves the agent still serves. */
    private Command survives(TestBroker broker, Action hostile) throws Exception {
        try (FakeScheduler scheduler = new FakeScheduler(broker.connectionFactory());
                AgentProcess agent = startAgent(broker)) {
            String queueLoc = scheduler.awaitAgent(run, Duration.ofSeconds(60), agent);
            Command cmd = command(signed(hostile, ALICE), queueLoc);
            scheduler.send(queueLoc, cmd);
            Command got = scheduler.nextResult(ANSWER);
            assertEquals(cmd.id(), got.id(), agent.log());

            Command normal = command(signed(draft("still there?", op("echo", "after")), ALICE), queueLoc);
            scheduler.send(queueLoc, normal);
            Command ok = scheduler.nextResult(Duration.ofSeconds(60));
            assertEquals(normal.id(), ok.id(), agent.log());
            assertEquals(Command.STATUS_SUCCESS, ok.status(), agent.log());
            assertEquals("after", ok.results().get(0).elements().get("marker").asText());
            assertTrue(agent.isAlive(), agent.log());
            return got;
        }
    }

    @Test
    void fourCompressedOperationsOfSixteenMegabytesEachAreRefusedNotDecompressedIntoTheHeap(TestBroker broker)
            throws Exception {
        // {"localmac":["aaaa...16 MB"]}: 16 KB once gzipped, 84 KB for the four of them in the action
        ObjectNode params = JSON.objectNode();
        params.putArray("localmac").add("a".repeat(16 * 1024 * 1024 - 20));
        Operation bomb = Operation.of("netstat", params).compressed();
        params = null;
        Action action = draft("zip bomb", bomb, bomb, bomb, bomb);
        assertTrue(GoJson.marshalBytes(action).length < 100_000, "a small action");
        Command got = survives(broker, action);
        assertEquals(Command.STATUS_FAILED, got.status());
        for (int i = 0; i < 4; i++) {
            String error = got.results().get(i).errors().get(0);
            assertTrue(
                    error.startsWith("operation 'netstat': the decompressed parameters of a command may take at "
                            + "most 1048576 bytes in all"),
                    error);
        }
    }

    @Test
    void aThousandOperationsAreRefusedWithoutRunningAny(TestBroker broker) throws Exception {
        Operation[] ops = new Operation[1000];
        Arrays.fill(ops, op("echo", "one of a thousand"));
        Command got = survives(broker, draft("a thousand", ops));
        assertEquals(Command.STATUS_FAILED, got.status());
        assertEquals(1000, got.results().size());
        assertEquals(
                List.of("the action has 1000 operations; this agent runs at most " + OperationRunner.MAX_OPERATIONS
                        + " per command"),
                got.results().get(999).errors());
    }

    /** Exponential for a backtracking engine, linear for RE2. */
    private static final List<String> CATASTROPHIC =
            List.of("(.*,){11}P", "(a+)+$", "(x+x+)+y", "(.*a){20}[bc]", "((a{100}){10}){1}", "!(.*,){11}P");

    @Test
    void catastrophicRegexesInEveryRegexParameterOfFileAndMemoryRunInLinearTime(TestBroker broker) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        String line = "2026-12-06,host-01,ok,".repeat(19).substring(0, 399) + "\n";
        Files.writeString(dir.resolve("export.csv"), line.repeat(100));
        Files.writeString(dir.resolve("a".repeat(200) + ",".repeat(20)), "a".repeat(5000) + "\n");

        ObjectNode file = JSON.objectNode();
        ObjectNode fileSearches = file.putObject("searches");
        for (String filter : List.of("names", "contents", "modes")) {
            ObjectNode s = fileSearches.putObject(filter);
            s.putArray("paths").add(dir.toString());
            ArrayNode res = s.putArray(filter);
            CATASTROPHIC.forEach(res::add);
        }
        ObjectNode memory = JSON.objectNode();
        ObjectNode memSearches = memory.putObject("searches");
        for (String filter : List.of("names", "libraries", "contents")) {
            ObjectNode s = memSearches.putObject(filter);
            ArrayNode res = s.putArray(filter);
            CATASTROPHIC.stream().filter(re -> !re.startsWith("!")).forEach(res::add);
            s.putObject("options").put("maxlength", 65536);
        }
        Command got = survives(
                broker, draft("catastrophic regexes", Operation.of("file", file), Operation.of("memory", memory)));
        assertEquals(Command.STATUS_SUCCESS, got.status(), () -> GoJson.marshal(got.results()));
        for (int i = 0; i < 2; i++) {
            JsonNode r = GoJson.toTree(got.results().get(i));
            assertTrue(got.results().get(i).success(), r::toString);
            List<String> errors = got.results().get(i).errors() == null
                    ? List.of()
                    : got.results().get(i).errors();
            assertTrue(errors.stream().noneMatch(e -> e.contains("deadline")), r::toString);
        }
    }
}
