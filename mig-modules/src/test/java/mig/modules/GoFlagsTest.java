package mig.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flags parsed as Go's flag package parses them, stray arguments refused. */
class GoFlagsTest {

    private static GoFlags flags() {
        return new GoFlags("the help")
                .repeatable("name")
                .bool("all", true)
                .bool("any", false)
                .number("offset");
    }

    @Test
    void acceptsEveryFormGoAccepts() throws ParameterException {
        GoFlags f = flags().parse(List.of(
                "-name", "a", "--name", "b", "-name=c=d", "-all=false", "--any", "-offset", "-12.5e1", "--"));
        assertEquals(List.of("a", "b", "c=d"), f.valuesOf("name"));
        assertFalse(f.boolOf("all"));
        assertTrue(f.boolOf("any"));
        assertEquals(-125.0, f.numberOf("offset"));
    }

    @Test
    void booleansTakeGoStrconvWordsOnly() throws ParameterException {
        for (String yes : List.of("1", "t", "T", "TRUE", "true", "True")) {
            assertTrue(flags().parse(List.of("-any=" + yes)).boolOf("any"), yes);
        }
        for (String no : List.of("0", "f", "F", "FALSE", "false", "False")) {
            assertFalse(flags().parse(List.of("-all=" + no)).boolOf("all"), no);
        }
        assertEquals(
                "invalid boolean value \"tRuE\" for -any: parse error (use -any or -any=false)",
                assertThrows(ParameterException.class, () -> flags().parse(List.of("-any=tRuE")))
                        .getMessage());
        assertEquals(
                "invalid boolean value \"yes\" for -any: parse error",
                assertThrows(
                                ParameterException.class,
                                () -> flags().plainBoolErrors().parse(List.of("-any=yes")))
                        .getMessage());
    }

    @Test
    void numbersTakeGoParseFloatForms() throws ParameterException {
        assertEquals(16.0, flags().parse(List.of("-offset", "0x1p4")).numberOf("offset"));
        assertEquals(
                Double.NEGATIVE_INFINITY, flags().parse(List.of("-offset=-Inf")).numberOf("offset"));
        assertEquals(7.0, new GoFlags("h").number("n", 7).parse(List.of()).numberOf("n"));
        assertEquals(
                "invalid value \"1e999\" for flag -offset: value out of range",
                assertThrows(ParameterException.class, () -> flags().parse(List.of("-offset", "1e999")))
                        .getMessage());
        assertEquals(
                "invalid value \"a\\tb\" for flag -offset: parse error",
                assertThrows(ParameterException.class, () -> flags().parse(List.of("-offset", "a\tb")))
                        .getMessage(),
                "Go's %q");
    }

    @Test
    void aFlagCanFeedAnotherInOrderWithACheck() throws ParameterException {
        GoFlags f = flags().repeatable("short", "name", v -> {
            if (v.length() > 2) {
                throw new ParameterException("too long: " + v);
            }
        });
        assertEquals(
                List.of("a", "bb", "c"),
                f.parse(List.of("-name", "a", "-short", "bb", "-name", "c")).valuesOf("name"));
        assertEquals(
                "too long: ccc",
                assertThrows(
                                ParameterException.class,
                                () -> flags().repeatable("short", "name", v -> {
                                            throw new ParameterException("too long: " + v);
                                        })
                                        .parse(List.of("-short", "ccc", "-nope")))
                        .getMessage());
        assertEquals(
                "unexpected argument 'x': see the help",
                assertThrows(
                                ParameterException.class,
                                () -> flags().strayHint("see the help").parse(List.of("x")))
                        .getMessage());
    }

    @Test
    void keepsDefaultsForFlagsNotGiven() throws ParameterException {
        GoFlags f = flags().parse(List.of());
        assertEquals(List.of(), f.valuesOf("name"));
        assertTrue(f.boolOf("all"));
        assertEquals(0.0, f.numberOf("offset"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "---name x|bad flag syntax: ---name",
                "-=x|bad flag syntax: -=x",
                "-nope|flag provided but not defined: -nope",
                "-name|flag needs an argument: -name",
                "-all=yes|invalid boolean value \"yes\" for -all: parse error (use -all or -all=false)",
                "-offset 0x10|invalid value \"0x10\" for flag -offset: parse error",
                "-offset 1d|invalid value \"1d\" for flag -offset: parse error",
                "-all false|unexpected argument 'false': module options are flags such as -name <value>; see help",
                "-all -- -name|unexpected argument '-name' after --",
                "-name x -h|the help",
                "--help|the help"
            })
    void refusesWithGosMessageOrNamingTheStrayArgument(String args, String message) {
        assertEquals(
                message,
                assertThrows(ParameterException.class, () -> flags().parse(List.of(args.split(" "))))
                        .getMessage());
    }
}
