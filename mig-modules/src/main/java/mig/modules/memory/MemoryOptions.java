package mig.modules.memory;

import com.fasterxml.jackson.annotation.JsonProperty;
import mig.common.json.OmitEmpty;

/**
 * A search's options, the original's {@code options} struct (numbers are Go float64 on the wire).
 *
 * @param offset      address to start reading each process's memory at (0: the lowest mapping)
 * @param maxLength   stop the search in a process after reading this many bytes of it (0: no limit)
 * @param logFailures also report soft failures (unreadable regions, failed reads) in statistics
 * @param matchAll    a process must pass every check of the search (else each check is on its own)
 */
record MemoryOptions(
        @JsonProperty("offset") @OmitEmpty double offset,
        @JsonProperty("maxlength") @OmitEmpty double maxLength,
        @JsonProperty("logfailures") @OmitEmpty boolean logFailures,
        @JsonProperty("matchall") @OmitEmpty boolean matchAll) {

    /** All zero: no offset, no limit, no failure log, match any. */
    static final MemoryOptions NONE = new MemoryOptions(0, 0, false, false);
}
