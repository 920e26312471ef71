package mig.modules.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Memory parameters from the wire and the command line: the original's, with its misnamed flags fixed. */
class MemoryParametersTest {

    private final MemoryModule module = new MemoryModule();

    @Test
    void theCommandLineBuildsTheRecordedParameters() throws ParameterException {
        // what the original client sent for `mig memory -name ^bash$ -content migref-memory-marker-[0-9]+`
        assertEquals(
                "{\"searches\":{\"s1\":{\"contents\":[\"migref-memory-marker-[0-9]+\"],\"names\":[\"^bash$\"],"
                        + "\"options\":{\"matchall\":true}}}}",
                GoJson.marshal(
                        module.parseArgs(List.of("-name", "^bash$", "-content", "migref-memory-marker-[0-9]+"))));
    }

    @Test
    void offsetAndMaxLengthFlagsDoWhatTheirNamesSay() throws ParameterException {
        assertEquals(
                "{\"searches\":{\"s1\":{\"bytes\":[\"ff00d1ab\"],\"libraries\":[\"libssl\"],\"options\":"
                        + "{\"logfailures\":true,\"maxlength\":1048576,\"offset\":4096}}}}",
                GoJson.marshal(module.parseArgs(List.of(
                        "-lib",
                        "libssl",
                        "-bytes",
                        "ff00d1ab",
                        "-offset",
                        "4096",
                        "-maxlength=1048576",
                        "-matchany",
                        "-logfailures"))));
        assertEquals(
                "flag -maxdepth is not accepted: the memory module's start address is -offset <int>",
                assertThrows(ParameterException.class, () -> module.parseArgs(List.of("-maxdepth", "4096")))
                        .getMessage());
        assertEquals(
                "flag -matchlimit is not accepted: the memory module's read limit is -maxlength <int>",
                assertThrows(ParameterException.class, () -> module.parseArgs(List.of("-matchlimit", "9")))
                        .getMessage());
    }

    @Test
    void searchesMarshalInTheOriginalsFieldOrder() {
        MemorySearch s = new MemorySearch(
                "d", List.of("n"), List.of("l"), List.of("00"), List.of("c"), new MemoryOptions(1, 2, true, true));
        assertEquals(
                "{\"description\":\"d\",\"names\":[\"n\"],\"libraries\":[\"l\"],\"bytes\":[\"00\"],"
                        + "\"contents\":[\"c\"],\"options\":{\"offset\":1,\"maxlength\":2,\"logfailures\":true,"
                        + "\"matchall\":true}}",
                GoJson.marshal(s));
        assertEquals("{\"options\":{}}", GoJson.marshal(new MemorySearch(null, null, null, null, null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "-offset abc|invalid value \"abc\" for flag -offset: parse error",
                "-offset -1|search 's1': option offset is -1: must be a whole number of bytes from 0 to 2^63-1",
                "-maxlength 1.5|search 's1': option maxlength is 1.5: must be a whole number of bytes from 0 to 2^63-1",
                "-bytes 0xff|search 's1': Invalid bytes '0xff'. Must be an hexadecimal byte string without leading 0x."
                        + " ex: 'ff00d1ab'",
                "-bytes abc|search 's1': Invalid bytes 'abc'. Must be an hexadecimal byte string without leading 0x."
                        + " ex: 'ff00d1ab'",
                "-content (a|search 's1': contents: Invalid regexp '(a'. Must be a regexp. Compilation failed with"
                        + " 'error parsing regexp: missing closing ): `(a`'",
                "-name a{2}{3}|search 's1': names: Invalid regexp 'a{2}{3}'. Must be a regexp. Compilation failed with"
                        + " 'error parsing regexp: invalid nested repetition operator: `{2}{3}`'",
                "-lib \\1|search 's1': libraries: Invalid regexp '\\1'. Must be a regexp. Compilation failed with"
                        + " 'error parsing regexp: invalid escape sequence: `\\1`'",
                "-name bash extra|unexpected argument 'extra': module options are flags such as -name <value>; see help"
            })
    void badCommandLinesAreRefusedNamingTheValueAndTheRule(String args, String message) {
        assertEquals(
                message,
                assertThrows(ParameterException.class, () -> module.parseArgs(List.of(args.split(" "))))
                        .getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"searches\":{\"bad label\":{\"names\":[\"x\"]}}}|The syntax of label 'bad label' is invalid. Must match"
                        + " regex ^([a-zA-Z0-9_-]){1,64}$",
                "{\"searches\":{\"\":{\"names\":[\"x\"]}}}|empty labels are not permitted",
                "{\"searches\":{\"s1\":{\"contents\":[\"\"]}}}|search 's1': contents has an empty value; empty values are"
                        + " not permitted",
                "{\"searches\":{\"s1\":{\"options\":{\"offset\":-4096}}}}|search 's1': option offset is -4096: must be a whole"
                        + " number of bytes from 0 to 2^63-1",
                "[]|memory parameters must be a JSON object, got []"
            })
    void badJsonParametersFailTheRunWithTheReason(String json, String message) {
        ModuleResult r = module.run(GoJson.tree(json), RunContext.withTimeout(Duration.ofSeconds(5)));
        assertFalse(r.success());
        assertEquals(List.of(message), r.errors());
        assertEquals("null", GoJson.marshal(r.statistics()));
    }

    @Test
    void wrongJsonTypesAreRefused() {
        ModuleResult r = module.run(
                GoJson.tree("{\"searches\":{\"s1\":{\"names\":\"bash\"}}}"),
                RunContext.withTimeout(Duration.ofSeconds(5)));
        assertFalse(r.success());
        assertEquals(
                true,
                r.errors().get(0).startsWith("invalid memory parameters: "),
                r.errors().get(0));
    }

    @Test
    void helpIsTheOriginalsWithItsExampleFlagCorrected() throws IOException {
        String original;
        try (InputStream in = getClass().getResourceAsStream("/memory/original-help.txt")) {
            original = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // the retired mig.mozilla.org gives way to this project's docs
        assertEquals(
                original.replace("ex: -byte \"", "ex: -bytes \"")
                        .replace(
                                "detailled doc at http://mig.mozilla.org/doc/module_memory.html",
                                "detailed doc in docs/modules/memory.md of MIG for Java (the folder bin/mig runs from)"),
                module.help());
        assertEquals(
                module.help(),
                assertThrows(ParameterException.class, () -> module.parseArgs(List.of()))
                        .getMessage());
    }
}
