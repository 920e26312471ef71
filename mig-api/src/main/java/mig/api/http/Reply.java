package mig.api.http;

import java.nio.charset.StandardCharsets;
import mig.api.collection.CollectionJson;

/**
 * What an endpoint answers: status, body and how to label it. The original labels everything it
 * writes through its {@code respond()} as {@code application/json} with {@code Cache-Control:
 * no-cache}, even plain text (the caller's IP, an armoured key); the agent heartbeat handler writes
 * its own JSON without {@code Cache-Control}.
 *
 * @param status HTTP status
 * @param body the exact bytes sent
 * @param noCache whether to send {@code Cache-Control: no-cache}
 */
public record Reply(int status, byte[] body, boolean noCache) {

    /** A Collection+JSON document. */
    public static Reply of(int status, CollectionJson doc) {
        return new Reply(status, doc.toJson().getBytes(StandardCharsets.UTF_8), true);
    }

    /** Text sent as-is through the original's {@code respond()} (still labelled application/json). */
    public static Reply text(int status, String text) {
        return new Reply(status, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** A JSON body written by a Go {@code json.Encoder}: the text plus a newline, no Cache-Control. */
    public static Reply encoderJson(int status, String json) {
        return new Reply(status, (json + "\n").getBytes(StandardCharsets.UTF_8), false);
    }
}
