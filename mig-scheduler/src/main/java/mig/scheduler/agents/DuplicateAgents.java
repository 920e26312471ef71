package mig.scheduler.agents;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.ActionSignatures;
import mig.common.Agent;
import mig.common.GenId;
import mig.common.Operation;
import mig.common.json.GoTime;
import mig.common.pgp.PgpException;
import mig.common.pgp.SecretKey;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.InvestigatorStore;
import mig.database.scheduling.DatabaseFailures;
import mig.scheduler.config.SchedulerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the original's {@code killDupAgents} did with an endpoint (queue location) on which several
 * agents heartbeat: with {@code [agent] killdupagents}, an {@code agentdestroy} action signed with
 * the scheduler's key ({@code migscheduler}) is issued for the oldest agent and that agent marked
 * {@code destroyed}; without it, the endpoint is logged for manual inspection.
 *
 * <p>The kill order is the original's: named {@code Kill agent <name>}, targeted at
 * {@code queueloc='<queueloc>'}, valid from a minute ago for 30 minutes, one operation
 * {@code agentdestroy} with the doomed agent's {@code pid} and {@code version}. The targeting picks
 * one online or idle agent of the queue location, never the destroyed one, so the other agent runs
 * it and kills the old one; agents only run it when their ACL grants the scheduler's key the
 * {@code agentdestroy} module (see docs/modules/agentdestroy.md). A destroyed agent still
 * heartbeating three heartbeat periods after its kill order gets another one.
 *
 * <p>Fixed behind the same behaviour: the original never read {@code destructiontime} back from
 * the database, so it re-issued a kill order at every detection instead of after three
 * heartbeats; it could pick an agent already destroyed as the oldest; its queue location went into
 * the target unquoted (a {@code '} in it broke the target). It slept 5 s after each order to
 * throttle them; here one order per endpoint per detection is the throttle.
 */
public final class DuplicateAgents {

    private static final Logger LOG = LoggerFactory.getLogger(DuplicateAgents.class);
    private static final int MAX_ID_ATTEMPTS = 100;

    private final AgentStore agents;
    private final ActionStore actions;
    private final InvestigatorStore investigators;
    private final SchedulerConfig config;

    public DuplicateAgents(
            AgentStore agents, ActionStore actions, InvestigatorStore investigators, SchedulerConfig config) {
        this.agents = agents;
        this.actions = actions;
        this.investigators = investigators;
        this.config = config;
    }

    /**
     * Handles one queue location as of {@code now}.
     *
     * @return the kill orders issued (action ids), possibly none
     */
    public List<Long> handle(String queueLoc, Instant now) {
        Duration hb = config.heartbeatFreq();
        List<Agent> found = agents.activeByQueue(queueLoc, now.minus(hb));
        List<Long> issued = new ArrayList<>();
        if (found.size() < 2) {
            return issued;
        }
        int destroyed = 0;
        int leftAlone = 0;
        for (Agent a : found) {
            if (!Agent.STATUS_DESTROYED.equals(a.status())) {
                continue;
            }
            if (a.destructionTime().isBefore(now.minus(hb.multipliedBy(3)))) {
                LOG.info("Re-issuing destruction action for agent '{}' with PID '{}'.", a.name(), a.pid());
                issued.add(issueKillAction(a, now));
                destroyed++;
            } else {
                leftAlone++;
            }
        }
        int remaining = found.size() - destroyed - leftAlone;
        if (remaining > 1) {
            if (config.killDupAgents()) {
                Optional<Agent> oldest = found.stream()
                        .filter(a -> !Agent.STATUS_DESTROYED.equals(a.status()))
                        .min(Comparator.comparing(Agent::startTime));
                if (oldest.isPresent()) {
                    LOG.info(
                            "Issuing destruction action for agent '{}' with PID '{}'.",
                            oldest.get().name(),
                            oldest.get().pid());
                    issued.add(issueKillAction(oldest.get(), now));
                }
            } else {
                LOG.warn(
                        "found {} agents running on {}. Require manual inspection ({}).",
                        remaining,
                        queueLoc,
                        found.stream().map(Agent::name).collect(Collectors.joining(", ")));
            }
        }
        return issued;
    }

    /** The original's {@code issueKillAction}: the signed order stored for dispatch, the agent marked destroyed. */
    private long issueKillAction(Agent agent, Instant now) {
        InvestigatorStore.SchedulerKey key = investigators
                .schedulerKey()
                .orElseThrow(() -> new IllegalStateException("no scheduler key to sign a kill order with"));
        SecretKey secret;
        try {
            secret = SecretKey.fromArmored(new String(key.privateKey(), StandardCharsets.UTF_8), null);
        } catch (PgpException e) {
            throw new IllegalStateException(
                    "the scheduler key " + key.fingerprint() + " cannot sign kill orders: " + e.getMessage(), e);
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("pid", agent.pid());
        params.put("version", agent.version());
        Action draft = Action.draft(
                "Kill agent " + agent.name(),
                "queueloc='" + agent.queueLoc().replace("'", "''") + "'",
                now.minusSeconds(60),
                now.plus(Duration.ofMinutes(30)),
                List.of(Operation.of("agentdestroy", params)));
        Action signed = ActionSignatures.sign(draft, secret);
        String signature = signed.pgpSignatures().get(signed.pgpSignatures().size() - 1);
        Action action = signed.withId(GenId.next())
                .withProgress(Action.STATUS_PENDING, now, GoTime.FAR_FUTURE, now, ActionCounters.EMPTY, null);
        List<ActionStore.Signer> signers = List.of(new ActionStore.Signer(key.id(), signature));
        for (int attempt = 1; ; attempt++) {
            try {
                actions.insert(action, signers);
                break;
            } catch (RuntimeException e) {
                if (attempt >= MAX_ID_ATTEMPTS || !DatabaseFailures.isDuplicateKey(e)) {
                    throw e;
                }
                action = action.withId(GenId.next());
            }
        }
        agents.markDestroyed(agent.id(), now);
        LOG.warn("issued kill action {} for agent '{}' with PID '{}'", action.id(), agent.name(), agent.pid());
        return action.id();
    }
}
