package mig.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Go's flag package rules on top of picocli. Each expectation is what a Go 1.19 {@code flag.FlagSet}
 * with the same four flags (ContinueOnError) gives for the same arguments.
 */
class GoCliTest {

    @CommandLine.Command(name = "x")
    static final class Flags {
        @Option(
                names = {"-c", "--c"},
                description = "Load configuration from file")
        String c = "/home/bob/.migrc";

        @Option(
                names = {"-p", "--p"},
                description = "Print signed action in pretty JSON format")
        boolean p;

        @Option(
                names = {"-nolaunch", "--nolaunch"},
                description = "Don't launch the action. Print it and exit. " + "(implies '-p')")
        boolean nolaunch;

        @Option(
                names = {"-t", "--t"},
                description = "Search using agent targeting string")
        String t = "";
    }

    private Flags flags;
    private List<String> rest;

    private void parse(String... args) throws GoCli.Failure {
        flags = new Flags();
        rest = GoCli.parse(GoCli.commandLine(flags), List.of(args));
    }

    private static String refusal(String... args) {
        return assertThrows(GoCli.Failure.class, () -> GoCli.parse(GoCli.commandLine(new Flags()), List.of(args)))
                .getMessage();
    }

    @Test
    void booleansTakeTheFormsGoTakes() throws Exception {
        parse("-p");
        assertTrue(flags.p);
        parse("--p");
        assertTrue(flags.p);
        for (String yes : List.of("1", "t", "T", "TRUE", "true", "True")) {
            parse("-p=" + yes);
            assertTrue(flags.p, yes);
        }
        for (String no : List.of("0", "f", "F", "FALSE", "false", "False")) {
            parse("-p", "-p=" + no);
            assertFalse(flags.p, no);
        }
        // Go never reads a boolean's value from the next argument: "false" is the first non-flag
        parse("-p", "false", "-t", "x");
        assertTrue(flags.p);
        assertEquals("", flags.t);
        assertEquals(List.of("false", "-t", "x"), rest);
    }

    @Test
    void stringsTakeTheFormsGoTakes() throws Exception {
        parse("--c=/tmp/rc", "-t", "name='x'", "rest", "-p");
        assertEquals("/tmp/rc", flags.c);
        assertEquals("name='x'", flags.t);
        assertFalse(flags.p);
        assertEquals(List.of("rest", "-p"), rest);
        parse("-c", "/tmp/rc", "--t", "a=b");
        assertEquals("/tmp/rc", flags.c);
        assertEquals("a=b", flags.t);
        parse("-t=a=b", "-nolaunch");
        assertEquals("a=b", flags.t);
        assertTrue(flags.nolaunch);
        parse("-t", "-p");
        assertEquals("-p", flags.t, "a value may start with a dash");
        assertFalse(flags.p);
        parse("-t", "x", "-t", "y");
        assertEquals("y", flags.t, "the last one wins");
        parse("-t=");
        assertEquals("", flags.t);
        parse("--", "-p");
        assertFalse(flags.p);
        assertEquals(List.of("-p"), rest);
    }

    @Test
    void refusesWithGosMessages() {
        assertEquals("flag provided but not defined: -zz", refusal("-zz"));
        assertEquals("flag provided but not defined: -zz", refusal("--zz=1"));
        assertEquals("flag provided but not defined: -n", refusal("-n"), "no abbreviations");
        assertEquals("flag provided but not defined: -pt", refusal("-pt"), "no clustering");
        assertEquals("flag needs an argument: -c", refusal("-c"));
        assertEquals("flag needs an argument: -t", refusal("-p", "-t"));
        assertEquals("invalid boolean value \"yes\" for -p: parse error", refusal("-p=yes"));
        assertEquals("invalid boolean value \"tRuE\" for -nolaunch: parse error", refusal("--nolaunch=tRuE"));
        assertEquals("bad flag syntax: ---x", refusal("---x"));
        assertEquals("bad flag syntax: -=x", refusal("-=x"));
    }

    @Test
    void helpIsAskedWithHOrHelp() {
        for (String h : List.of("-h", "-help", "--help", "--h")) {
            GoCli.Failure f = assertThrows(
                    GoCli.Failure.class, () -> GoCli.parse(GoCli.commandLine(new Flags()), List.of("-p", h)));
            assertTrue(f.help(), h);
            assertEquals("flag: help requested", f.getMessage());
        }
    }

    @Test
    void parseKnownStopsAtTheFirstUnknownFlag() throws Exception {
        Flags f = new Flags();
        assertEquals(
                List.of("-path", "/etc", "-p"),
                GoCli.parseKnown(GoCli.commandLine(f), List.of("-p", "-t", "all", "-path", "/etc", "-p")));
        assertTrue(f.p);
        assertEquals("all", f.t);
        assertEquals(List.of("-path"), GoCli.parseKnown(GoCli.commandLine(new Flags()), List.of("--", "-path")));
        assertEquals(List.of("x", "-p"), GoCli.parseKnown(GoCli.commandLine(new Flags()), List.of("x", "-p")));
    }

    @Test
    void printsDefaultsInGosLayout() {
        assertEquals("""
                  -c string
                    	Load configuration from file (default "/home/bob/.migrc")
                  -nolaunch
                    	Don't launch the action. Print it and exit. (implies '-p')
                  -p	Print signed action in pretty JSON format
                  -t string
                    	Search using agent targeting string
                """, GoCli.defaults(GoCli.commandLine(new Flags()).getCommandSpec()));
    }
}
