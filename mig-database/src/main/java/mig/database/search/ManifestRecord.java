package mig.database.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import mig.common.json.OmitEmpty;

/**
 * A loader manifest as a search lists it: MIG's {@code mig.ManifestRecord}. Searches leave out the
 * content (a base64 tarball) and the signatures, as the original's do.
 */
public record ManifestRecord(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("content") @OmitEmpty String content,
        @JsonProperty("timestamp") Instant timestamp,
        @JsonProperty("status") String status,
        @JsonProperty("target") String target,
        @JsonProperty("signatures") List<String> signatures) {}
