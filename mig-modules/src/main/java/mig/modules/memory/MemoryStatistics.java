package mig.modules.memory;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import mig.common.json.OmitEmpty;

/**
 * The run's statistics, the original's {@code statistics} struct.
 *
 * @param processCount processes examined (their name was read)
 * @param memoryRead   bytes of process memory read
 * @param totalHits    result entries naming a process
 * @param failures     processes that could not be examined or read, and (with {@code logfailures})
 *                     regions that could not be read
 * @param exectime     Go duration text
 */
record MemoryStatistics(
        @JsonProperty("processcount") long processCount,
        @JsonProperty("memoryread") long memoryRead,
        @JsonProperty("totalhits") long totalHits,
        @JsonProperty("failures") @OmitEmpty List<String> failures,
        @JsonProperty("exectime") String exectime) {}
