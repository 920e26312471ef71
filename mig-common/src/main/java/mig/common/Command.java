package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import mig.common.json.GoTime;

/**
 * An action as applied to one agent, with that agent's results: MIG's {@code mig.Command}. This is
 * the body published to {@code toagents} and returned on {@code toschedulers}.
 */
public record Command(
        @JsonProperty("id") long id,
        @JsonProperty("action") Action action,
        @JsonProperty("agent") Agent agent,
        @JsonProperty("status") String status,
        @JsonProperty("results") List<ModuleResult> results,
        @JsonProperty("starttime") Instant startTime,
        @JsonProperty("finishtime") Instant finishTime) {

    public static final String STATUS_SENT = "sent";
    public static final String STATUS_SUCCESS = "success";
    public static final String STATUS_CANCELLED = "cancelled";
    public static final String STATUS_EXPIRED = "expired";
    public static final String STATUS_FAILED = "failed";
    public static final String STATUS_TIMEOUT = "timeout";

    /** Statuses after which a command never changes again. */
    public static final List<String> FINAL_STATUSES =
            List.of(STATUS_SUCCESS, STATUS_CANCELLED, STATUS_EXPIRED, STATUS_FAILED, STATUS_TIMEOUT);

    public Command {
        action = action == null ? Action.EMPTY : action;
        agent = agent == null ? Agent.EMPTY : agent;
        status = Objects.requireNonNullElse(status, "");
        results = results == null ? null : List.copyOf(results);
        startTime = GoTime.orZero(startTime);
        finishTime = GoTime.orZero(finishTime);
    }

    /** The same command with the agent's outcome. */
    public Command withOutcome(String newStatus, List<ModuleResult> newResults, Instant newFinish) {
        return new Command(id, action, agent, newStatus, newResults, startTime, newFinish);
    }

    /** True once the status is one of {@link #FINAL_STATUSES}. */
    public boolean isFinal() {
        return FINAL_STATUSES.contains(status);
    }
}
