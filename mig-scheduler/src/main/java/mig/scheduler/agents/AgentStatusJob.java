package mig.scheduler.agents;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import mig.common.AgentsStats;
import mig.database.scheduling.AgentUpkeep;
import mig.scheduler.config.SchedulerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic job ({@code [periodic] freq}): idle agents past the agent timeout go offline, then
 * online agents silent for 5 heartbeats go idle (in that order, as the original, so an agent is
 * idle for at least one run), then one {@code agents_stats} row is written. With
 * {@code detectmultiagents}, each endpoint running several agents goes to {@link DuplicateAgents}:
 * a kill order with {@code killdupagents}, a warning for manual inspection without.
 */
public final class AgentStatusJob implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentStatusJob.class);

    private final AgentUpkeep upkeep;
    private final DuplicateAgents duplicates;
    private final SchedulerConfig config;
    private final Clock clock;

    public AgentStatusJob(AgentUpkeep upkeep, DuplicateAgents duplicates, SchedulerConfig config, Clock clock) {
        this.upkeep = upkeep;
        this.duplicates = duplicates;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void run() {
        run(clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /** One run as of {@code now}; returns the statistics written. */
    public AgentsStats run(Instant now) {
        int offline = upkeep.markOffline(now.minus(config.agentTimeout()));
        int idle = upkeep.markIdle(now.minus(config.idleAfter()));
        AgentsStats stats = upkeep.compute(now);
        upkeep.store(stats);
        LOG.info(
                "periodic: {} agents marked idle, {} offline; {} online agents on {} endpoints, {} idle agents on "
                        + "{} endpoints, {} new endpoints, {} flapping",
                idle,
                offline,
                (long) stats.onlineAgents(),
                (long) stats.onlineEndpoints(),
                (long) stats.idleAgents(),
                (long) stats.idleEndpoints(),
                (long) stats.newEndpoints(),
                (long) stats.flappingEndpoints());
        if (config.detectMultiAgents()) {
            List<String> queues = upkeep.multiAgentQueues(now.minus(config.heartbeatFreq()));
            for (String q : queues) {
                try {
                    duplicates.handle(q, now);
                } catch (RuntimeException e) {
                    LOG.error("killDupAgents() -> queueloc={}: {}", q, e.getMessage(), e);
                }
            }
        }
        return stats;
    }
}
