package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One row of {@code agents_stats}, MIG's {@code mig.AgentsStats}: what the scheduler's periodic job
 * counts about agents and endpoints (spec §6.4) and the API's dashboard shows. The counts are
 * {@code float64} in the original, stored in {@code numeric} columns, so they are doubles here;
 * the JSON of a whole double is the integer Go writes ({@code 2}, not {@code 2.0}).
 */
public record AgentsStats(
        @JsonProperty("timestamp") Instant timestamp,
        @JsonProperty("onlineagents") double onlineAgents,
        @JsonProperty("onlineagentsbyversion") List<VersionCount> onlineAgentsByVersion,
        @JsonProperty("onlineendpoints") double onlineEndpoints,
        @JsonProperty("idleagents") double idleAgents,
        @JsonProperty("idleagentsbyversion") List<VersionCount> idleAgentsByVersion,
        @JsonProperty("idleendpoints") double idleEndpoints,
        @JsonProperty("newendpoints") double newEndpoints,
        @JsonProperty("multiagentsendpoints") double multiAgentsEndpoints,
        @JsonProperty("disappearedendpoints") double disappearedEndpoints,
        @JsonProperty("flappingendpoints") double flappingEndpoints) {

    /** Agents of one version, MIG's {@code mig.AgentsVersionsSum}, stored as {@code {"version","count"}}. */
    public record VersionCount(
            @JsonProperty("version") String version,
            @JsonProperty("count") double count) {}
}
