package mig.bench.fleet;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mig.agent.command.CommandProcessor;
import mig.common.AgentEnv;
import mig.common.AgentEnvAws;
import mig.common.amqp.AmqpNames;

/**
 * One simulated endpoint: its name, queue location ({@code linux.<80+ random base-36 characters>}, as
 * a real agent's), a pid of its own (the agents table tells agents apart by queueloc and pid), the
 * environment its heartbeats report, the real agent's {@link CommandProcessor} bound to its
 * queueloc, which checks every command with the real {@code Trust} before running a module, and the
 * ids of the commands it took, so that a copy delivered again is dropped as the real agent's spool
 * drops it.
 */
record SimAgent(
        int index,
        String name,
        String queueLoc,
        int pid,
        AgentEnv environment,
        Map<String, String> tags,
        CommandProcessor processor,
        Set<Long> taken) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The AMQP queue (and routing key on {@code toagents}) of this agent. */
    String queueName() {
        return AmqpNames.agentQueue(queueLoc);
    }

    /** A new queue location, shaped like a real agent's. */
    static String newQueueLoc() {
        StringBuilder uid = new StringBuilder(104);
        while (uid.length() < 80) {
            uid.append(Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
        }
        return "linux." + uid;
    }

    /** The environment a simulated Debian host reports. */
    static AgentEnv environment(int index, List<String> modules) {
        String ip = "10." + ((index >> 16) & 0xff) + "." + ((index >> 8) & 0xff) + "." + (index & 0xff);
        return new AgentEnv(
                "systemd",
                "Debian 12 bookworm",
                "linux",
                "amd64",
                false,
                "",
                List.of(ip + "/8"),
                "127.0.0.1",
                AgentEnvAws.EMPTY,
                modules);
    }
}
