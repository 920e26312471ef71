package mig.modules.netstat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parameters from the wire and from the command line: accepted as the original did, refused clearly. */
class NetstatParametersTest {

    private final NetstatModule module = new NetstatModule();

    @Test
    void theCommandLineBuildsTheRecordedParameters() throws ParameterException {
        // what the original client sent for `mig netstat -lp 1664 -lp 22` (amqp-tap-toagents.json)
        assertEquals(
                "{\"listeningport\":[\"1664\",\"22\"],\"namespaces\":false}",
                GoJson.marshal(module.parseArgs(List.of("-lp", "1664", "-lp", "22"))));
        // a JsonNode is a Go map: keys sorted, as the action carries them once signed
        assertEquals(
                "{\"connectedip\":[\"10.0.0.0/8\"],\"localip\":[\"::1\"],\"localmac\":[\"^8c\"],"
                        + "\"namespaces\":true,\"neighborip\":[\"10.1.2.3\"],\"neighbormac\":[\"^00\"]}",
                GoJson.marshal(module.parseArgs(List.of(
                        "-lm",
                        "^8c",
                        "-nm=^00",
                        "--li",
                        "::1",
                        "-ni",
                        "10.1.2.3",
                        "-ci",
                        "10.0.0.0/8",
                        "-namespaces"))));
    }

    @Test
    void parametersMarshalInTheOriginalsFieldOrder() {
        NetstatParameters p = new NetstatParameters(
                List.of("a"), List.of("b"), List.of("c"), List.of("d"), List.of("e"), List.of("1"), false);
        assertEquals(
                "{\"localmac\":[\"a\"],\"localip\":[\"b\"],\"neighbormac\":[\"c\"],\"neighborip\":[\"d\"],"
                        + "\"connectedip\":[\"e\"],\"listeningport\":[\"1\"],\"namespaces\":false}",
                GoJson.marshal(p));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "-lm|(|localmac: Invalid MAC regexp '('. Compilation failed with 'error parsing regexp: missing closing ): `(`'."
                        + " Must be a valid regular expression.",
                "-nm|a**|neighbormac: Invalid MAC regexp 'a**'. Compilation failed with 'error parsing regexp: invalid nested"
                        + " repetition operator: `**`'. Must be a valid regular expression.",
                "-li|1.2.3|localip: invalid IPv{4,6} 1.2.3. Must be an IP or a CIDR.",
                "-ni|010.0.0.1|neighborip: invalid IPv{4,6} 010.0.0.1. Must be an IP or a CIDR.",
                "-ci|10.0.0.0/33|connectedip: invalid IPv{4,6} CIDR 10.0.0.0/33: invalid CIDR address: 10.0.0.0/33. Must be"
                        + " an IP or a CIDR.",
                "-lp|70000|listeningport: port 70000 out of range: must be between 0 and 65535",
                "-lp|ssh|listeningport: ssh is not a valid port: must be a decimal number between 0 and 65535"
            })
    void badValuesAreRefusedNamingTheValueAndTheRule(String flag, String value, String message) {
        ParameterException e = assertThrows(ParameterException.class, () -> module.parseArgs(List.of(flag, value)));
        assertEquals(message, e.getMessage());
        String param = switch (flag) {
            case "-lm" -> "localmac";
            case "-nm" -> "neighbormac";
            case "-li" -> "localip";
            case "-ni" -> "neighborip";
            case "-ci" -> "connectedip";
            default -> "listeningport";
        };
        ModuleResult r = module.run(
                GoJson.tree("{\"" + param + "\":[\"" + value + "\"]}"), RunContext.withTimeout(Duration.ofSeconds(5)));
        assertFalse(r.success());
        assertEquals(List.of(message), r.errors());
        assertEquals("null", GoJson.marshal(r.elements()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "-lp 22 80|unexpected argument '80': module options are flags such as -lm <value>; see help",
                "-xyz|flag provided but not defined: -xyz",
                "-lp|flag needs an argument: -lp",
                "-namespaces=maybe|invalid boolean value \"maybe\" for -namespaces: parse error (use -namespaces or"
                        + " -namespaces=false)"
            })
    void badCommandLinesAreRefused(String args, String message) {
        ParameterException e = assertThrows(ParameterException.class, () -> module.parseArgs(List.of(args.split(" "))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void wrongJsonTypesAreRefused() {
        ModuleResult r =
                module.run(GoJson.tree("{\"listeningport\":\"22\"}"), RunContext.withTimeout(Duration.ofSeconds(5)));
        assertFalse(r.success());
        assertEquals(1, r.errors().size());
        assertEquals(
                true,
                r.errors().get(0).startsWith("invalid netstat parameters: "),
                r.errors().get(0));
        ModuleResult notObject = module.run(GoJson.tree("[]"), RunContext.withTimeout(Duration.ofSeconds(5)));
        assertEquals(List.of("netstat parameters must be a JSON object, got []"), notObject.errors());
    }

    @Test
    void noQueryRunsNothingAndSucceeds() {
        ModuleResult r =
                module.run(GoJson.tree("{\"namespaces\":false}"), RunContext.withTimeout(Duration.ofSeconds(5)));
        assertEquals(true, r.success());
        assertFalse(r.foundAnything());
        assertEquals("{}", GoJson.marshal(r.elements()));
        assertNull(r.errors());
    }

    @Test
    void aRunPastItsDeadlineRunsNoQueryAndSaysSo() {
        RunContext expired = RunContext.withTimeout(Duration.ofSeconds(-1));
        ModuleResult r = module.run(GoJson.tree("{\"listeningport\":[\"22\",\"23\"]}"), expired);
        assertEquals(true, r.success());
        assertEquals(
                List.of("deadline reached before netstat listeningport:'22'; it and the queries after it were"
                        + " not run"),
                r.errors());
    }

    @Test
    void helpIsTheOriginalsAndAnEmptyCommandLineShowsIt() throws IOException {
        String original;
        try (InputStream in = getClass().getResourceAsStream("/netstat/original-help.txt")) {
            original = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(original.substring(1), module.help(), "the same text, without its leading blank line");
        assertEquals(
                module.help(),
                assertThrows(ParameterException.class, () -> module.parseArgs(List.of()))
                        .getMessage());
        for (String asks : List.of("help", "-h", "-help", "--help")) {
            assertEquals(
                    module.help(),
                    assertThrows(ParameterException.class, () -> module.parseArgs(List.of(asks)))
                            .getMessage());
        }
    }
}
