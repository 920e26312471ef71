package mig.modules.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;
import mig.common.json.OmitEmpty;

/**
 * The file module's parameters, {@code {"searches":{"<label>":{...}}}}: what the client's flags
 * produce and what an agent receives. Labels are kept sorted, as Go writes map keys.
 */
record FileParameters(@JsonProperty("searches") @OmitEmpty Map<String, Search> searches) {

    FileParameters {
        searches = searches == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(searches));
    }
}
