package mig.agent.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mig.agent.status.AgentStats;
import mig.agent.trust.RefusedActionException;
import mig.agent.trust.TargetCheck;
import mig.agent.trust.Trust;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one message from the agent's queue into the command to send back (spec §10.4):
 *
 * <pre>
 *   body ──unmarshal──▶ Command ──Trust.authorize──▶ refused: status failed, every result {"errors":[why]}
 *                                        │
 *                                        ▼ accepted
 *                  OperationRunner.runAll (parallel, deadline = min(moduletimeout, expireafter))
 *                                        │
 *                                        ▼
 *        status = success unless an operation says otherwise (first in operation order wins),
 *        results at their operation's index, agent.queueloc = ours
 * </pre>
 *
 * No AMQP here: {@code Relay} hands bodies in and publishes what comes out.
 */
public final class CommandProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    private final Trust trust;
    private final OperationRunner runner;
    private final Duration moduleTimeout;
    private final String queueLoc;
    private final Clock clock;
    private final AgentStats stats;
    /** Set after construction (the agent's facts come later) and read on the relay's thread. */
    private volatile TargetCheck targetCheck = TargetCheck.NONE;

    /** A processor that keeps no statistics. */
    public CommandProcessor(Trust trust, OperationRunner runner, Duration moduleTimeout, String queueLoc, Clock clock) {
        this(trust, runner, moduleTimeout, queueLoc, clock, AgentStats.disabled());
    }

    /**
     * @param queueLoc this agent's queue location, written into every returned command
     * @param stats    where each action is recorded as accepted or rejected, for the stat socket
     */
    public CommandProcessor(
            Trust trust,
            OperationRunner runner,
            Duration moduleTimeout,
            String queueLoc,
            Clock clock,
            AgentStats stats) {
        this.trust = trust;
        this.runner = runner;
        this.moduleTimeout = moduleTimeout;
        this.queueLoc = queueLoc;
        this.clock = clock;
        this.stats = stats;
    }

    /** Refuses, from now on, commands whose target provably excludes this agent. @return this */
    public CommandProcessor refusingCommandsNotFor(TargetCheck check) {
        this.targetCheck = check;
        return this;
    }

    /**
     * Processes one message.
     *
     * @return the command with its status and results, as Go JSON; empty when the message is not a
     *         command (logged and dropped, as the original does)
     * @throws InterruptedException if the agent is shutting down mid-run (nothing is to be sent)
     */
    public Optional<String> process(byte[] body) throws InterruptedException {
        Command cmd;
        try {
            cmd = GoJson.unmarshal(body, Command.class);
        } catch (GoJsonException e) {
            LOG.warn("dropping a message that is not a command ({} bytes): {}", body.length, e.getMessage());
            return Optional.empty();
        }
        if (cmd == null) {
            LOG.warn("dropping a message that is not a command: null");
            return Optional.empty();
        }
        return Optional.of(GoJson.marshal(execute(cmd)));
    }

    /** Checks and runs one command; the returned command carries the outcome. */
    public Command execute(Command cmd) throws InterruptedException {
        Action action = cmd.action();
        String prefix = "action " + action.id() + " command " + cmd.id();
        List<Operation> ops = action.operations() == null ? List.of() : action.operations();
        LOG.info("{}: received '{}' with {} operation(s)", prefix, action.name(), ops.size());
        Instant now = clock.instant();
        try {
            List<String> signers = trust.authorize(action, now);
            targetCheck.check(action);
            LOG.info("{}: authorized, signed by {}", prefix, signers);
            stats.record(action, true);
        } catch (RefusedActionException e) {
            LOG.warn("{}: refused: {}", prefix, e.getMessage());
            stats.record(action, false);
            return failed(cmd, e.getMessage());
        }
        if (ops.size() > OperationRunner.MAX_OPERATIONS) {
            LOG.warn("{}: refused: {} operations", prefix, ops.size());
            return failed(
                    cmd,
                    "the action has " + ops.size() + " operations; this agent runs at most "
                            + OperationRunner.MAX_OPERATIONS + " per command");
        }
        Instant deadline = now.plus(moduleTimeout);
        if (action.expireAfter().isBefore(deadline)) {
            deadline = action.expireAfter();
        }
        List<OperationOutcome> outcomes = runner.runAll(ops, deadline, prefix);
        String status = Command.STATUS_SUCCESS;
        List<ModuleResult> results = new ArrayList<>(outcomes.size());
        for (OperationOutcome o : outcomes) {
            if (status.equals(Command.STATUS_SUCCESS) && !o.status().equals(Command.STATUS_SUCCESS)) {
                status = o.status();
            }
            results.add(o.result());
        }
        LOG.info("{}: finished with status {}", prefix, status);
        return reply(cmd, status, results);
    }

    /** The command answered {@code failed} without running, every result carrying {@code error}. */
    public Command failed(Command cmd, String error) {
        List<Operation> ops =
                cmd.action().operations() == null ? List.of() : cmd.action().operations();
        return reply(
                cmd,
                Command.STATUS_FAILED,
                ops.stream().map(op -> ModuleResult.error(error)).toList());
    }

    private Command reply(Command cmd, String status, List<ModuleResult> results) {
        Agent a = cmd.agent();
        Agent ours = new Agent(
                a.id(),
                a.name(),
                queueLoc,
                a.mode(),
                a.version(),
                a.pid(),
                a.loaderName(),
                a.startTime(),
                a.destructionTime(),
                a.heartbeatTs(),
                a.refreshTs(),
                a.status(),
                a.authorized(),
                a.environment(),
                a.tags());
        return new Command(cmd.id(), cmd.action(), ours, status, results, cmd.startTime(), cmd.finishTime());
    }
}
