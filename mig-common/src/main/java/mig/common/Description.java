package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import mig.common.json.OmitEmpty;

/** Who wrote an action and which revision it is: MIG's {@code mig.Description}. */
public record Description(
        @JsonProperty("author") @OmitEmpty String author,
        @JsonProperty("email") @OmitEmpty String email,
        @JsonProperty("url") @OmitEmpty String url,
        @JsonProperty("revision") @OmitEmpty double revision) {

    /** Go's zero {@code Description}, written as {@code {}}. */
    public static final Description EMPTY = new Description("", "", "", 0);

    public Description {
        author = Objects.requireNonNullElse(author, "");
        email = Objects.requireNonNullElse(email, "");
        url = Objects.requireNonNullElse(url, "");
    }
}
