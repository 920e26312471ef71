package mig.client.console;

import java.util.ArrayList;
import java.util.List;

/**
 * What Tab offers in one console mode: given the words typed so far and the index of the word
 * being completed, the candidate words (JLine filters them by the typed prefix).
 */
@FunctionalInterface
interface Completions {
    /** No completion (questions). */
    Completions NONE = (words, index) -> List.of();

    List<String> candidates(List<String> words, int index);

    /** The mode's orders for the first word, nothing after it. */
    static Completions orders(List<String> orders) {
        return (words, index) -> index == 0 ? orders : List.of();
    }

    /** These candidates first, then another's. */
    default Completions and(Completions other) {
        return (words, index) -> {
            List<String> all = new ArrayList<>(candidates(words, index));
            all.addAll(other.candidates(words, index));
            return all;
        };
    }
}
