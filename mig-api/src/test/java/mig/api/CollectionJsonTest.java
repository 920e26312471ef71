package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import mig.api.collection.CollectionJson;
import mig.api.collection.Data;
import mig.api.collection.Item;
import mig.api.collection.Link;
import org.junit.jupiter.api.Test;

/** Collection+JSON documents written exactly as the original's cljs library writes them. */
class CollectionJsonTest {

    @Test
    void theHealthDocumentIsTheRecordedOne() {
        String json = new CollectionJson("http://localhost:1664/api/v1/heartbeat")
                .add(Item.of("/api/v1/heartbeat", "heartbeat", "gatorz say hi"))
                .toJson();
        assertEquals(Resources.wire("01-heartbeat.json"), json);
    }

    @Test
    void anErrorDocumentHasNoItemsAndTheCodeAndMessage() {
        String json = new CollectionJson("http://localhost:1664/api/v1/dashboard")
                .error("28090946682981", "Valid authentication header not found")
                .toJson();
        assertEquals(Resources.wire("03-dashboard-noauth.json"), json);
    }

    @Test
    void zeroValuesAreWrittenAndEmptyListsAreLeftOut() {
        String json = new CollectionJson("h")
                .add(new Item(
                        "i",
                        List.of(new Data("online agents", 0.0), new Data("idle agents by version", null)),
                        List.of()))
                .link(new Link("self", "h"))
                .toJson();
        assertEquals(
                "{\"collection\":{\"version\":\"1.0\",\"href\":\"h\",\"links\":[{\"rel\":\"self\",\"href\":\"h\"}],"
                        + "\"items\":[{\"href\":\"i\",\"data\":[{\"name\":\"online agents\",\"value\":0},"
                        + "{\"name\":\"idle agents by version\",\"value\":null}]}],\"template\":{},\"error\":{}}}",
                json);
    }
}
