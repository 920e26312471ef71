package mig.modules.file;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.modules.FuzzArgs;
import mig.modules.ParameterException;
import mig.testkit.fuzz.Fuzz;
import mig.testkit.fuzz.Tally;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing of the file module's parameter readers: the JSON parameters an agent receives (read and
 * compiled as {@link FileModule#run} does, without walking any folder) and the client's flags. A try
 * is accepted or refused with {@link ParameterException} (or {@link GoJsonException} for text that
 * is not JSON at all); flags that parse give JSON the agent's reader takes the same way.
 */
class FileParamsFuzzTest {

    private static final Tally TALLY = new Tally("file module parameters");
    private static final Instant NOW = Instant.parse("2026-11-28T19:04:22Z");

    static final List<String> JSON = List.of(
            "{\"searches\":{\"s1\":{\"options\":{\"macroal\":false,\"matchall\":true,\"matchlimit\":1000,\"maxdepth\":1000,"
                    + "\"maxerrors\":30,\"mismatch\":null},\"paths\":[\"/usr\"],\"sha2\":[\"cb30d69b24245bf2ecdc9e7f53bbad"
                    + "19159999970b6d82c0c00c7d32d9e37aa4\"]}}}",
            "{\"searches\":{\"s1\":{\"paths\":[\"/a/path\"],\"contents\":[\"content match\"],\"names\":[\"^.*testfile.*$\"],"
                    + "\"sizes\":[\"<10k\",\">1\"],\"modes\":[\"-rw-r--r--\"],\"mtimes\":[\"<1h\"],\"md5\":[\"e499c1912bd9af"
                    + "4f7e8ccaf27f7b04d2\"],\"sha1\":[\"d7bbc3dd7adf6e347c93a4c8b9bfb8ef4748c0fb\"],\"sha3\":[\"a7ba1e6617"
                    + "4848ecea143b612f22168b006979e3827e09f0ae6395e8\"],\"options\":{\"maxdepth\":2,\"maxerrors\":31,"
                    + "\"matchall\":false,\"macroal\":true,\"mismatch\":[\"content\"],\"matchlimit\":10,\"decompress\":true,"
                    + "\"returnsha256\":true}},\"s2\":{\"paths\":[\"/etc\"],\"names\":[\"(?i)^host\"]}}}");

    static final List<List<String>> ARGS = List.of(
            List.of("-path", "/usr", "-name", "^wget$"),
            List.of(
                    "-path",
                    "/a/path",
                    "-name",
                    "^.*testfile.*$",
                    "-content",
                    "content match",
                    "-size",
                    "<10k",
                    "-size",
                    ">1",
                    "-mode",
                    "-rw-r--r--",
                    "-mtime",
                    "<1h",
                    "-md5",
                    "e499c1912bd9af4f7e8ccaf27f7b04d2",
                    "-sha2",
                    "4d8ef27c4415d71cbbfad1eaa97d6f2a3ddacc9708b66efbb726133b9fd3d79a",
                    "-matchany",
                    "-macroal",
                    "-mismatch",
                    "content",
                    "-matchlimit",
                    "10",
                    "-maxdepth",
                    "2",
                    "-maxerrors",
                    "31",
                    "-verbose",
                    "-decompress",
                    "-returnsha256"));

    @Provide
    Arbitrary<String> json() {
        return Arbitraries.of(JSON);
    }

    @Provide
    Arbitrary<List<String>> args() {
        return Arbitraries.of(ARGS);
    }

    @Property(tries = 700)
    void mutatedJsonParametersAreReadOrRefused(@ForAll("json") String sample, @ForAll long seed) {
        String input = Fuzz.mutate(sample, new Random(seed));
        TALLY.add(
                "mutated JSON parameters",
                Fuzz.check(
                        input,
                        () -> readAndCompile(GoJson.tree(input)),
                        ParameterException.class,
                        GoJsonException.class));
    }

    @Property(tries = 600)
    void mutatedFlagsAreParsedOrRefused(@ForAll("args") List<String> sample, @ForAll long seed) {
        List<String> input = FuzzArgs.mutate(sample, new Random(seed));
        TALLY.add(
                "mutated flags",
                Fuzz.check(input, () -> readAndCompile(new FileModule().parseArgs(input)), ParameterException.class));
    }

    /** What {@link FileModule#run} does with parameters before it walks: read, then compile each search. */
    private static Object readAndCompile(JsonNode params) throws ParameterException {
        ParamsReader.Parsed parsed = ParamsReader.read(params);
        int k = 0;
        for (Map.Entry<String, Search> e : parsed.searches().entrySet()) {
            try {
                SearchCompiler.compile(k++, e.getKey(), e.getValue(), NOW);
            } catch (ParameterException refused) {
                // refused searches are reported in the result's errors, as run() does
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    throw new IllegalStateException("refusal without a message", refused);
                }
            }
        }
        return parsed;
    }

    @AfterContainer
    static void report() {
        TALLY.print();
    }
}
