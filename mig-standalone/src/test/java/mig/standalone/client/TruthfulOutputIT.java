package mig.standalone.client;

import static mig.standalone.client.ClientToolsIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import mig.client.cli.MigMain;
import mig.client.console.ConsoleMain;
import mig.client.generator.ActionGeneratorMain;
import mig.common.Action;
import mig.common.Permission;
import mig.common.json.GoJson;
import mig.common.pgp.KeyGen;
import mig.database.InvestigatorStore;
import mig.standalone.client.ClientToolsIT.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code mig} and {@code mig-console} print and exit with when an investigation does not go
 * as planned, against the whole platform: a target that selects no agent, an agent refusing the
 * investigator's key, a search cut at its match limit, a module given no parameters, a scripted
 * console order that fails.
 */
class TruthfulOutputIT {
    @TempDir
    static Path tmp;

    static ClientPlatform p;
    /** An investigator the API knows but the agent does not trust. */
    static Path malloryRc;

    @BeforeAll
    static void platform() throws Exception {
        p = ClientPlatform.start(tmp, List.of());
        KeyGen.Generated mallory = KeyGen.rsa("Mallory <mallory@example.net>", 2048);
        new InvestigatorStore(p.platform.database().dataSource())
                .create(
                        "mallory",
                        mallory.fingerprint(),
                        mallory.armoredPublicKey().getBytes(StandardCharsets.UTF_8),
                        Permission.toMask(Permission.DEFAULT),
                        Instant.now());
        Path key = Files.writeString(tmp.resolve("mallory.asc"), mallory.armoredSecretKey());
        malloryRc = Files.writeString(
                tmp.resolve("mallory-migrc"),
                "[api]\n    url = \"" + p.platform.apiUrl() + "\"\n[gpg]\n    secretkey = \"" + key + "\"\n    keyid = "
                        + mallory.fingerprint() + "\n");
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
    }

    static long actions() throws Exception {
        try (Connection c = p.platform.database().dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM actions")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aTargetThatSelectsNoAgentStopsBeforeCreatingAnything() throws Exception {
        long before = actions();
        Run run = run(
                MigMain::run,
                "",
                "file",
                "-c",
                p.migrc.toString(),
                "-nocountdown",
                "-t",
                "name='no-such-agent'",
                "-path",
                p.searchDir.toString(),
                "-name",
                "^planted-ioc\\.txt$");
        assertEquals(1, run.code(), run.err());
        assertTrue(
                run.err()
                        .startsWith("error: HTTP 404. API call failed with error 'no results found': no agent"
                                + " matches the target, nothing was launched"),
                run.err());
        assertEquals("", run.out());
        assertEquals(before, actions(), "an action was stored although no agent was targeted");
    }

    @Test
    void aTargetFoundIdOfNoActionStopsTheSameWay() throws Exception {
        long before = actions();
        Run run = run(
                MigMain::run,
                "",
                "file",
                "-c",
                p.migrc.toString(),
                "-nocountdown",
                "-t",
                "all",
                "-target-found",
                "987654321",
                "-path",
                p.searchDir.toString(),
                "-name",
                "^planted-ioc\\.txt$");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("'no results found': no agent matches the target"), run.err());
        assertEquals(before, actions());
    }

    @Test
    void aCommandTheAgentRefusesPrintsTheReasonAndExitsSix() {
        Run found = run(
                MigMain::run,
                "",
                "file",
                "-c",
                malloryRc.toString(),
                "-nocountdown",
                "-t",
                "status='online'",
                "-path",
                p.searchDir.toString(),
                "-name",
                "^planted-ioc\\.txt$");
        assertEquals(6, found.code(), found.err());
        assertTrue(found.err().contains("failed: " + p.agent.name() + "\n"), found.err());
        assertTrue(
                found.err()
                        .contains(p.agent.name() + " [error] parseCommands() -> checkActionAuthorization() -> "
                                + "action ACL verification failed"),
                found.err());

        Run all = run(
                MigMain::run,
                "",
                "file",
                "-c",
                malloryRc.toString(),
                "-nocountdown",
                "-t",
                "status='online'",
                "-show",
                "all",
                "-path",
                p.searchDir.toString(),
                "-name",
                "^planted-ioc\\.txt$");
        assertEquals(6, all.code(), all.err());
        assertTrue(
                all.err()
                        .contains(p.agent.name() + " command did not succeed. status=failed\n"
                                + p.agent.name()
                                + " [error] parseCommands() -> checkActionAuthorization() -> action ACL verification"
                                + " failed"),
                all.err());
    }

    @Test
    void aSearchCutAtItsMatchLimitSaysSo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("many"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(dir.resolve("f" + i + ".txt"), "x");
        }
        Run cut = run(
                MigMain::run,
                "",
                "file",
                "-c",
                p.migrc.toString(),
                "-nocountdown",
                "-t",
                "all",
                "-path",
                dir.toString(),
                "-name",
                "\\.txt$",
                "-matchlimit",
                "3");
        assertEquals(0, cut.code(), cut.err());
        assertEquals(3, cut.out().lines().count(), cut.out());
        assertTrue(
                cut.err()
                        .contains(p.agent.name() + " [warning] the search stopped at its match limit of 3 files"
                                + " (-matchlimit): there may be more matches than printed"),
                cut.err());

        Run whole = run(
                MigMain::run,
                "",
                "file",
                "-c",
                p.migrc.toString(),
                "-nocountdown",
                "-t",
                "all",
                "-path",
                dir.toString(),
                "-name",
                "\\.txt$");
        assertEquals(5, whole.out().lines().count(), whole.out());
        assertFalse(whole.err().contains("match limit"), whole.err());
    }

    @Test
    void theGeneratorExpandsMigrcMacrosAsMigDoes() throws Exception {
        Run printed = run(
                MigMain::run,
                "",
                "file",
                "-c",
                p.migrc.toString(),
                "-p",
                "-t",
                "status='online'",
                "-path",
                p.searchDir.toString(),
                "-name",
                "^planted");
        assertEquals(0, printed.code(), printed.err());
        Path file = Files.writeString(tmp.resolve("macro-action.json"), printed.out());
        Run signed = run(
                ActionGeneratorMain::run,
                "",
                "-c",
                p.migrc.toString(),
                "-i",
                file.toString(),
                "-t",
                "all",
                "-nolaunch");
        assertEquals(0, signed.code(), signed.err());
        assertEquals(
                "status='online'", GoJson.unmarshal(signed.out(), Action.class).target());
        Run other = run(
                ActionGeneratorMain::run,
                "",
                "-c",
                p.migrc.toString(),
                "-i",
                file.toString(),
                "-t",
                "name='x'",
                "-nolaunch");
        assertEquals("name='x'", GoJson.unmarshal(other.out(), Action.class).target());
    }

    @Test
    void aModuleWithoutParametersIsOneLineNotTheWholeHelp() {
        Run run = run(MigMain::run, "", "file", "-c", p.migrc.toString(), "-t", "all");
        assertEquals(2, run.code());
        assertEquals(
                "error: module 'file' needs its parameters after the global options, e.g. mig file -t all"
                        + " -path /etc -name '^passwd$'; 'mig file help' lists them\n",
                run.err());
        assertEquals("", run.out());
    }

    @Test
    void aScriptedConsoleExitsWithTheFirstFailedOrdersCodeAndNoColourEscapes() {
        Run ok = run(ConsoleMain::run, "search agent where status=online\nexit\n", "-c", p.migrc.toString());
        assertEquals(0, ok.code(), ok.err());
        assertFalse(ok.out().contains("\u001b"), "NO_COLOR (colours off) but escapes printed: " + ok.out());
        assertTrue(ok.out().contains("Connected to " + p.platform.apiUrl()), ok.out());

        Run unknown = run(ConsoleMain::run, "frobnicate\nstatus\nexit\n", "-q", "-c", p.migrc.toString());
        assertEquals(2, unknown.code(), unknown.out() + unknown.err());
        assertTrue(unknown.out().contains("Unknown order 'frobnicate'"), unknown.out());

        Run missing = run(ConsoleMain::run, "action 987654321\nexit\n", "-q", "-c", p.migrc.toString());
        assertEquals(1, missing.code(), missing.out() + missing.err());
        assertTrue(missing.err().startsWith("error: "), missing.err());
    }
}
