package mig.api;

import mig.api.collection.CollectionJson;
import mig.api.collection.Item;

/** The unauthenticated health route {@code GET /heartbeat} and the caller's IP, {@code GET /ip}. */
final class PublicEndpoints {
    private PublicEndpoints() {}

    /** One item, href the request URI (no host, as recorded), data {@code heartbeat} = "gatorz say hi". */
    static Reply heartbeat(Call call) {
        return Reply.of(
                200, new CollectionJson(call.href()).add(Item.of(call.requestUri(), "heartbeat", "gatorz say hi")));
    }

    /** The caller's public IP as plain text (labelled application/json, as the original does). */
    static Reply ip(Call call) {
        return Reply.text(200, call.clientIp());
    }
}
