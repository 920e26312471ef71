package mig.modules.agentdestroy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.RunContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agentdestroy against processes the test starts, compared with the original's recorded outputs. */
class AgentDestroyTest {

    private static final String DIR = "/golden/agentdestroy/";
    private static final Path ORIGINAL_AGENT = Path.of("/work/orig/bin/mig-agent");
    private static final Path PROC = Path.of("/proc");

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    static String resource(String name) {
        try (InputStream in = AgentDestroyTest.class.getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(p);
        return p;
    }

    /** Another JVM like this one (same executable) running {@link Sleeper}. */
    private Process javaSleeper() throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return start(java, "-cp", System.getProperty("java.class.path"), Sleeper.class.getName());
    }

    private static JsonNode params(long pid, String version) {
        return GoJson.tree("{\"pid\":" + pid + ",\"version\":\"" + version + "\"}");
    }

    private static RunContext context() {
        return RunContext.withTimeout(Duration.ofMinutes(1));
    }

    @Test
    void anotherAgentOnTheSameExecutableIsKilledAndTheExecutableKept() throws IOException {
        Process target = javaSleeper();
        AgentDestroyModule m = new AgentDestroyModule(ProcessHandle.current().pid(), PROC, Sleeper.class.getName());
        ModuleResult r = m.run(params(target.pid(), "0.unversioned"), context());
        String pid = Long.toString(target.pid());
        assertEquals(resource("same-executable.result.json").strip().replace("${PID}", pid), GoJson.marshal(r));
        assertEquals(
                resource("same-executable.pretty")
                        .replace("${PID}", pid)
                        .lines()
                        .toList(),
                m.printResults(r, false));
        await().atMost(Duration.ofMinutes(1)).until(() -> !target.isAlive());
        assertTrue(Files.exists(Path.of(ProcessHandle.current().info().command().orElseThrow())));
    }

    @Test
    void aJavaProgramThatIsNotAnAgentIsNotKilled() throws IOException {
        Process target = javaSleeper();
        ModuleResult r = new AgentDestroyModule().run(params(target.pid(), "0.unversioned"), context());
        assertFalse(r.success());
        assertEquals(
                List.of("PID '" + target.pid() + "' runs "
                        + Files.readSymbolicLink(PROC.resolve("self/exe"))
                        + " but is not a MIG agent (mig.agent.AgentMain). Refusing to kill it."),
                r.errors());
        assertTrue(target.isAlive());
    }

    @Test
    void anOtherProgramNamedLikeAnAgentThatDoesNotAnswerDashVIsLeftAlone() throws IOException {
        // the original's recording: a sleep process, whose "sleep -V" fails
        Path fake = tmp.resolve("mig-agent-fake");
        Files.copy(Path.of("/bin/sleep"), fake);
        fake.toFile().setExecutable(true);
        Process target = start(fake.toString(), "600");
        AgentDestroyModule m = new AgentDestroyModule();
        ModuleResult r = m.run(params(target.pid(), "0.unversioned"), context());
        assertEquals(resource("other-program.result.json").strip(), GoJson.marshal(r));
        assertEquals(resource("other-program.pretty").lines().toList(), m.printResults(r, false));
        assertTrue(target.isAlive());
        assertTrue(Files.exists(fake));
    }

    @Test
    void aProgramNotNamedLikeAnAgentIsNeitherKilledNorRemoved() throws IOException {
        Process target = start("/bin/sleep", "600");
        ModuleResult r = new AgentDestroyModule().run(params(target.pid(), "8.32"), context());
        assertFalse(r.success());
        String exe = Files.readSymbolicLink(PROC.resolve(target.pid() + "/exe")).toString();
        assertEquals(
                List.of("PID '" + target.pid() + "' runs " + exe
                        + ", which is not a MIG agent executable (mig-agent*). Refusing to kill it."),
                r.errors());
        assertTrue(target.isAlive());
    }

    @Test
    void anOriginalAgentOfTheGivenVersionIsKilledAndItsExecutableRemoved() throws Exception {
        assumeTrue(Files.isExecutable(ORIGINAL_AGENT), "no original agent built at " + ORIGINAL_AGENT);
        Path copy = tmp.resolve("mig-agent-0.unversioned");
        Files.copy(ORIGINAL_AGENT, copy);
        // "-m file" waits for its parameters on stdin, which stays open
        Process target = new ProcessBuilder(copy.toString(), "-m", "file")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(target);
        AgentDestroyModule m = new AgentDestroyModule();

        ModuleResult wrong = m.run(params(target.pid(), "20140303-b9536d2"), context());
        assertEquals(List.of("Version mismatch. Expected '20140303-b9536d2', found '0.unversioned'"), wrong.errors());
        assertTrue(target.isAlive());

        ModuleResult r = m.run(params(target.pid(), "0.unversioned"), context());
        assertTrue(r.success(), String.valueOf(r.errors()));
        assertEquals(
                "\"PID " + target.pid() + " from agent 0.unversioned has been killed and its executable removed from "
                        + copy + "\"",
                GoJson.marshal(r.elements()));
        await().atMost(Duration.ofMinutes(1)).until(() -> !target.isAlive());
        assertFalse(Files.exists(copy));
        assertEquals(
                List.of(
                        "PID " + target.pid()
                                + " from agent 0.unversioned has been killed and its executable removed from " + copy,
                        "agentdestroy module has succeeded"),
                m.printResults(r, false));
    }

    @Test
    void itRefusesToKillItself() {
        long me = ProcessHandle.current().pid();
        ModuleResult r = new AgentDestroyModule().run(params(me, "x"), context());
        assertEquals(List.of("PID '" + me + "' is mine. Refusing to suicide."), r.errors());
        assertFalse(r.success());
    }

    @Test
    void everyBadParametersDocumentGetsTheOriginalsResult() {
        List<String> docs = resource("bad-parameters.jsonl").lines().toList();
        assertEquals(13, docs.size());
        for (String line : docs) {
            JsonNode rec = GoJson.tree(line);
            long pid = rec.get("parameters").path("pid").asLong();
            assumeTrue(pid != 65535 || !Files.exists(PROC.resolve("65535")), "a process 65535 runs here");
            ModuleResult r = new AgentDestroyModule().run(rec.get("parameters"), context());
            assertEquals(rec.get("result"), GoJson.tree(GoJson.marshal(r)), line);
        }
    }

    @Test
    void aResultWithoutAStatusPrintsTheErrorsOnly() {
        ModuleResult r = new AgentDestroyModule().run(GoJson.tree("{\"pid\":1,\"version\":\"x\"}"), context());
        assertEquals(
                List.of("[error] PID '1' is not in the range [2:65535]", "agentdestroy module has failed"),
                new AgentDestroyModule().printResults(r, false));
        assertEquals(List.of(), new AgentDestroyModule().printResults(r, true));
    }
}
