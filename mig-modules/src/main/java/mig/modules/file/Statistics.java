package mig.modules.file;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The file module's statistics, as the original's struct: counters as floats and the run time as
 * a Go duration string ({@code 82.302599ms}).
 *
 * @param filesCount  files inspected
 * @param openFailed  directories, files and links that could not be opened or resolved
 * @param totalHits   files matched (matchall) or file-check matches (matchany)
 * @param execTime    wall time of the whole run
 */
record Statistics(
        @JsonProperty("filescount") double filesCount,
        @JsonProperty("openfailed") double openFailed,
        @JsonProperty("totalhits") double totalHits,
        @JsonProperty("exectime") String execTime) {

    /** What a refused run reports, as the original does: zeros and an empty time. */
    static final Statistics ZERO = new Statistics(0, 0, 0, "");
}
