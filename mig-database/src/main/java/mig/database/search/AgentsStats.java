package mig.database.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The platform's latest agent statistics (a row of {@code agents_stats}, written by the
 * scheduler): MIG's {@code mig.AgentsStats}, shown by the API's dashboard.
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

    /** How many agents run one version: MIG's {@code mig.AgentsVersionsSum}. */
    public record VersionCount(@JsonProperty("version") String version, @JsonProperty("count") double count) {
    }
}
