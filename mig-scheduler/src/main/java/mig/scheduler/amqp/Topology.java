package mig.scheduler.amqp;

import static mig.common.amqp.AmqpNames.HEARTBEATS;
import static mig.common.amqp.AmqpNames.RESULTS;
import static mig.common.amqp.AmqpNames.TO_AGENTS;
import static mig.common.amqp.AmqpNames.TO_SCHEDULERS;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import mig.common.amqp.AmqpNames;

/**
 * What the scheduler declares (spec §5, {@code amqp-topology-before.txt}), by the names of
 * {@link AmqpNames}: direct durable exchanges {@code toagents} and {@code toschedulers}, durable
 * queues {@code mig.agt.results} and {@code mig.agt.heartbeats} bound to {@code toschedulers} under
 * their own names. Agent queues {@code mig.agt.<queueloc>} are the agents' to declare.
 */
public final class Topology {

    private Topology() {}

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
