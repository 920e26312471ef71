package mig.scheduler.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import mig.common.Agent;
import mig.common.AgentEnv;
import org.junit.jupiter.api.Test;

class HeartbeatRulesTest {

    static final Instant NOW = Instant.parse("2026-11-28T19:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(20);

    static Agent hb(String name, String mode, String version, Instant sent) {
        return new Agent(
                0, name, "linux.abc", mode, version, 42, "", sent, null, sent, sent, "", false, AgentEnv.EMPTY, null);
    }

    @Test
    void acceptsADaemonCheckinOrUnsetMode() {
        for (String mode : new String[] {"", "daemon", "checkin"}) {
            assertEquals(Optional.empty(), HeartbeatRules.refusal(hb("vm", mode, "1.0", NOW), NOW, TIMEOUT));
        }
    }

    @Test
    void refusesWhatTheOriginalRefuses() {
        assertEquals(
                Optional.of("invalid mode 'rogue'"),
                HeartbeatRules.refusal(hb("vm", "rogue", "1.0", NOW), NOW, TIMEOUT));
        assertEquals(
                Optional.of("agent name longer than 1024 characters"),
                HeartbeatRules.refusal(hb("n".repeat(1025), "daemon", "1.0", NOW), NOW, TIMEOUT));
        assertEquals(
                Optional.of("agent version longer than 128 characters"),
                HeartbeatRules.refusal(hb("vm", "daemon", "v".repeat(129), NOW), NOW, TIMEOUT));
        Instant old = NOW.minus(TIMEOUT).minusSeconds(1);
        assertEquals(
                Optional.of("expired heartbeat (sent " + old + ", older than the agent timeout)"),
                HeartbeatRules.refusal(hb("vm", "daemon", "1.0", old), NOW, TIMEOUT));
    }
}
