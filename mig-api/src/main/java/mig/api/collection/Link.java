package mig.api.collection;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A link of an item or of the collection: relation and target. */
public record Link(
        @JsonProperty("rel") String rel,
        @JsonProperty("href") String href) {}
