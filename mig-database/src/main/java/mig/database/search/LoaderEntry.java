package mig.database.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A loader as a search lists it: MIG's {@code mig.LoaderEntry}. The key prefix, the key and the
 * expected environment are never listed; {@code agentname} is {@code "unset"} until the loader
 * first reports, as in the original.
 */
public record LoaderEntry(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("prefix") String prefix,
        @JsonProperty("key") String key,
        @JsonProperty("agentname") String agentName,
        @JsonProperty("lastseen") Instant lastSeen,
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("expectenv") String expectEnv) {}
