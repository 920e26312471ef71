package mig.scheduler.results;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import mig.common.ActionCounters;
import mig.common.Command;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.database.DatabaseException;
import mig.database.scheduling.CommandCompletion;
import mig.database.scheduling.CommandCompletion.Finish;
import mig.database.scheduling.DatabaseFailures;
import mig.scheduler.amqp.BatchIntake;
import mig.scheduler.amqp.Intake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results from {@code mig.agt.results}: the command as the agent returns it, with its status and
 * results. Bodies shorter than 10 bytes or not enclosed in braces are discarded, as by the
 * original; so are bodies that are not a command, or carry a status that is not final. The results
 * of a delivery batch are stored in one transaction ({@link CommandCompletion#finishAll}), each at
 * most once; an action completes with the batch that holds its last open command.
 */
public final class ResultIntake implements BatchIntake {

    private static final Logger LOG = LoggerFactory.getLogger(ResultIntake.class);

    private final CommandCompletion completion;
    private final Clock clock;
    private final LongConsumer onActionCompleted;

    /** @param onActionCompleted told the id of each action a result completed */
    public ResultIntake(CommandCompletion completion, Clock clock, LongConsumer onActionCompleted) {
        this.completion = completion;
        this.clock = clock;
        this.onActionCompleted = onActionCompleted;
    }

    /** One result: {@link #acceptAll} of one body. */
    public Intake.Disposition accept(byte[] body) {
        return acceptAll(List.of(body));
    }

    @Override
    public Intake.Disposition acceptAll(List<byte[]> bodies) {
        List<Command> results = new ArrayList<>(bodies.size());
        for (byte[] body : bodies) {
            Command cmd = parse(body);
            if (cmd != null) {
                results.add(cmd);
            }
        }
        return results.isEmpty() ? Intake.Disposition.DONE : store(results);
    }

    private Intake.Disposition store(List<Command> results) {
        CommandCompletion.Batch batch;
        try {
            batch = completion.finishAll(results, clock.instant().truncatedTo(ChronoUnit.MICROS));
        } catch (DatabaseException e) {
            if (DatabaseFailures.isTransient(e)) {
                LOG.warn(
                        "{} results not stored yet, the database is unavailable ({}); requeued",
                        results.size(),
                        e.getMessage());
                return Intake.Disposition.RETRY;
            }
            if (results.size() == 1) {
                Command cmd = results.get(0);
                LOG.error("{}: result could not be stored and is dropped: {}", ids(cmd), e.getMessage());
                return Intake.Disposition.DONE;
            }
            // One result the database refuses must not cost the others: store them one by one.
            LOG.warn(
                    "{} results could not be stored together ({}); storing them one by one",
                    results.size(),
                    e.getMessage());
            boolean retry = false;
            for (Command cmd : results) {
                retry |= store(List.of(cmd)) == Intake.Disposition.RETRY;
            }
            return retry ? Intake.Disposition.RETRY : Intake.Disposition.DONE;
        }
        report(results, batch);
        return Intake.Disposition.DONE;
    }

    /** The command in {@code body}, or null (logged) if it is not a final result. */
    private static Command parse(byte[] body) {
        if (body.length < 10 || body[0] != '{' || body[body.length - 1] != '}') {
            LOG.warn("discarding invalid message received in results channel ({} bytes)", body.length);
            return null;
        }
        Command cmd;
        try {
            cmd = GoJson.unmarshal(body, Command.class);
        } catch (GoJsonException e) {
            LOG.warn("discarding result that is not a command: {}", e.getMessage());
            return null;
        }
        if (!cmd.isFinal()) {
            LOG.warn(
                    "{} queueloc={}: discarding result with status '{}', expected one of {}",
                    ids(cmd),
                    cmd.agent().queueLoc(),
                    cmd.status(),
                    Command.FINAL_STATUSES);
            return null;
        }
        return cmd;
    }

    private void report(List<Command> results, CommandCompletion.Batch batch) {
        for (int i = 0; i < results.size(); i++) {
            Command cmd = results.get(i);
            Finish f = batch.finishes().get(i);
            if (f instanceof Finish.Recorded r) {
                LOG.info(
                        "action={} command={} agent={}: result stored, status {}",
                        r.actionId(),
                        cmd.id(),
                        cmd.agent().id(),
                        cmd.status());
            } else if (f instanceof Finish.AlreadyFinal a) {
                LOG.info(
                        "action={} command={}: result ignored, the command is {} already",
                        a.actionId(),
                        cmd.id(),
                        a.status());
            } else if (f instanceof Finish.WrongAgent w) {
                LOG.warn(
                        "action={} command={}: result from queueloc {} pid {} dropped, the command was sent to {} "
                                + "pid {}",
                        w.actionId(),
                        cmd.id(),
                        cmd.agent().queueLoc(),
                        cmd.agent().pid(),
                        w.expectedQueueLoc(),
                        w.expectedPid());
            } else {
                LOG.warn("{}: result for an unknown command dropped", ids(cmd));
            }
        }
        for (Map.Entry<Long, ActionCounters> done : batch.completed().entrySet()) {
            LOG.info("action={} completed ({})", done.getKey(), done.getValue().summary());
            onActionCompleted.accept(done.getKey());
        }
    }

    private static String ids(Command cmd) {
        return "action=" + cmd.action().id() + " command=" + cmd.id() + " agent="
                + cmd.agent().id();
    }
}
