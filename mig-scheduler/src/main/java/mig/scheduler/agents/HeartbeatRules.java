package mig.scheduler.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import mig.common.Agent;

/**
 * The original's sanity checks on a legacy AMQP heartbeat (spec §5): at most 100 kB, mode empty,
 * {@code daemon} or {@code checkin}, name at most 1024 characters, version at most 128, and not
 * older than the agent timeout. We also refuse an empty queueloc, which no command could reach.
 */
public final class HeartbeatRules {

    /** Largest heartbeat body accepted: "normally 0.5 to 5 kB, some may be larger". */
    public static final int MAX_BYTES = 102_400;

    private HeartbeatRules() {}

    /** Why the heartbeat is refused, or empty if it is acceptable. */
    public static Optional<String> refusal(Agent hb, Instant now, Duration agentTimeout) {
        if (hb.heartbeatTs().isBefore(now.minus(agentTimeout))) {
            return Optional.of("expired heartbeat (sent " + hb.heartbeatTs() + ", older than the agent timeout)");
        }
        if (!hb.mode().isEmpty()
                && !hb.mode().equals(Agent.MODE_DAEMON)
                && !hb.mode().equals(Agent.MODE_CHECKIN)) {
            return Optional.of("invalid mode '" + hb.mode() + "'");
        }
        if (hb.name().length() > 1024) {
            return Optional.of("agent name longer than 1024 characters");
        }
        if (hb.version().length() > 128) {
            return Optional.of("agent version longer than 128 characters");
        }
        if (hb.queueLoc().isEmpty()) {
            return Optional.of("empty queueloc");
        }
        return Optional.empty();
    }
}
