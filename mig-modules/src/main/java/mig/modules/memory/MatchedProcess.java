package mig.modules.memory;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One result entry: a process and the search (or, with match-any, the single check) it matched.
 * A search that matched nothing gets one entry with an empty name and pid 0, as in the original.
 */
record MatchedProcess(
        @JsonProperty("process") ProcessRef process,
        @JsonProperty("search") MemorySearch search) {

    /** A process by executable path ({@code [comm]} when it has none) and pid. */
    record ProcessRef(
            @JsonProperty("name") String name,
            @JsonProperty("pid") long pid) {}

    boolean isNothing() {
        return process == null || process.name() == null || process.name().isEmpty();
    }
}
