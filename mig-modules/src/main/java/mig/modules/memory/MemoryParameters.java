package mig.modules.memory;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;
import mig.common.json.OmitEmpty;

/**
 * The memory module's parameters: searches by label ({@code [a-zA-Z0-9_-]{1,64}}). The command
 * line always makes one search labelled {@code s1}.
 */
record MemoryParameters(@JsonProperty("searches") @OmitEmpty Map<String, MemorySearch> searches) {

    MemoryParameters {
        searches = searches == null ? Map.of() : new TreeMap<>(searches);
    }
}
