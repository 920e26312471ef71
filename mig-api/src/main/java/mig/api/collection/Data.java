package mig.api.collection;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A named value of an item. The value is always written (a Go {@code interface{}} holding a zero
 * number or an empty list is not "empty" to Go's {@code omitempty}).
 */
public record Data(
        @JsonProperty("name") String name,
        @JsonProperty("value") Object value) {}
