package mig.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Go's flag package rules, as the original helpers parsed their command lines. */
class GoFlagSetTest {

    private static GoFlagSet flags() {
        return new GoFlagSet().string("c", "/home/bob/.migrc", "Load configuration from file")
                .bool("p", "Print signed action in pretty JSON format")
                .bool("nolaunch", "Don't launch the action. Print it and exit. (implies '-p')")
                .string("t", "", "Search using agent targeting string");
    }

    @Test
    void acceptsTheFormsGoAccepts() throws Exception {
        GoFlagSet f = flags().parse(List.of("--c=/tmp/rc", "-p", "-nolaunch=false", "-t", "name='x'", "rest", "-p"));
        assertEquals("/tmp/rc", f.get("c"));
        assertTrue(f.getBool("p"));
        assertFalse(f.getBool("nolaunch"));
        assertEquals("name='x'", f.get("t"));
        assertEquals(List.of("rest", "-p"), f.args());
        assertEquals(List.of("-x"), flags().parse(List.of("--", "-x")).args());
    }

    @Test
    void refusesWithGosMessages() {
        assertEquals("flag provided but not defined: -z",
                assertThrows(UsageException.class, () -> flags().parse(List.of("-z"))).getMessage());
        assertEquals("flag needs an argument: -c",
                assertThrows(UsageException.class, () -> flags().parse(List.of("-c"))).getMessage());
        assertEquals("invalid boolean value \"yes\" for -p: parse error",
                assertThrows(UsageException.class, () -> flags().parse(List.of("-p=yes"))).getMessage());
        assertThrows(GoFlagSet.HelpRequested.class, () -> flags().parse(List.of("-h")));
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
                """, flags().defaults());
    }
}
