package mig.api.open;

import mig.api.collection.CollectionJson;
import mig.api.collection.Item;
import mig.api.http.Call;
import mig.api.http.Reply;

/** The unauthenticated health route {@code GET /heartbeat} and the caller's IP, {@code GET /ip}. */
public final class PublicEndpoints {
    private PublicEndpoints() {}

    /** One item, href the request URI (no host, as recorded), data {@code heartbeat} = "gatorz say hi". */
    public static Reply heartbeat(Call call) {
        return Reply.of(
                200, new CollectionJson(call.href()).add(Item.of(call.requestUri(), "heartbeat", "gatorz say hi")));
    }

    /** The caller's public IP as plain text (labelled application/json, as the original does). */
    public static Reply ip(Call call) {
        return Reply.text(200, call.clientIp());
    }
}
