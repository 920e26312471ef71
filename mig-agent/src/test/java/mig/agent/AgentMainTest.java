package mig.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import mig.common.ModuleResult;
import mig.common.Version;
import mig.common.json.GoJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mig-agent} on the command line: flags, {@code -m}, {@code -i}, {@code -S}, {@code -V}. */
class AgentMainTest {

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    private record Ran(int code, String out, String err) {}

    private Ran run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AgentMain.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String config() throws Exception {
        Path cfg = dir.resolve("mig-agent.cfg");
        Files.writeString(
                cfg,
                "[agent]\nrelay = \"amqp://agent:s3cret@relay.example.net:5672/mig\"\n"
                        + "heartbeatfreq = 30s\nmoduletimeout = 10s\ntags = \"operator:IT\"\n");
        return cfg.toString();
    }

    @Test
    void anUnknownFlagPrintsUsageAndExits2() {
        Ran r = run("", "-x");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("flag provided but not defined: -x\nUsage of mig-agent:\n"), r.err());
        assertTrue(r.err().contains("  -m string\n"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aStringFlagWithoutValueIsAUsageError() {
        Ran r = run("", "-m");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("flag needs an argument: -m\n"), r.err());
    }

    @Test
    void versionIsPrinted() {
        Ran r = run("", "-V");
        assertEquals(0, r.code());
        assertEquals(Version.VERSION + "\n", r.out());
    }

    @Test
    void moduleModeReadsParametersFromStdinAndPrintsTheResult() throws Exception {
        Ran r = run(
                "{\"class\":\"parameters\",\"parameters\":{\"marker\":\"from-stdin\"}}\n",
                "-c",
                config(),
                "-m",
                "echo");
        assertEquals(0, r.code(), r.err());
        JsonNode result = GoJson.tree(r.out());
        assertTrue(result.get("success").asBoolean());
        assertEquals("from-stdin", result.get("elements").get("marker").asText());
        assertEquals(
                GoJson.marshal(GoJson.unmarshal(r.out(), ModuleResult.class)) + "\n", r.out(), "one line of Go JSON");
    }

    @Test
    void moduleModePrettyPrintsWithTheModulesPrinter() throws Exception {
        Ran r = run(
                "{\"class\":\"parameters\",\"parameters\":{\"marker\":\"p\"}}\n", "-c", config(), "-m", "echo", "-p");
        assertEquals(0, r.code(), r.err());
        assertEquals("echo {\"marker\":\"p\"}\n", r.out());
    }

    @Test
    void badStdinGivesAnErrorResultAndANonZeroExit() throws Exception {
        Ran r = run("this is not json\n", "-c", config(), "-m", "echo");
        assertNotEquals(0, r.code());
        JsonNode result = GoJson.tree(r.out());
        assertFalse(result.get("success").asBoolean());
        assertTrue(result.get("errors").get(0).asText().startsWith("module input is not JSON"), r.out());
    }

    @Test
    void anUnknownModuleGivesTheOriginalsError() throws Exception {
        Ran r = run("{\"class\":\"parameters\",\"parameters\":{}}\n", "-c", config(), "-m", "nope");
        assertEquals(1, r.code());
        assertEquals(
                "{\"foundanything\":false,\"success\":false,\"elements\":null,\"statistics\":null,"
                        + "\"errors\":[\"module 'nope' is not available\"]}\n",
                r.out());
    }

    @Test
    void settingsArePrintedWithoutThePassword() throws Exception {
        Ran r = run("", "-c", config(), "-rundir", dir.resolve("run").toString(), "-S");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("AMQPBROKER        :  amqp://agent:****@relay.example.net:5672/mig\n"), r.out());
        assertTrue(r.out().contains("HEARTBEATFREQ     :  30s\n"), r.out());
        assertTrue(r.out().contains("ACLFILE           :  " + dir.resolve("acl.cfg") + "\n"), r.out());
        assertTrue(r.out().contains("RUNDIR            :  " + dir.resolve("run") + "\n"), r.out());
        assertFalse(r.out().contains("s3cret"));
    }

    @Test
    void aBadConfigFileIsRefused() throws Exception {
        Path cfg = dir.resolve("bad.cfg");
        Files.writeString(cfg, "[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\nrelay_url = x\n");
        Ran r = run("", "-c", cfg.toString(), "-S");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("mig-agent: " + cfg + ":4: unknown variable 'relay_url'"), r.err());
    }

    @Test
    void aLocalActionRunsWithoutSignaturesAndPrintsIndentedResults() throws Exception {
        Path action = dir.resolve("action.json");
        Files.writeString(
                action,
                GoJson.marshal(
                        TestActions.draft("local", TestActions.op("echo", "local-run"), TestActions.op("nope", "x"))));
        Ran r = run("", "-c", config(), "-i", action.toString());
        assertEquals(1, r.code(), "one operation failed");
        JsonNode results = GoJson.tree(r.out());
        assertEquals("local-run", results.get(0).get("elements").get("marker").asText());
        assertEquals(
                "module 'nope' is not available",
                results.get(1).get("errors").get(0).asText());
        assertTrue(r.out().startsWith("[\n  {\n    \"foundanything\": true,"), r.out());
    }

    @Test
    void aQueryWithNoAgentListeningSaysWhereItAsked() throws Exception {
        Path cfg = dir.resolve("nobody.cfg");
        Files.writeString(cfg, "[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\nsocket = \"127.0.0.1:1\"\n");
        Ran q = run("", "-c", cfg.toString(), "-q", "pid");
        assertEquals(1, q.code());
        assertTrue(q.err().contains("mig-agent: no agent answers on http://127.0.0.1:1/pid"), q.err());
        Ran unknown = run("", "-c", cfg.toString(), "-q", "status");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown command \"status\": use -q pid or -q shutdown"), unknown.err());
    }

    @Test
    void persistentModulesAreNotSupported() {
        Ran p = run("", "-P", "fswatch");
        assertEquals(1, p.code());
        assertTrue(p.err().contains("persistent modules (-P) are not supported yet"), p.err());
    }
}
