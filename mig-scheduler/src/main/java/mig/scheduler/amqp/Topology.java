package mig.scheduler.amqp;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;

/**
 * MIG's AMQP names and what the scheduler declares (spec §5, {@code amqp-topology-before.txt}):
 * direct durable exchanges {@code toagents} and {@code toschedulers}, durable queues
 * {@code mig.agt.results} and {@code mig.agt.heartbeats} bound to {@code toschedulers} under their
 * own names. Agent queues {@code mig.agt.<queueloc>} are the agents' to declare.
 */
public final class Topology {

    public static final String TO_AGENTS = "toagents";
    public static final String TO_SCHEDULERS = "toschedulers";
    public static final String RESULTS = "mig.agt.results";
    public static final String HEARTBEATS = "mig.agt.heartbeats";

    private Topology() {
    }

    /** The queue (and routing key on {@code toagents}) of the agent with this queueloc. */
    public static String agentQueue(String queueLoc) {
        return "mig.agt." + queueLoc;
    }

    /** Declares the exchanges and the scheduler's queues, with the original's flags. */
    public static void declare(Channel ch) throws IOException {
        ch.exchangeDeclare(TO_AGENTS, BuiltinExchangeType.DIRECT, true, false, false, null);
        ch.exchangeDeclare(TO_SCHEDULERS, BuiltinExchangeType.DIRECT, true, false, false, null);
        for (String queue : new String[] {RESULTS, HEARTBEATS}) {
            ch.queueDeclare(queue, true, false, false, null);
            ch.queueBind(queue, TO_SCHEDULERS, queue);
        }
    }
}
