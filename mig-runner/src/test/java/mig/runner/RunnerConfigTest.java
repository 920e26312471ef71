package mig.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import mig.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's files as an operator writes them: schedules, runner.cfg and entity.cfg, good and bad. */
class RunnerConfigTest {
    @TempDir
    Path tmp;

    private static final ZonedDateTime T = ZonedDateTime.of(2026, 3, 4, 10, 20, 30, 0, ZoneOffset.UTC);

    @Test
    void schedulesReadAsTheOriginalsCronLibraryReadsThem() {
        // five fields: minute hour day month weekday, at second 0
        assertEquals(
                Optional.of(T.withHour(11).withMinute(0).withSecond(0)),
                Schedule.parse("0 * * * *").next(T));
        assertEquals(
                Optional.of(T.withHour(11).withMinute(0).withSecond(0)),
                Schedule.parse("@hourly").next(T));
        // seven fields: a second first and a year last
        assertEquals(
                Optional.of(T.withSecond(45)),
                Schedule.parse("*/15 * * * * * *").next(T));
        // six fields: the five and a year; a past year never runs again
        assertEquals(Optional.empty(), Schedule.parse("0 0 1 1 * 2020").next(T));
        // Sunday is 0 and 7
        assertEquals(
                Schedule.parse("0 0 * * 0").next(T), Schedule.parse("0 0 * * 7").next(T));
    }

    @Test
    void aBadScheduleSaysWhatIsWrong() {
        assertEquals(
                "missing schedule",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse(" "))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedule.parse("* * *"))
                .getMessage()
                .contains("it has 3 fields, expected 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedule.parse("61 * * * *"))
                .getMessage()
                .contains("Value 61 not in range [0, 59]"));
    }

    @Test
    void theOriginalsRunnerCfgReads() throws IOException {
        Path f = Files.writeString(
                tmp.resolve("runner.cfg"),
                "; Sample MIG runner configuration file\n\n[runner]\ndirectory = \"/home/mig-runner/runner\" ; root\n"
                        + "checkdirectory = 30 ; how often\n\n[logging]\nmode = \"stdout\"\nlevel = \"debug\"\n\n"
                        + "[client]\nclientconfpath = \"/etc/mig/migrc\"\ndelayresults = \"30s\"\npassphrase = \"x y\"\n");
        RunnerConfig c = RunnerConfig.read(f);
        assertEquals(Path.of("/home/mig-runner/runner/runners"), c.runDirectory());
        assertEquals(Path.of("/home/mig-runner/runner/plugins"), c.pluginDirectory());
        assertEquals(Duration.ofSeconds(30), c.checkDirectory());
        assertEquals(Path.of("/etc/mig/migrc"), c.clientConf());
        assertEquals(Duration.ofSeconds(30), c.delayResults());
        assertEquals(Optional.of("x y"), c.passphrase());
        assertEquals(Duration.ofMinutes(5), c.pluginTimeout());
        assertEquals("debug", c.logging().level());
    }

    @Test
    void aBadRunnerCfgIsRefusedWithTheFix() throws IOException {
        assertTrue(refused("[runner]\ncheckdirectory = 30\n").contains("[runner] directory is not set"));
        assertTrue(refused("[runner]\ndirectory = /x\ncheckdirectory = 0\n")
                .contains("checkdirectory must be a number of seconds from 1 to 86400"));
        assertTrue(refused("[runner]\ndirectory = /x\ncheckdirectory = 5\n[client]\ndelayresults = 30\n")
                .contains("[client] delayresults = \"30\" is not a duration"));
        assertTrue(refused("[runner]\ndirectory = /x\ncheckdirectory = 5\nplugintimeout = 0\n")
                .contains("plugintimeout must be more than 0"));
        assertTrue(refused("[runner]\ndirectory = /x\ncheckdirectory = 5\nfrequency = 3\n")
                .contains("frequency"));
    }

    @Test
    void aJobReads() throws IOException {
        Path d = job("[configuration]\nschedule = \"0 * * * *\"\nplugin = \"jsonlines\"\nexpiry = \"10m\"\n");
        Entity e = Entity.load(d);
        assertEquals("job", e.name());
        assertEquals("jsonlines", e.plugin());
        assertEquals(Duration.ofMinutes(10), e.expiry());
        assertEquals(false, e.sendOnly());
        Entity plain = Entity.load(job("[configuration]\nschedule = \"@daily\"\nsendonly = true\n"));
        assertEquals(Entity.DEFAULT_EXPIRY, plain.expiry());
        assertEquals("", plain.plugin());
        assertEquals(true, plain.sendOnly());
    }

    /** An entity.cfg that names a program outside the plugins folder is refused: only plugins/ runs. */
    @Test
    void aPluginOutsideThePluginsFolderIsRefused() throws IOException {
        for (String p : new String[] {"../../../bin/sh", "/bin/sh", "..", "a/b"}) {
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> Entity.load(job("[configuration]\nschedule = \"@daily\"\nplugin = \"" + p + "\"\n")));
            assertTrue(e.getMessage().contains("must be the name of a file in the plugins folder"), e.getMessage());
        }
    }

    @Test
    void aBrokenJobIsRefusedWithTheReason() throws IOException {
        assertTrue(assertThrows(ConfigException.class, () -> Entity.load(job("[configuration]\nplugin = x\n")))
                .getMessage()
                .endsWith("missing schedule"));
        assertTrue(assertThrows(
                        ConfigException.class,
                        () -> Entity.load(job("[configuration]\nschedule = \"@daily\"\nexpiry = \"-1m\"\n")))
                .getMessage()
                .contains("expiry must be more than 0"));
        Path d = job("[configuration]\nschedule = \"@daily\"\n");
        Files.writeString(d.resolve("action.json"), "{\"name\":\"x\",\"target\":\"status='online'\"}");
        assertTrue(assertThrows(ConfigException.class, () -> Entity.load(d))
                .getMessage()
                .endsWith("the action has no operations"));
        Files.writeString(d.resolve("action.json"), "{\"name\":");
        assertTrue(assertThrows(ConfigException.class, () -> Entity.load(d))
                .getMessage()
                .contains("is not an action"));
        Files.delete(d.resolve("action.json"));
        assertTrue(assertThrows(ConfigException.class, () -> Entity.load(d))
                .getMessage()
                .startsWith("cannot read " + d.resolve("action.json")));
    }

    private Path job(String cfg) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("runners/job"));
        Files.writeString(d.resolve("entity.cfg"), cfg);
        Files.writeString(
                d.resolve("action.json"),
                "{\"name\":\"x\",\"target\":\"status='online'\",\"operations\":[{\"module\":\"file\","
                        + "\"parameters\":{\"searches\":{\"s1\":{\"paths\":[\"/tmp\"],\"names\":[\"x\"]}}}}]}");
        return d;
    }

    private String refused(String text) throws IOException {
        Path f = Files.writeString(tmp.resolve("bad.cfg"), text);
        return assertThrows(ConfigException.class, () -> RunnerConfig.read(f)).getMessage();
    }
}
