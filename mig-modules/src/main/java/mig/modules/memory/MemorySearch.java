package mig.modules.memory;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import mig.common.json.OmitEmpty;

/**
 * One labelled search of the memory module, as it travels in an action and as it is echoed in
 * results. Field order is the original's struct order; empty lists are left out; {@code options}
 * is always written (Go never treats a struct as empty).
 *
 * @param names     regexes on the process's executable path
 * @param libraries regexes on the paths of the files it maps (shared libraries)
 * @param bytes     hex byte strings searched in its memory
 * @param contents  regexes searched in its memory, read as UTF-8
 */
record MemorySearch(
        @JsonProperty("description") @OmitEmpty String description,
        @JsonProperty("names") @OmitEmpty List<String> names,
        @JsonProperty("libraries") @OmitEmpty List<String> libraries,
        @JsonProperty("bytes") @OmitEmpty List<String> bytes,
        @JsonProperty("contents") @OmitEmpty List<String> contents,
        @JsonProperty("options") MemoryOptions options) {

    MemorySearch {
        names = copy(names);
        libraries = copy(libraries);
        bytes = copy(bytes);
        contents = copy(contents);
        options = options == null ? MemoryOptions.NONE : options;
    }

    /** An immutable copy; a JSON null inside a list is Go's zero value, the empty string. */
    private static List<String> copy(List<String> values) {
        return values == null
                ? List.of()
                : values.stream().map(v -> v == null ? "" : v).toList();
    }
}
