package mig.testkit.fuzz;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Per-property counts of a fuzz test class, printed as one line per property when the class is done
 * (jqwik's own report is kept for failures only), e.g.
 * {@code FUZZ GoJson Action mutated: 600 tries (512 refused, 88 accepted) in 1.2 s}.
 */
public final class Tally {

    private final String parser;
    private final Map<String, long[]> counts = new ConcurrentSkipListMap<>();

    public Tally(String parser) {
        this.parser = parser;
    }

    /** Counts one try of {@code property}; returns the outcome for chaining. */
    public Fuzz.Outcome add(String property, Fuzz.Outcome outcome) {
        long now = System.nanoTime();
        long[] c = counts.computeIfAbsent(property, k -> new long[] {0, 0, now, now});
        synchronized (c) {
            c[outcome == Fuzz.Outcome.REFUSED ? 0 : 1]++;
            c[3] = now;
        }
        return outcome;
    }

    /** Prints and forgets the lines; call from {@code @AfterContainer}. */
    public void print() {
        counts.forEach((property, c) -> System.out.printf(
                "FUZZ %s %s: %d tries (%d refused, %d accepted) in %.1f s%n",
                parser, property, c[0] + c[1], c[0], c[1], (c[3] - c[2]) / 1e9));
        counts.clear();
    }
}
