package mig.modules.netstat;

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
 * Fuzzing of the netstat module's parameter readers: JSON parameters (read and validated as
 * {@link NetstatModule#run} does before it reads /proc) and the client's flags. A try is accepted or
 * refused with {@link ParameterException} ({@link GoJsonException} for text that is not JSON).
 */
class NetstatParamsFuzzTest {

    private static final Tally TALLY = new Tally("netstat module parameters");

    static final List<String> JSON = List.of(
            "{\"listeningport\":[\"1664\",\"22\"],\"namespaces\":false}",
            "{\"connectedip\":[\"10.0.0.0/8\"],\"localip\":[\"::1\"],\"localmac\":[\"^8c\"],\"namespaces\":true,"
                    + "\"neighborip\":[\"10.1.2.3\"],\"neighbormac\":[\"^00\"]}");

    static final List<List<String>> ARGS = List.of(
            List.of("-lp", "1664", "-lp", "22"),
            List.of("-lm", "^8c", "-nm=^00", "--li", "::1", "-ni", "10.1.2.3", "-ci", "10.0.0.0/8", "-namespaces"));

    @Provide
    Arbitrary<String> json() {
        return Arbitraries.of(JSON);
    }

    @Provide
    Arbitrary<List<String>> args() {
        return Arbitraries.of(ARGS);
    }

    @Property(tries = 500)
    void mutatedJsonParametersAreReadOrRefused(@ForAll("json") String sample, @ForAll long seed) {
        String input = Fuzz.mutate(sample, new Random(seed));
        TALLY.add(
                "mutated JSON parameters",
                Fuzz.check(input, () -> read(GoJson.tree(input)), ParameterException.class, GoJsonException.class));
    }

    @Property(tries = 400)
    void mutatedFlagsAreParsedOrRefused(@ForAll("args") List<String> sample, @ForAll long seed) {
        List<String> input = FuzzArgs.mutate(sample, new Random(seed));
        TALLY.add(
                "mutated flags",
                Fuzz.check(input, () -> read(new NetstatModule().parseArgs(input)), ParameterException.class));
    }

    private static Object read(JsonNode json) throws ParameterException {
        NetstatParameters p = NetstatModule.parameters(json);
        p.validate();
        return p;
    }

    @AfterContainer
    static void report() {
        TALLY.print();
    }
}
