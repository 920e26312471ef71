package mig.modules.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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
 * Fuzzing of the memory module's parameter readers: JSON parameters (read and compiled as
 * {@link MemoryModule#run} does before it scans any process) and the client's flags. A try is
 * accepted or refused with {@link ParameterException} ({@link GoJsonException} for text that is not
 * JSON).
 */
class MemoryParamsFuzzTest {

    private static final Tally TALLY = new Tally("memory module parameters");

    static final List<String> JSON = List.of(
            "{\"searches\":{\"s1\":{\"contents\":[\"migref-memory-marker-[0-9]+\"],\"names\":[\"^bash$\"],"
                    + "\"options\":{\"matchall\":true}}}}",
            "{\"searches\":{\"s1\":{\"bytes\":[\"ff00d1ab\"],\"libraries\":[\"libssl\"],\"options\":"
                    + "{\"logfailures\":true,\"maxlength\":1048576,\"offset\":4096}},"
                    + "\"s2\":{\"names\":[\"(?i)java\"]}}}");

    static final List<List<String>> ARGS = List.of(
            List.of("-name", "^bash$", "-content", "migref-memory-marker-[0-9]+"),
            List.of(
                    "-lib",
                    "libssl",
                    "-bytes",
                    "ff00d1ab",
                    "-offset",
                    "4096",
                    "-maxlength=1048576",
                    "-matchany",
                    "-logfailures"));

    @Provide
    Arbitrary<String> json() {
        return Arbitraries.of(JSON);
    }

    @Provide
    Arbitrary<List<String>> args() {
        return Arbitraries.of(ARGS);
    }

    @Property(tries = 600)
    void mutatedJsonParametersAreReadOrRefused(@ForAll("json") String sample, @ForAll long seed) {
        String input = Fuzz.mutate(sample, new Random(seed));
        TALLY.add(
                "mutated JSON parameters",
                Fuzz.check(input, () -> compile(GoJson.tree(input)), ParameterException.class, GoJsonException.class));
    }

    @Property(tries = 500)
    void mutatedFlagsAreParsedOrRefused(@ForAll("args") List<String> sample, @ForAll long seed) {
        List<String> input = FuzzArgs.mutate(sample, new Random(seed));
        TALLY.add(
                "mutated flags",
                Fuzz.check(input, () -> compile(new MemoryModule().parseArgs(input)), ParameterException.class));
    }

    private static Object compile(JsonNode json) throws ParameterException {
        return CompiledSearch.compileAll(MemoryModule.parameters(json));
    }

    @AfterContainer
    static void report() {
        TALLY.print();
    }
}
