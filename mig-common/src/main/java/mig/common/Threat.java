package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import mig.common.json.OmitEmpty;

/** The threat indicator an action hunts for: MIG's {@code mig.Threat}. */
public record Threat(
        @JsonProperty("ref") @OmitEmpty String ref,
        @JsonProperty("level") @OmitEmpty String level,
        @JsonProperty("family") @OmitEmpty String family,
        @JsonProperty("type") @OmitEmpty String type) {

    /** Go's zero {@code Threat}, written as {@code {}}. */
    public static final Threat EMPTY = new Threat("", "", "", "");

    public Threat {
        ref = Objects.requireNonNullElse(ref, "");
        level = Objects.requireNonNullElse(level, "");
        family = Objects.requireNonNullElse(family, "");
        type = Objects.requireNonNullElse(type, "");
    }
}
