package mig.common.target;

import java.util.List;
import java.util.Random;
import mig.testkit.fuzz.Fuzz;
import mig.testkit.fuzz.Tally;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing of the target parser and compiler (a target arrives in every action, and in the API's
 * agent search): every documented target mutated, and random text. A try compiles to SQL with one
 * bound parameter per placeholder, or fails with {@link TargetSyntaxException} with a message.
 */
class TargetFuzzTest {

    private static final Tally TALLY = new Tally("Target");
    private static final List<String> DOCUMENTED =
            DocumentedTargets.all().map(a -> (String) a.get()[1]).toList();

    @Provide
    Arbitrary<String> documented() {
        return Arbitraries.of(DOCUMENTED);
    }

    @Property(tries = 2000)
    void mutatedTargetsCompileOrAreRefused(@ForAll("documented") String sample, @ForAll long seed) {
        String input = Fuzz.mutate(sample, new Random(seed));
        TALLY.add("mutated documented targets", Fuzz.check(input, () -> compile(input), TargetSyntaxException.class));
    }

    @Property(tries = 600)
    void randomTextCompilesOrIsRefused(@ForAll long seed) {
        String input = Fuzz.randomText(new Random(seed), 200);
        TALLY.add("random text", Fuzz.check(input, () -> compile(input), TargetSyntaxException.class));
    }

    private static SqlFragment compile(String target) {
        SqlFragment f = TargetQuery.agentsSql(target);
        long placeholders = f.sql().chars().filter(c -> c == '?').count();
        if (placeholders != f.params().size()) {
            throw new IllegalStateException(
                    placeholders + " placeholders but " + f.params().size() + " parameters in " + f.sql());
        }
        return f;
    }

    @AfterContainer
    static void report() {
        TALLY.print();
    }
}
