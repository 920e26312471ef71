package mig.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;

/**
 * One HTTP answer of the API: status and body, read as Collection+JSON on demand. Refusals become
 * an {@link ApiException} carrying the API's own error message and a hint for 401s.
 */
record Answer(int status, String body) {

    JsonNode json() throws ApiException {
        try {
            return GoJson.tree(body);
        } catch (GoJsonException e) {
            throw new ApiException("API answered " + status + " with non-JSON: " + abbreviate(body), status, e);
        }
    }

    /** Succeeds for {@code expected} (or any 2xx when it is 200 or less than 0), else throws. */
    void requireSuccess(String what, int expected) throws ApiException {
        boolean ok = expected > 200 ? status == expected || status == 200 : status >= 200 && status < 300;
        if (ok) {
            return;
        }
        String msg;
        try {
            msg = Optional.ofNullable(GoJson.tree(body)
                            .path("collection")
                            .path("error")
                            .path("message")
                            .textValue())
                    .filter(s -> !s.isEmpty())
                    .orElse("HTTP " + status);
        } catch (GoJsonException e) {
            msg = "HTTP " + status + " " + abbreviate(body.strip());
        }
        String hint = status == 401
                ? " (is your key registered as an active investigator? check [gpg] keyid in your migrc)"
                : "";
        throw new ApiException("API refused " + what + ": " + msg + hint, status, null);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
