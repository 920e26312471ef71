package mig.database.scheduling;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One row of {@code agents_stats}, MIG's {@code mig.AgentsStats}: what the periodic job counts
 * about agents and endpoints (spec §6.4).
 */
public record AgentsStats(
        Instant timestamp,
        long onlineAgents,
        List<VersionCount> onlineAgentsByVersion,
        long onlineEndpoints,
        long idleAgents,
        List<VersionCount> idleAgentsByVersion,
        long idleEndpoints,
        long newEndpoints,
        long multiAgentsEndpoints,
        long disappearedEndpoints,
        long flappingEndpoints) {

    public AgentsStats {
        onlineAgentsByVersion = List.copyOf(onlineAgentsByVersion);
        idleAgentsByVersion = List.copyOf(idleAgentsByVersion);
    }

    /** Agents of one version, MIG's {@code AgentsVersionsSum}, stored as {@code {"version","count"}}. */
    public record VersionCount(@JsonProperty("version") String version, @JsonProperty("count") long count) {
    }
}
