package mig.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The original's split between global and module flags. */
class GlobalFlagsTest {

    static final Path RC = Path.of("/home/bob/.migrc");

    @Test
    void globalFlagsStopAtTheFirstFlagTheGlobalParserDoesNotKnow() throws Exception {
        GlobalFlags f = GlobalFlags.parse(List.of("-t", "name='h'", "-show", "all", "-d", "8.8.8.8", "-t", "5"), RC);
        assertEquals("name='h'", f.target());
        assertEquals("all", f.show());
        assertEquals(List.of("-d", "8.8.8.8", "-t", "5"), f.moduleArgs());
    }

    @Test
    void defaultsAreTheOriginals() throws Exception {
        GlobalFlags f = GlobalFlags.parse(List.of("-path", "/etc", "-name", "passwd"), RC);
        assertEquals(RC, f.migrc());
        assertEquals(Duration.ofSeconds(300), f.expiration());
        assertEquals("found", f.show());
        assertEquals("", f.target());
        assertEquals("text", f.render());
        assertEquals(List.of("-path", "/etc", "-name", "passwd"), f.moduleArgs());
    }

    @Test
    void boolAndValueFormsAreAccepted() throws Exception {
        GlobalFlags f = GlobalFlags.parse(
                List.of(
                        "-p",
                        "-z=true",
                        "--e=10m",
                        "-c=/tmp/rc",
                        "-render",
                        "json",
                        "-target-found",
                        "123",
                        "-path",
                        "/"),
                RC);
        assertTrue(f.printAndExit());
        assertTrue(f.compress());
        assertEquals(Duration.ofMinutes(10), f.expiration());
        assertEquals(Path.of("/tmp/rc"), f.migrc());
        assertEquals("json", f.render());
        assertEquals("123", f.targetFound());
    }

    @Test
    void badValuesAreUsageErrorsThatNameTheFlag() {
        assertEquals(
                "invalid value \"sometimes\" for flag -show: use found, notfound or all",
                assertThrows(UsageException.class, () -> GlobalFlags.parse(List.of("-show", "sometimes"), RC))
                        .getMessage());
        assertTrue(assertThrows(UsageException.class, () -> GlobalFlags.parse(List.of("-e", "soon"), RC))
                .getMessage()
                .startsWith("invalid value \"soon\" for flag -e"));
        assertEquals(
                "flag needs an argument: -t",
                assertThrows(UsageException.class, () -> GlobalFlags.parse(List.of("-t"), RC))
                        .getMessage());
        assertTrue(assertThrows(UsageException.class, () -> GlobalFlags.parse(List.of("-target-found", "1; DROP"), RC))
                .getMessage()
                .contains("must be an action ID"));
        assertEquals(
                "-target-found and -target-notfound cannot be used together",
                assertThrows(
                                UsageException.class,
                                () -> GlobalFlags.parse(List.of("-target-found", "1", "-target-notfound", "2"), RC))
                        .getMessage());
    }

    @Test
    void nocountdownWithMigNoCountdownSetStillLaunchesAtOnce() throws Exception {
        java.util.Map<String, String> env = java.util.Map.of("MIG_NO_COUNTDOWN", "1");
        assertTrue(GlobalFlags.parse(List.of("-nocountdown", "-path", "/"), RC, env)
                .noCountdown());
        assertTrue(GlobalFlags.parse(List.of("-path", "/"), RC, env).noCountdown());
        assertTrue(GlobalFlags.parse(List.of("-nocountdown", "-path", "/"), RC, java.util.Map.of())
                .noCountdown());
        assertEquals(
                false,
                GlobalFlags.parse(List.of("-path", "/"), RC, java.util.Map.of()).noCountdown());
    }

    @Test
    void booleansTakeGosFormsOnly() throws Exception {
        GlobalFlags f =
                GlobalFlags.parse(List.of("-p=T", "--z", "-v=1", "-nocountdown=false", "-s=F", "-path", "/"), RC);
        assertTrue(f.printAndExit());
        assertTrue(f.compress());
        assertTrue(f.verbose());
        assertEquals(false, f.noCountdown());
        assertEquals(false, f.signAndPrint());
        // Go never reads a boolean's value from the next argument: "false" starts the module's arguments
        f = GlobalFlags.parse(List.of("-p", "false", "-path", "/"), RC);
        assertTrue(f.printAndExit());
        assertEquals(List.of("false", "-path", "/"), f.moduleArgs());
        assertEquals(
                "invalid boolean value \"yes\" for -p: parse error",
                assertThrows(UsageException.class, () -> GlobalFlags.parse(List.of("-p=yes"), RC))
                        .getMessage());
        assertEquals(
                "invalid boolean value \"tRuE\" for -z: parse error",
                assertThrows(UsageException.class, () -> GlobalFlags.parse(List.of("-z=tRuE"), RC))
                        .getMessage());
    }

    @Test
    void doubleDashEndsTheGlobalFlags() throws Exception {
        GlobalFlags f = GlobalFlags.parse(List.of("-t", "-p", "--", "-p", "x"), RC);
        assertEquals("-p", f.target(), "a value may start with a dash, as in Go");
        assertEquals(false, f.printAndExit());
        assertEquals(List.of("-p", "x"), f.moduleArgs());
        assertEquals("", GlobalFlags.parse(List.of("-path", "/"), RC).targetFound());
        assertTrue(assertThrows(UsageException.class, () -> GlobalFlags.parse(List.of("-target-notfound="), RC))
                .getMessage()
                .contains("must be an action ID"));
    }

    @Test
    void theDefaultActionNameIsTheCommandLine() throws Exception {
        GlobalFlags f = GlobalFlags.parse(List.of("-path", "/etc"), RC);
        assertEquals("file -path /etc ", MigMain.actionName(List.of("file", "-path", "/etc"), f));
    }
}
