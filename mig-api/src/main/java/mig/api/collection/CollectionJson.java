package mig.api.collection;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import mig.common.json.GoJson;
import mig.common.json.OmitEmpty;

/**
 * A Collection+JSON document as the original API writes it (Go package {@code jvehent/cljs}):
 * <pre>{"collection":{"version":"1.0","href":"...","links":[..],"items":[..],"template":{},"error":{..}}}</pre>
 * {@code links} and {@code items} are left out when empty, {@code template} is always {@code {}}, and
 * {@code error} is {@code {}} unless set. Written with {@link GoJson}, so values carry Go's JSON.
 *
 * <p>Not thread-safe: one document is built by one request.
 */
public final class CollectionJson {

    private final String href;
    private final List<Link> links = new ArrayList<>();
    private final List<Item> items = new ArrayList<>();
    private Problem error = Problem.NONE;

    /** A document about the resource at {@code href} (the original uses host + request URI). */
    public CollectionJson(String href) {
        this.href = href;
    }

    /** Appends an item. */
    public CollectionJson add(Item item) {
        items.add(item);
        return this;
    }

    /** Appends several items. */
    public CollectionJson addAll(List<Item> more) {
        items.addAll(more);
        return this;
    }

    /** Appends a collection-level link. */
    public CollectionJson link(Link link) {
        links.add(link);
        return this;
    }

    /** Sets the error: {@code code} is the request's operation id, {@code message} says what went wrong. */
    public CollectionJson error(String code, String message) {
        this.error = new Problem("", code, message);
        return this;
    }

    public List<Item> items() {
        return List.copyOf(items);
    }

    /** The document as Go's {@code json.Marshal} writes it. */
    public String toJson() {
        return GoJson.marshal(new Document(
                new Collection("1.0", href, List.copyOf(links), List.copyOf(items), Template.EMPTY, error)));
    }

    /** The top-level object. */
    public record Document(@JsonProperty("collection") Collection collection) {}

    /** {@code collection}, in the field order of the original. */
    public record Collection(
            @JsonProperty("version") String version,
            @JsonProperty("href") String href,
            @JsonProperty("links") @OmitEmpty List<Link> links,
            @JsonProperty("items") @OmitEmpty List<Item> items,
            @JsonProperty("template") Template template,
            @JsonProperty("error") Problem error) {}

    /** {@code template}: MIG never fills it. */
    public record Template(@JsonProperty("data") @OmitEmpty List<Data> data) {
        static final Template EMPTY = new Template(List.of());
    }

    /** {@code error}: every field is left out when empty, so no error is {@code {}}. */
    public record Problem(
            @JsonProperty("title") @OmitEmpty String title,
            @JsonProperty("code") @OmitEmpty String code,
            @JsonProperty("message") @OmitEmpty String message) {
        static final Problem NONE = new Problem("", "", "");
    }
}
