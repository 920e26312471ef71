package mig.api.collection;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import mig.common.json.OmitEmpty;

/** One Collection+JSON item: where it lives, its data, and links ({@code data}/{@code links} omitted when empty). */
public record Item(
        @JsonProperty("href") String href,
        @JsonProperty("data") @OmitEmpty List<Data> data,
        @JsonProperty("links") @OmitEmpty List<Link> links) {

    public Item {
        data = data == null ? List.of() : List.copyOf(data);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** An item holding one named value, MIG's usual item ({@code "action"}, {@code "agent"}, ...). */
    public static Item of(String href, String name, Object value) {
        return new Item(href, List.of(new Data(name, value)), List.of());
    }

    /** The same item with these links. */
    public Item withLinks(Link... more) {
        return new Item(href, data, List.of(more));
    }
}
