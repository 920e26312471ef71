package mig.scheduler.agents;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import mig.common.Agent;
import mig.common.heartbeat.HeartbeatAuth;
import mig.common.heartbeat.RateLimiter;
import mig.common.heartbeat.RefusalLog;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.database.AgentStore;
import mig.database.DatabaseException;
import mig.database.scheduling.DatabaseFailures;
import mig.scheduler.amqp.Intake;
import mig.scheduler.config.SchedulerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Legacy heartbeats from {@code mig.agt.heartbeats}: an Agent JSON body, checked by
 * {@link HeartbeatRules} and the {@link Whitelist}, then recorded with the scheduler's clock as the
 * heartbeat time (as the original), which marks the agent online. Ours on top: rate limits in
 * all and per queueloc ({@code [heartbeats]} of scheduler.cfg), refusals logged at most once a
 * minute.
 */
public final class HeartbeatIntake implements Intake {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatIntake.class);

    private final AgentStore agents;
    private final Whitelist whitelist;
    private final SchedulerConfig config;
    private final Clock clock;
    private final RateLimiter perQueueLoc;
    private final RateLimiter total;
    private final RefusalLog refusals = new RefusalLog(LOG);

    public HeartbeatIntake(AgentStore agents, Whitelist whitelist, SchedulerConfig config, Clock clock) {
        this.agents = agents;
        this.whitelist = whitelist;
        this.config = config;
        this.clock = clock;
        this.perQueueLoc = new RateLimiter(config.heartbeats().perQueueLoc());
        this.total = new RateLimiter(config.heartbeats().total());
    }

    @Override
    public Disposition accept(byte[] body) {
        return accept(body, Map.of());
    }

    @Override
    public Disposition accept(byte[] body, Map<String, Object> headers) {
        // A broker message tells no source address: the limit in all stands in for it, checked
        // before anything is decoded so that a flood costs little.
        if (!total.tryTake("")) {
            refusals.refused("all queuelocs (at most " + config.heartbeats().total() + " a minute)");
            return Disposition.DONE;
        }
        if (body.length > HeartbeatRules.MAX_BYTES) {
            LOG.warn("discarded heartbeat larger than 100kB ({} bytes)", body.length);
            return Disposition.DONE;
        }
        if (config.heartbeats().authenticated()) {
            Object signature = headers.get(HeartbeatAuth.AMQP_HEADER);
            // a string header arrives as the client's LongString; toString() gives its text
            if (!HeartbeatAuth.verify(
                    config.heartbeats().secret(), body, signature == null ? null : signature.toString())) {
                refusals.refused("unauthenticated heartbeat (" + HeartbeatAuth.AMQP_HEADER + " missing or wrong)");
                return Disposition.DONE;
            }
        }
        Agent hb;
        try {
            hb = GoJson.unmarshal(body, Agent.class);
        } catch (GoJsonException e) {
            LOG.warn("discarded heartbeat that is not an agent: {}", e.getMessage());
            return Disposition.DONE;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<String> refusal = HeartbeatRules.refusal(hb, now, config.agentTimeout());
        if (refusal.isPresent()) {
            LOG.warn(
                    "heartbeat of agent '{}' queueloc={} pid={} discarded: {}",
                    hb.name(),
                    hb.queueLoc(),
                    hb.pid(),
                    refusal.get());
            return Disposition.DONE;
        }
        if (!perQueueLoc.tryTake(hb.queueLoc())) {
            refusals.refused("queueloc " + hb.queueLoc() + " (at most "
                    + config.heartbeats().perQueueLoc() + " a minute)");
            return Disposition.DONE;
        }
        if (!whitelist.allows(hb.queueLoc())) {
            LOG.warn("heartbeat of agent '{}' queueloc={} discarded: not in the whitelist", hb.name(), hb.queueLoc());
            return Disposition.DONE;
        }
        long id;
        try {
            id = agents.heartbeat(hb, now);
        } catch (AgentStore.IdentityConflict e) {
            LOG.warn(
                    "heartbeat of agent '{}' queueloc={} pid={} discarded: {}",
                    hb.name(),
                    hb.queueLoc(),
                    hb.pid(),
                    e.getMessage());
            return Disposition.DONE;
        } catch (DatabaseException e) {
            if (DatabaseFailures.isTransient(e)) {
                LOG.warn(
                        "heartbeat of queueloc={} not recorded yet, the database is unavailable ({}); requeued",
                        hb.queueLoc(),
                        e.getMessage());
                return Disposition.RETRY;
            }
            LOG.error(
                    "heartbeat of queueloc={} could not be recorded and is dropped: {}", hb.queueLoc(), e.getMessage());
            return Disposition.DONE;
        }
        if (config.debugHeartbeats()) {
            LOG.info("agent={} name='{}' queueloc={} pid={}: heartbeat", id, hb.name(), hb.queueLoc(), hb.pid());
        } else {
            LOG.debug("agent={} name='{}' queueloc={} pid={}: heartbeat", id, hb.name(), hb.queueLoc(), hb.pid());
        }
        return Disposition.DONE;
    }
}
