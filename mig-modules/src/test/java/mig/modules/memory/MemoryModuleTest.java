package mig.modules.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.ModuleMessages;
import mig.modules.Modules;
import mig.modules.RunContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory module against a real child process ({@link Probe}) that holds a known text and byte
 * pattern in its heap and maps a library named for this run: found by name, library, content and
 * bytes; not found when absent; a process exiting mid-scan; the deadline; the agent protocol.
 */
class MemoryModuleTest {

    private static final MemoryModule MODULE = new MemoryModule();
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path dir;

    private static Probe.Build build;
    private static Probe probe;
    private static String tag;
    private static String marker;
    private static String hex;
    private static String exeRegex;

    @BeforeAll
    static void startProbe() throws Exception {
        tag = HexFormat.of().formatHex(bytes(4));
        marker = "mig-probe-" + tag;
        hex = HexFormat.of().formatHex(bytes(16));
        build = Probe.build(dir, tag);
        probe = Probe.start(build, marker, hex);
        exeRegex = "^\\\\Q" + build.exe() + "\\\\E$";
    }

    @AfterAll
    static void stopProbe() {
        if (probe != null) {
            probe.kill();
        }
    }

    @Test
    void findsTheProcessByName() {
        ModuleResult r =
                run("{\"searches\":{\"s1\":{\"names\":[\"" + exeRegex + "\"],\"options\":{\"matchall\":true}}}}");
        assertTrue(r.success() && r.foundAnything());
        assertEquals(
                "{\"s1\":[{\"process\":{\"name\":\"" + build.exe() + "\",\"pid\":" + probe.pid() + "},"
                        + "\"search\":{\"names\":[\"" + exeRegex + "\"],"
                        + "\"options\":{\"matchall\":true}}}]}",
                GoJson.marshal(r.elements()));
        assertEquals(0, r.statistics().get("memoryread").asLong(), "a name search reads no memory");
        assertEquals(List.of(build.exe() + " [pid:" + probe.pid() + "] in search 's1'"), MODULE.printResults(r, true));
    }

    @Test
    void findsTheProcessByTheLibraryItMaps() {
        ModuleResult r = run("{\"searches\":{\"lib\":{\"libraries\":[\"libmigprobe-" + tag + "\\\\.so$\"],"
                + "\"options\":{\"matchall\":true}}}}");
        assertEquals(List.of(probe.pid()), pids(r, "lib"));
    }

    @Test
    void findsTheProcessByContentAndByBytesAmongAllProcessesButNeverItself() {
        // while it runs, the module holds its decoded byte patterns in this JVM's heap: scanning itself
        // would always "find" them, as the original always found its own copy
        String onlyHere = HexFormat.of().formatHex(bytes(24));
        // Every process of the machine is read: on a machine crowded with other JVMs this took over a
        // minute, and a search stopped by its deadline misses the probe. The deadline is not what
        // this test is about, so it is generous.
        ModuleResult r = run(
                "{\"searches\":{"
                        + "\"text\":{\"contents\":[\"" + marker + "-[0-9]+\"]},"
                        + "\"raw\":{\"bytes\":[\"" + hex + "\"]},"
                        + "\"self\":{\"bytes\":[\"" + onlyHere + "\"]}}}",
                Duration.ofMinutes(5));
        assertTrue(r.success());
        assertEquals(List.of(probe.pid()), pids(r, "text"));
        assertEquals(List.of(probe.pid()), pids(r, "raw"));
        assertEquals(List.of(0L), pids(r, "self"), "nothing found: this process was not scanned");
        assertEquals(
                "{\"contents\":[\"" + marker + "-[0-9]+\"],\"options\":{}}",
                GoJson.marshal(r.elements().at("/text/0/search")),
                "match-any echoes the one check");
        assertTrue(r.statistics().get("memoryread").asLong() > 0);
        assertTrue(r.statistics().get("processcount").asInt() > 1);
        assertEquals(2, r.statistics().get("totalhits").asInt());
    }

    @Test
    void findsNothingThatIsNotThere() {
        ModuleResult r = run("{\"searches\":{\"s1\":{\"names\":[\"" + exeRegex + "\"],\"contents\":[\"mig-absent-" + tag
                + "\"],\"options\":{\"matchall\":true}},\"s2\":{\"names\":[\"" + exeRegex + "\"],\"bytes\":[\""
                + HexFormat.of().formatHex(bytes(16)) + "\"],\"options\":{\"matchall\":true}}}}");
        assertTrue(r.success());
        assertFalse(r.foundAnything());
        assertEquals(
                List.of("0 match found in search 's1'", "0 match found in search 's2'"),
                MODULE.printResults(r, false).subList(0, 2));
        assertTrue(r.statistics().get("memoryread").asLong() > 0, "the probe's memory was read");
    }

    @Test
    void withoutMatchAllEachCheckIsReportedOnItsOwn() {
        ModuleResult r = run(
                "{\"searches\":{\"s1\":{\"names\":[\"" + exeRegex + "\"],\"libraries\":[\"libabsent-" + tag + "\"]}}}");
        assertTrue(r.foundAnything());
        List<String> lines = MODULE.printResults(r, false);
        assertEquals(
                build.exe() + " [pid:" + probe.pid() + "] in search 's1' on checks name='^\\Q" + build.exe() + "\\E$'",
                lines.get(0));
        assertEquals("0 match found in search 's1' on checks library='libabsent-" + tag + "'", lines.get(1));
        assertEquals(List.of(lines.get(0)), MODULE.printResults(r, true));
    }

    @Test
    void aProcessThatExitsDuringTheScanIsAFailureAndTheScanGoesOn() throws Exception {
        try (Probe victim = Probe.start(build, marker, hex)) {
            List<Long> walked = new ArrayList<>();
            MemoryModule killing = new MemoryModule(Path.of("/proc"), (pid, address) -> {
                walked.add(pid);
                if (pid == victim.pid()) {
                    victim.kill();
                }
            });
            ModuleResult r = killing.run(
                    GoJson.tree("{\"searches\":{\"s1\":{\"names\":[\"" + exeRegex + "\"]," + "\"bytes\":[\"" + hex
                            + "\"],\"options\":{\"matchall\":true}}}}"),
                    RunContext.withTimeout(Duration.ofSeconds(60)));
            assertTrue(r.success());
            assertNull(r.errors());
            assertTrue(walked.contains(victim.pid()) && walked.contains(probe.pid()), walked.toString());
            assertEquals(List.of(probe.pid()), pids(r, "s1"), "the other probe is still found");
            List<String> failures = new ArrayList<>();
            r.statistics().get("failures").forEach(f -> failures.add(f.asText()));
            assertTrue(
                    failures.stream()
                            .anyMatch(f ->
                                    f.startsWith("process " + victim.pid() + " exited during the memory scan, at ")),
                    failures.toString());
            assertTrue(MODULE.printResults(r, false).stream()
                    .anyMatch(
                            l -> l.startsWith("Failure: process " + victim.pid() + " exited during the memory scan")));
        }
    }

    @Test
    void aRunPastItsDeadlineReturnsWhatItHasAndSaysSo() {
        ModuleResult r = MODULE.run(
                GoJson.tree("{\"searches\":{\"s1\":{\"bytes\":[\"" + hex + "\"]}}}"),
                RunContext.withTimeout(Duration.ofSeconds(-1)));
        assertTrue(r.success());
        assertEquals(1, r.errors().size());
        assertTrue(
                r.errors()
                        .get(0)
                        .matches("deadline reached after examining 0 of [0-9]+ processes; results are partial"),
                r.errors().get(0));
        assertEquals(
                "0 match found in search 's1' on checks byte='" + hex + "'",
                MODULE.printResults(r, false).get(0));
    }

    @Test
    void isRegisteredUnderItsName() {
        assertTrue(Modules.get("memory").orElseThrow() instanceof MemoryModule);
    }

    @Test
    void runsThroughTheAgentModuleProtocol() {
        String in = ModuleMessages.parametersMessage(GoJson.tree("{\"searches\":{\"s1\":{\"names\":[\"" + exeRegex
                + "\"],\"contents\":[\"" + marker + "-4242\"],\"options\":{\"matchall\":true}}}}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(
                0,
                ModuleMessages.runFromStdin(
                        MODULE,
                        new BufferedReader(new StringReader(in + "\n")),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        true,
                        Duration.ofSeconds(60)));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(build.exe() + " [pid:" + probe.pid() + "] in search 's1'", lines[0]);
        assertTrue(
                lines[lines.length - 1].matches("Statistics: [0-9]+ processes checked, 1 matched, [0-9]+ failures, "
                        + "ran in [0-9.]+(µs|ms|s)\\."),
                lines[lines.length - 1]);
    }

    private static ModuleResult run(String json) {
        return run(json, Duration.ofSeconds(60));
    }

    private static ModuleResult run(String json, Duration deadline) {
        return MODULE.run(GoJson.tree(json), RunContext.withTimeout(deadline));
    }

    private static List<Long> pids(ModuleResult r, String label) {
        List<Long> pids = new ArrayList<>();
        for (JsonNode e : r.elements().get(label)) {
            pids.add(e.at("/process/pid").asLong());
        }
        return pids;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
