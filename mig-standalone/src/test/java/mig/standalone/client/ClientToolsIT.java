package mig.standalone.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mig.client.agentsearch.AgentSearchMain;
import mig.client.api.MigApiClient;
import mig.client.cli.Colours;
import mig.client.cli.MigMain;
import mig.client.console.ConsoleMain;
import mig.client.generator.ActionGeneratorMain;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Agent;
import mig.common.json.GoJson;
import mig.common.pgp.AuthToken;
import mig.common.pgp.Keyring;
import mig.database.AgentStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client tools against the whole platform (one platform for the class): a scripted
 * {@code mig-console} session that builds, launches and reads a two-operation action; the action
 * generator; the agent search; an investigation signed by a key that only gpg holds; Ctrl-C while
 * following.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientToolsIT {
    @TempDir
    static Path tmp;

    static GpgKey gpgKey;
    static ClientPlatform p;

    @BeforeAll
    static void platform() throws Exception {
        gpgKey = GpgKey.create();
        p = ClientPlatform.start(tmp, List.of(gpgKey.publicKey()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (p != null) {
            p.close();
        }
        if (gpgKey != null) {
            gpgKey.close();
        }
    }

    @Test
    @Order(1)
    void aScriptedConsoleBuildsLaunchesAndReadsATwoOperationAction() {
        String script = String.join(
                        "\n",
                        "status",
                        "search agent where status=online",
                        "search investigator where name=eve",
                        "create action",
                        "setname console file and netstat",
                        "settarget all",
                        "addoperation file",
                        "-path " + p.searchDir,
                        "-name ^planted-ioc\\.txt$",
                        "done",
                        "addoperation netstat",
                        "-lp " + p.platform.apiPort(),
                        "done",
                        "compress true",
                        "details",
                        "launch",
                        "results found",
                        "list all",
                        "exit",
                        "search action where name=console%",
                        "exit")
                + "\n";
        Run run = run(ConsoleMain::run, script, "-q", "-c", p.migrc.toString());
        assertEquals(0, run.code, run.err);
        String out = run.out;
        assertTrue(out.contains("| Agents & Endpoints summary:"), out);
        assertTrue(out.contains(String.format("%20d   %s", p.agent.id(), p.agent.name())), out);
        assertTrue(
                Pattern.compile("\\n +\\d+   eve +active +Default,PermAdmin\\n")
                        .matcher(out)
                        .find(),
                out);
        assertTrue(out.contains("1 agents will be targetted. To get the list, use 'listagents'"), out);
        assertTrue(out.contains("Inserting file operation with parameters:"), out);
        assertTrue(out.contains("Inserting netstat operation with parameters:"), out);
        assertTrue(out.contains("2 operations: 0=file; 1=netstat; "), out);
        Matcher launched = Pattern.compile("Action 'console file and netstat' successfully launched with ID '(\\d+)' "
                        + "on target 'status='online''")
                .matcher(out);
        assertTrue(launched.find(), out);
        assertTrue(
                out.contains(p.agent.name() + " " + p.planted + " [lastmodified:2020-01-02 03:04:05 +0000 UTC, "
                        + "mode:-rw-r--r--, size:5] in search 's1'\n"),
                out);
        assertTrue(out.contains(p.agent.name() + " found listening port " + p.platform.apiPort()), out);
        assertTrue(run.err.contains("1 agent has found results"), run.err);
        assertTrue(run.err.contains("1 sent, 1 done, 1 succeeded"), run.err);
        assertTrue(out.contains("1 agents have returned"), out);
        assertTrue(
                out.contains(launched.group(1)
                        + " ".repeat(14 - launched.group(1).length()) + "   console file and netstat  "),
                out);
    }

    @Test
    @Order(2)
    void theGeneratorSignsAnActionFileAndLaunchesIt() throws Exception {
        Run printed = run(
                MigMain::run,
                "",
                "file",
                "-c",
                p.migrc.toString(),
                "-p",
                "-t",
                "all",
                "-path",
                p.searchDir.toString(),
                "-name",
                "^planted");
        assertEquals(0, printed.code, printed.err);
        Path file = Files.writeString(tmp.resolve("action.json"), printed.out);

        Instant before = Instant.now();
        Run signed = run(ActionGeneratorMain::run, "", "-c", p.migrc.toString(), "-i", file.toString(), "-nolaunch");
        assertEquals(0, signed.code, signed.err);
        assertTrue(signed.out.startsWith("{\n\t\"id\": 0,\n\t\"name\": "), signed.out);
        Action a = GoJson.unmarshal(signed.out, Action.class);
        assertEquals(
                List.of(p.eve.fingerprint()),
                ActionSignatures.verify(a, Keyring.of(List.of(p.eve.secretKey().publicKey()))));
        assertTrue(
                !a.validFrom().isAfter(before.minusSeconds(59)), a.validFrom().toString());
        assertEquals(Duration.ofMinutes(30), Duration.between(a.validFrom(), a.expireAfter()));

        Run launched = run(ActionGeneratorMain::run, "", "-c", p.migrc.toString(), "-i", file.toString());
        assertEquals(0, launched.code, launched.err);
        Matcher id = Pattern.compile("^Successfully launched action (\\d+)\n$").matcher(launched.out);
        assertTrue(id.find(), launched.out);
        MigApiClient api = new MigApiClient(
                p.platform.apiUrl(), () -> AuthToken.make(p.eve.secretKey(), Clock.systemUTC()), "test", false);
        Action done = api.getAction(Long.parseLong(id.group(1)));
        while (!done.status().equals(Action.STATUS_COMPLETED)) {
            done = api.waitAction(done.id(), Duration.ofSeconds(10));
        }
        assertEquals(1, done.counters().success());
    }

    @Test
    @Order(3)
    void theAgentSearchListsAgentsByTargetAndByConsoleQuery() {
        Run byTarget = run(AgentSearchMain::run, "", "-c", p.migrc.toString(), "-t", "all");
        assertEquals(0, byTarget.code, byTarget.err);
        String[] lines = byTarget.out.split("\n");
        assertEquals(
                "name; id; status; version; mode; os; arch; pid; starttime; heartbeattime; tags; environment",
                lines[0]);
        assertEquals(2, lines.length, byTarget.out);
        assertTrue(lines[1].startsWith(p.agent.name() + "; " + p.agent.id() + "; online; "), lines[1]);
        assertTrue(lines[1].contains("; {\"environment\":\"migdemo\"}; {\"init\":"), lines[1]);

        Run byQuery = run(
                AgentSearchMain::run, "", "-c", p.migrc.toString(), "-p", "status=online and name=" + p.agent.name());
        assertEquals(byTarget.out, byQuery.out);

        Run bad = run(AgentSearchMain::run, "", "-c", p.migrc.toString(), "-p", "color=red");
        assertEquals(2, bad.code);
        assertEquals("error: parsing search query: Unknown search key 'color'\n", bad.err);
    }

    @Test
    @Order(4)
    void aKeyOnlyGpgHoldsSignsTheInvestigation() throws Exception {
        Path rc = Files.writeString(
                tmp.resolve("gpg-migrc"),
                "[api]\n    url = \"" + p.platform.apiUrl() + "\"\n"
                        + "[gpg]\n    usegpg = on\n    home = \"" + gpgKey.home() + "\"\n    keyid = "
                        + gpgKey.fingerprint()
                        + "\n");
        Run run = run(
                MigMain::run,
                "",
                "file",
                "-c",
                rc.toString(),
                "-nocountdown",
                "-path",
                p.searchDir.toString(),
                "-name",
                "^planted-ioc\\.txt$");
        assertEquals(0, run.code, run.err);
        assertTrue(run.out.startsWith(p.agent.name() + " " + p.planted + " [lastmodified:"), run.out + run.err);
        assertTrue(run.err.contains("1 sent, 1 done, 1 succeeded"), run.err);
    }

    /**
     * Ctrl-C while following (a second, silent agent keeps the action in flight): the original's
     * notice, then what the real agent returned, and exit 0. Runs last: it leaves the silent agent.
     */
    @Test
    @Order(5)
    void ctrlCStopsFollowingButPrintsWhatArrived() throws Exception {
        Agent ghost = new Agent(
                0,
                "ghost.example.net",
                "linux.ghost" + System.nanoTime(),
                Agent.MODE_DAEMON,
                "1.0",
                4242,
                "",
                Instant.now(),
                null,
                Instant.now(),
                Instant.now(),
                "",
                false,
                p.agent.environment(),
                null);
        new AgentStore(p.platform.database().dataSource()).heartbeat(ghost, Instant.now());
        Path out = tmp.resolve("interrupted.out");
        Path err = tmp.resolve("interrupted.err");
        // perl first sets SIGINT back to its default action, then becomes mig: a suite started in the
        // background by a non-interactive shell (`cmd &`) inherits SIGINT ignored, the JVM then installs
        // no handler for it, and the Ctrl-C below would be dropped (that failed this test twice, both
        // times in suites started that way). perl is in Debian's essential perl-base.
        Process mig = new ProcessBuilder(
                        "perl",
                        "-e",
                        "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\\n\"",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classPath(),
                        "mig.client.cli.MigMain",
                        "file",
                        "-c",
                        p.migrc.toString(),
                        "-nocountdown",
                        "-t",
                        "all",
                        "-path",
                        p.searchDir.toString(),
                        "-name",
                        "^planted-ioc\\.txt$")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            await("the real agent's result shown")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertTrue(
                            Files.readString(err).contains(" 1 / 2 "),
                            "the real agent's result never showed: " + Files.readString(err)));
            assertTrue(Files.readString(err).contains("2 agents will be targeted"), Files.readString(err));
            String status = Files.readString(Path.of("/proc", Long.toString(mig.pid()), "status"));
            Matcher ignored = Pattern.compile("SigIgn:\\s*([0-9a-f]+)").matcher(status);
            assertTrue(
                    ignored.find() && (Long.parseLong(ignored.group(1), 16) & (1L << 1)) == 0,
                    "mig runs with SIGINT ignored, a Ctrl-C cannot reach it: " + status);
            new ProcessBuilder("kill", "-INT", Long.toString(mig.pid())).start().waitFor();
            // a hang detector: at load 13 with a fleet benchmark alongside, 30 s were not enough to fetch and
            // print what arrived
            assertTrue(mig.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "mig did not stop after Ctrl-C");
        } finally {
            mig.destroyForcibly();
        }
        String stderr = Files.readString(err);
        assertEquals(0, mig.exitValue(), stderr);
        assertTrue(stderr.contains(" [cancelling]"), stderr);
        assertTrue(
                stderr.contains("[notice] stopped following action, but agents may still be running.\n"
                        + "fetching available results:\n"),
                stderr);
        assertTrue(stderr.contains("1 agent has found results"), stderr);
        assertEquals(
                p.agent.name() + " " + p.planted + " [lastmodified:2020-01-02 03:04:05 +0000 UTC, "
                        + "mode:-rw-r--r--, size:5] in search 's1'\n",
                Files.readString(out));
    }

    /** The test JVM's class path (surefire's when it passes one), for a tool's own JVM. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    record Run(int code, String out, String err) {}

    static Run run(BiFunction<List<String>, MigMain.Io, Integer> tool, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        MigMain.Io io = new MigMain.Io(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                false,
                false,
                new Colours(false),
                Clock.systemUTC());
        int code = tool.apply(List.of(args), io);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
