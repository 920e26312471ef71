package mig.modules.file;

import java.util.List;

/**
 * What inspecting one file (or failing to walk one directory) produced, handed back to the walker
 * thread in walk order and committed there by {@link ResultCollector}.
 *
 * @param path       the file as reported, or null for an outcome that only carries errors
 * @param info       the file's fileinfo when some search matched it, else null
 * @param hits       the searches and checks the file passed
 * @param errors     errors to report, in order
 * @param counted    whether the file counts in {@code filescount}
 * @param openFailed whether it counts in {@code openfailed}
 * @param aborted    set when the inspection stopped at the deadline or on interrupt
 */
record FileOutcome(
        String path,
        FileInfo info,
        List<Hit> hits,
        List<String> errors,
        boolean counted,
        boolean openFailed,
        SearchAborted aborted) {

    /**
     * One search's verdict on the file.
     *
     * @param search index of the search
     * @param checks matchany: the indices of the checks the file passed; matchall: empty, the file
     *               passed them all
     */
    record Hit(int search, int[] checks) {}

    FileOutcome {
        hits = List.copyOf(hits);
        errors = List.copyOf(errors);
    }

    /** An outcome carrying only an error, e.g. a directory that could not be opened. */
    static FileOutcome error(String message, boolean openFailed) {
        return new FileOutcome(null, null, List.of(), List.of(message), false, openFailed, null);
    }

    /** The marker for an inspection cut short by the deadline or an interrupt. */
    static FileOutcome aborted(SearchAborted why) {
        return new FileOutcome(null, null, List.of(), List.of(), false, false, why);
    }
}
