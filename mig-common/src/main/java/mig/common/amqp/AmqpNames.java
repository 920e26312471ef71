package mig.common.amqp;

import java.util.Map;

/**
 * MIG's AMQP names (spec §5, {@code amqp-topology-before.txt}), the one definition the agent, the
 * scheduler and the bench use: direct durable exchanges {@code toagents} and {@code toschedulers},
 * the scheduler's durable queues {@code mig.agt.results} and {@code mig.agt.heartbeats} bound to
 * {@code toschedulers} under their own names, and one durable queue {@code mig.agt.<queueloc>} per
 * agent bound to {@code toagents} under its own name.
 */
public final class AmqpNames {

    /** The exchange commands go out on, routed by agent queue name. */
    public static final String TO_AGENTS = "toagents";
    /** The exchange results and heartbeats come back on, routed by queue name. */
    public static final String TO_SCHEDULERS = "toschedulers";
    /** The scheduler's queue (and routing key on {@code toschedulers}) for command results. */
    public static final String RESULTS = "mig.agt.results";
    /** The scheduler's queue (and routing key on {@code toschedulers}) for legacy AMQP heartbeats. */
    public static final String HEARTBEATS = "mig.agt.heartbeats";

    /**
     * The declare arguments of an agent queue on a relay cluster (an agent given several relay
     * URIs): a quorum queue, replicated over the nodes. On a single relay it has none (classic).
     */
    public static final Map<String, Object> AGENT_QUEUE_ON_CLUSTER = Map.of("x-queue-type", "quorum");

    private static final String AGENT_QUEUE_PREFIX = "mig.agt.";

    private AmqpNames() {}

    /** The queue (and routing key on {@code toagents}) of the agent with this queueloc. */
    public static String agentQueue(String queueLoc) {
        return AGENT_QUEUE_PREFIX + queueLoc;
    }
}
