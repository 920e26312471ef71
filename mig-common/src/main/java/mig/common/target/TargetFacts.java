package mig.common.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import mig.common.Agent;
import mig.common.json.GoJson;

/**
 * What an agent knows of its own row in {@code agents}, for {@link TargetEvaluator}: the values its
 * heartbeat gives the platform. A null field is a fact the agent does not know (yet), so any
 * condition on it is unknown.
 *
 * <p>{@code status} is not a single fact: an agent receiving a command is {@code online} or, when
 * its heartbeats were late, {@code idle} (the scheduler's status job), and targets only ever see
 * those two (the agent query selects {@code status IN ('online','idle')}). Both are candidates.
 *
 * @param name        the heartbeat's host name
 * @param environment the environment as the API stores it (Go JSON of the heartbeat's environment)
 * @param tags        the tags as the API stores them (a JSON object of strings)
 */
public record TargetFacts(
        String name, String queueLoc, String mode, String version, Long pid, JsonNode environment, JsonNode tags) {

    /** The statuses an agent that receives commands may have in the database. */
    static final List<String> STATUSES = List.of(Agent.STATUS_ONLINE, Agent.STATUS_IDLE);

    /**
     * The facts of the row the API writes for this heartbeat-derived agent ({@code Heartbeat.toAgent()}):
     * environment and tags go through the same Go JSON marshalling as in {@code AgentStore}, so that
     * JSON operators see here what PostgreSQL sees there.
     */
    public static TargetFacts of(Agent agent) {
        Map<String, String> tags = agent.tags() == null ? Map.of() : agent.tags();
        return new TargetFacts(
                agent.name(),
                agent.queueLoc(),
                agent.mode(),
                agent.version(),
                (long) agent.pid(),
                GoJson.tree(GoJson.marshal(agent.environment())),
                GoJson.tree(GoJson.marshal(tags)));
    }

    /** Facts where only the queue location, mode, version and pid are known (before the first look at the host). */
    public static TargetFacts partial(String queueLoc, String mode, String version, long pid) {
        return new TargetFacts(null, queueLoc, mode, version, pid, null, null);
    }
}
