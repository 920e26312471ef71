package mig.agent.trust;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import mig.agent.env.HostFacts;
import mig.common.Action;
import mig.common.Heartbeat;
import mig.common.Version;
import mig.common.target.TargetEvaluator;
import mig.common.target.TargetFacts;

/**
 * Refuses a command whose signed target provably does not select this agent. The signature covers
 * the target but not the command id or the queue it arrives on, so anyone who can publish on the
 * relay could otherwise replay a signed action to agents it never targeted (upstream issue #129).
 * The agent's facts are the ones its heartbeat gives the platform; a target on what the agent
 * cannot know (ids, times, loader names, result chaining) is accepted, see {@link TargetEvaluator}.
 */
public final class TargetCheck {

    /** Accepts every target: for processors that are not a real agent (benchmarks, unit tests). */
    public static final TargetCheck NONE = new TargetCheck(null);

    private final Supplier<TargetFacts> facts;

    /** @param facts this agent's facts at the time a command arrives */
    public TargetCheck(Supplier<TargetFacts> facts) {
        this.facts = facts;
    }

    /**
     * The check of a running agent: its host facts once the first look at the endpoint is done
     * (until then only its queue location, mode, version and pid are known).
     *
     * @param host the facts of the last heartbeat, as {@code Heartbeats.facts()} gives them
     */
    public static TargetCheck of(
            Supplier<Optional<HostFacts>> host, String queueLoc, String mode, Map<String, String> tags) {
        long pid = ProcessHandle.current().pid();
        return new TargetCheck(() -> host.get()
                .map(h -> TargetFacts.of(Heartbeat.of(
                                h.hostname(),
                                h.env(),
                                mode,
                                Version.VERSION,
                                pid,
                                queueLoc,
                                Instant.EPOCH,
                                Instant.EPOCH,
                                tags)
                        .toAgent()))
                .orElseGet(() -> TargetFacts.partial(queueLoc, mode, Version.VERSION, pid)));
    }

    /** @throws RefusedActionException naming the target when it provably excludes this agent */
    public void check(Action action) throws RefusedActionException {
        if (facts == null) {
            return;
        }
        TargetFacts ours = Objects.requireNonNull(facts.get(), "facts");
        if (TargetEvaluator.evaluate(action.target(), ours) == TargetEvaluator.Verdict.FALSE) {
            throw new RefusedActionException(Trust.PREFIX + "action target does not select this agent"
                    + (ours.name() == null ? "" : " (" + ours.name() + ")") + ": " + action.target());
        }
    }
}
