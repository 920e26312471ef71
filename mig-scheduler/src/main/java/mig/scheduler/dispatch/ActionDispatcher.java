package mig.scheduler.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.target.TargetSyntaxException;
import mig.database.AgentStore;
import mig.database.DatabaseException;
import mig.database.scheduling.ActionClaim;
import mig.database.scheduling.ActionQueue;
import mig.database.scheduling.ActionQueue.Deadline;
import mig.database.scheduling.ActionQueue.Resumption;
import mig.database.scheduling.CommandCompletion;
import mig.database.scheduling.DatabaseFailures;
import mig.database.scheduling.Dispatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns actions into published commands: the flow of the original's {@code flow.go}, with the
 * database instead of spool directories as the only record.
 *
 * <pre>
 *  API inserts ──► pending ──claim (NOTIFY, poll, validfrom timer)──► scheduled
 *                                                                        │ row lock held:
 *                            expired / no agent / target refused         │ target → agents
 *                  invalid ◄─────────────────────────────────────────────┤
 *                                                                        │ one transaction:
 *                                                                        ▼ commands (sent) + status
 *                                                                    preparing ── publish, confirms
 *                                                                        │ (advisory lock held)
 *                                   broker down: stays preparing,        │ all confirmed
 *                                   published again by a later round ◄───┤
 *                                                                        ▼
 *                                                                    inflight
 *                                                                        │ results (done == sent)
 *                                                                        │ or expireafter timer:
 *                                                                        ▼ unanswered → expired
 *                                                                    completed
 * </pre>
 *
 * <p>Every step is a database transaction guarded by a lock ({@link ActionQueue} says which), so
 * any number of schedulers can run this on one database: each action is prepared, and each of its
 * commands created and published, once. Commands are committed before they are published, so a
 * result never arrives for a command the database does not know; if publishing fails the action
 * stays {@code preparing} and a later full round publishes its unanswered commands again (an
 * agent may then receive a command twice, and its second result changes nothing).
 *
 * <p>Runs on the scheduler's dispatch thread only (see {@link mig.scheduler.Scheduler}); it keeps
 * no state between calls, and tells its caller which timers to arm instead of arming them.
 */
public final class ActionDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ActionDispatcher.class);

    /** Actions claimed per query. */
    static final int CLAIM_BATCH = 100;

    private static final int ID_CLASH_ATTEMPTS = 3;

    private final ActionQueue queue;
    private final AgentStore agents;
    private final CommandCompletion completion;
    private final CommandFactory factory;
    private final CommandPublisher publisher;
    private final Clock clock;

    public ActionDispatcher(
            ActionQueue queue,
            AgentStore agents,
            CommandCompletion completion,
            CommandFactory factory,
            CommandPublisher publisher,
            Clock clock) {
        this.queue = queue;
        this.agents = agents;
        this.completion = completion;
        this.factory = factory;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * What a round leaves to the caller: when the next pending action becomes valid, and the
     * expiry of each action it dispatched.
     */
    public record Round(Optional<Instant> nextValidFrom, List<Deadline> dispatched) {}

    /**
     * Dispatches every due action. A full round (safety poll, start) also publishes again the
     * commands of actions whose publisher stopped, and expires overdue actions whose timer lived
     * in a scheduler that is gone.
     */
    public Round run(boolean full) throws InterruptedException {
        List<Deadline> dispatched = new ArrayList<>();
        List<Long> claimed;
        do {
            claimed = queue.claimRunnable(now(), CLAIM_BATCH);
            for (long id : claimed) {
                prepare(id).ifPresent(dispatched::add);
            }
        } while (claimed.size() == CLAIM_BATCH);
        // Claimed by a scheduler that stopped, or by another one that has not got to them yet.
        for (long id : queue.withStatus(Action.STATUS_SCHEDULED, CLAIM_BATCH)) {
            prepare(id).ifPresent(dispatched::add);
        }
        if (full) {
            for (long id : queue.withStatus(Action.STATUS_PREPARING, CLAIM_BATCH)) {
                resume(id).ifPresent(dispatched::add);
            }
            for (long id : queue.overdue(now())) {
                expire(id);
            }
        }
        return new Round(queue.nextValidFrom(now()), dispatched);
    }

    /** Actions whose commands are out, to arm their expiry timers after a start. */
    public List<Deadline> openDeadlines() {
        return queue.openDeadlines();
    }

    /** Expires the unanswered commands of an action past its expireafter and completes it. */
    public void expire(long actionId) {
        try {
            CommandCompletion.Expiry e = completion.expire(actionId, now());
            if (e.completed()) {
                LOG.info(
                        "action={} expired: {} unanswered commands marked expired; completed ({})",
                        actionId,
                        e.expired(),
                        e.counters().summary());
            }
        } catch (DatabaseException e) {
            LOG.warn("action={} could not be expired now ({}); the next poll tries again", actionId, e.getMessage());
        }
    }

    private Optional<Deadline> prepare(long actionId) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (ActionClaim claim = queue.lockScheduled(actionId).orElse(null)) {
                if (claim == null) {
                    return Optional.empty();
                }
                return prepare(claim);
            } catch (DatabaseException e) {
                if (DatabaseFailures.isDuplicateKey(e) && attempt < ID_CLASH_ATTEMPTS) {
                    LOG.warn(
                            "action={} command ids clashed with another process's; trying again with new ids",
                            actionId);
                    continue;
                }
                if (DatabaseFailures.isTransient(e)) {
                    LOG.warn(
                            "action={} stays scheduled, the database is unavailable ({}); the next poll tries again",
                            actionId,
                            e.getMessage());
                    return Optional.empty();
                }
                LOG.error("action={} could not be prepared ({}): invalid", actionId, e.getMessage());
                invalidateAfterFailure(actionId);
                return Optional.empty();
            } catch (RuntimeException e) {
                LOG.error("action={} could not be prepared: invalid", actionId, e);
                invalidateAfterFailure(actionId);
                return Optional.empty();
            }
        }
    }

    private Optional<Deadline> prepare(ActionClaim claim) throws InterruptedException {
        Action a = claim.action();
        Instant now = now();
        LOG.info(
                "action={} name='{}' target=\"{}\" validfrom={} expireafter={}: new action",
                a.id(),
                a.name(),
                a.target(),
                a.validFrom(),
                a.expireAfter());
        if (!a.expireAfter().isAfter(now)) {
            LOG.info("action={} expired at {} before it could run: invalid", a.id(), a.expireAfter());
            claim.invalidate(now);
            return Optional.empty();
        }
        if (!claim.inactiveSigners().isEmpty()) {
            LOG.info(
                    "action={} signed by investigator(s) {} who are no longer active: invalid",
                    a.id(),
                    claim.inactiveSigners());
            claim.invalidate(now);
            return Optional.empty();
        }
        List<Agent> targets;
        try {
            targets = agents.targeted(a.target(), 0);
        } catch (TargetSyntaxException e) {
            LOG.warn("action={} target \"{}\" refused: {}: invalid", a.id(), a.target(), e.getMessage());
            claim.invalidate(now);
            return Optional.empty();
        } catch (DatabaseException e) {
            if (DatabaseFailures.isTransient(e)) {
                throw e;
            }
            LOG.warn(
                    "action={} target \"{}\" could not be evaluated ({}): invalid", a.id(), a.target(), e.getMessage());
            claim.invalidate(now);
            return Optional.empty();
        }
        if (targets.isEmpty()) {
            LOG.info("action={} no agents found for target \"{}\": invalid", a.id(), a.target());
            claim.invalidate(now);
            return Optional.empty();
        }
        List<Command> commands = factory.create(a, targets, now);
        Dispatch dispatch = claim.prepare(commands, now);
        LOG.info(
                "action={} preparing: {} commands stored for {} target agents",
                a.id(),
                commands.size(),
                targets.size());
        publish(dispatch, commands);
        return Optional.of(new Deadline(a.id(), a.expireAfter()));
    }

    private Optional<Deadline> resume(long actionId) throws InterruptedException {
        Resumption r;
        try {
            Optional<Resumption> found = queue.resumePreparing(actionId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            r = found.get();
        } catch (DatabaseException e) {
            LOG.warn("action={} could not be resumed now ({}); the next poll tries again", actionId, e.getMessage());
            return Optional.empty();
        }
        Action a = r.action();
        if (!a.expireAfter().isAfter(now())) {
            r.dispatch().close();
            return Optional.empty();
        }
        List<Command> commands = factory.rebuild(a, r.total(), r.unanswered());
        LOG.info(
                "action={} publishing {} unanswered of {} commands again: the previous attempt was not confirmed",
                actionId,
                commands.size(),
                r.total());
        publish(r.dispatch(), commands);
        return Optional.of(new Deadline(a.id(), a.expireAfter()));
    }

    private void publish(Dispatch dispatch, List<Command> commands) throws InterruptedException {
        long id = dispatch.actionId();
        try (dispatch) {
            long start = System.nanoTime();
            publisher.publish(commands, dispatch::stillOpen);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (dispatch.markInflight(now())) {
                LOG.info(
                        "action={} inflight: {} commands published and confirmed in {} ms",
                        id,
                        commands.size(),
                        millis);
            } else {
                LOG.info(
                        "action={} {} commands published and confirmed in {} ms; the action already finished",
                        id,
                        commands.size(),
                        millis);
            }
        } catch (CommandPublisher.PublishException e) {
            LOG.warn(
                    "action={} publishing failed ({}): its commands stay sent, to be published again once the "
                            + "broker is back, or to expire",
                    id,
                    e.getMessage());
        } catch (DatabaseException e) {
            LOG.warn(
                    "action={} commands published but the action could not be marked inflight ({}); "
                            + "the next poll publishes them again",
                    id,
                    e.getMessage());
        }
    }

    private void invalidateAfterFailure(long actionId) {
        try {
            queue.lockScheduled(actionId).ifPresent(c -> c.invalidate(now()));
        } catch (DatabaseException e) {
            LOG.warn("action={} could not be marked invalid either ({})", actionId, e.getMessage());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
