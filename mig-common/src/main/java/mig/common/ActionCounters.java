package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import mig.common.json.OmitEmpty;

/**
 * Progress of an action, computed from its commands and never stored (spec §1.3): each counter is
 * omitted when zero, so a fresh action shows {@code "counters":{}}.
 */
public record ActionCounters(
        @JsonProperty("sent") @OmitEmpty int sent,
        @JsonProperty("done") @OmitEmpty int done,
        @JsonProperty("inflight") @OmitEmpty int inFlight,
        @JsonProperty("success") @OmitEmpty int success,
        @JsonProperty("cancelled") @OmitEmpty int cancelled,
        @JsonProperty("expired") @OmitEmpty int expired,
        @JsonProperty("failed") @OmitEmpty int failed,
        @JsonProperty("timeout") @OmitEmpty int timeout) {

    public static final ActionCounters EMPTY = new ActionCounters(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Counters from {@code SELECT status, COUNT(id) FROM commands WHERE actionid=? GROUP BY status}:
     * inflight = sent commands, done = the five final statuses, sent = inflight + done.
     */
    public static ActionCounters fromStatusCounts(Map<String, Integer> counts) {
        int inflight = counts.getOrDefault(Command.STATUS_SENT, 0);
        int success = counts.getOrDefault(Command.STATUS_SUCCESS, 0);
        int cancelled = counts.getOrDefault(Command.STATUS_CANCELLED, 0);
        int expired = counts.getOrDefault(Command.STATUS_EXPIRED, 0);
        int failed = counts.getOrDefault(Command.STATUS_FAILED, 0);
        int timeout = counts.getOrDefault(Command.STATUS_TIMEOUT, 0);
        int done = success + cancelled + expired + failed + timeout;
        return new ActionCounters(inflight + done, done, inflight, success, cancelled, expired, failed, timeout);
    }

    /** The client's summary line, e.g. {@code 3 sent, 2 done, 1 inflight, 2 succeeded}. */
    public String summary() {
        StringBuilder sb =
                new StringBuilder().append(sent).append(" sent, ").append(done).append(" done");
        if (inFlight > 0) {
            sb.append(", ").append(inFlight).append(" inflight");
        }
        if (success > 0) {
            sb.append(", ").append(success).append(" succeeded");
        }
        if (cancelled > 0) {
            sb.append(", ").append(cancelled).append(" cancelled");
        }
        if (expired > 0) {
            sb.append(", ").append(expired).append(" expired");
        }
        if (failed > 0) {
            sb.append(", ").append(failed).append(" failed");
        }
        if (timeout > 0) {
            sb.append(", ").append(timeout).append(" timed out");
        }
        return sb.toString();
    }
}
