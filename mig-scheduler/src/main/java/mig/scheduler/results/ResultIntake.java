package mig.scheduler.results;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.LongConsumer;
import mig.common.Command;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.database.DatabaseException;
import mig.database.scheduling.CommandCompletion;
import mig.database.scheduling.CommandCompletion.Finish;
import mig.database.scheduling.DatabaseFailures;
import mig.scheduler.amqp.Intake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results from {@code mig.agt.results}: the command as the agent returns it, with its status and
 * results. Bodies shorter than 10 bytes or not enclosed in braces are discarded, as by the
 * original; so are bodies that are not a command, or carry a status that is not final. A result
 * is stored at most once (see {@link CommandCompletion#finish}); when it is the last one of its
 * action, the action completes.
 */
public final class ResultIntake implements Intake {

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

    @Override
    public Disposition accept(byte[] body) {
        if (body.length < 10 || body[0] != '{' || body[body.length - 1] != '}') {
            LOG.warn("discarding invalid message received in results channel ({} bytes)", body.length);
            return Disposition.DONE;
        }
        Command cmd;
        try {
            cmd = GoJson.unmarshal(body, Command.class);
        } catch (GoJsonException e) {
            LOG.warn("discarding result that is not a command: {}", e.getMessage());
            return Disposition.DONE;
        }
        String ids = "action=" + cmd.action().id() + " command=" + cmd.id() + " agent=" + cmd.agent().id();
        if (!cmd.isFinal()) {
            LOG.warn("{} queueloc={}: discarding result with status '{}', expected one of {}", ids,
                    cmd.agent().queueLoc(), cmd.status(), Command.FINAL_STATUSES);
            return Disposition.DONE;
        }
        Finish f;
        try {
            f = completion.finish(cmd, clock.instant().truncatedTo(ChronoUnit.MICROS));
        } catch (DatabaseException e) {
            if (DatabaseFailures.isTransient(e)) {
                LOG.warn("{}: result not stored yet, the database is unavailable ({}); requeued", ids, e.getMessage());
                return Disposition.RETRY;
            }
            LOG.error("{}: result could not be stored and is dropped: {}", ids, e.getMessage());
            return Disposition.DONE;
        }
        if (f instanceof Finish.Recorded r) {
            LOG.info("action={} command={} agent={}: result stored, status {} ({} of {} done)", r.actionId(),
                    cmd.id(), cmd.agent().id(), cmd.status(), r.counters().done(), r.counters().sent());
            if (r.completed()) {
                LOG.info("action={} completed ({})", r.actionId(), r.counters().summary());
                onActionCompleted.accept(r.actionId());
            }
        } else if (f instanceof Finish.AlreadyFinal a) {
            LOG.info("action={} command={}: result ignored, the command is {} already", a.actionId(), cmd.id(),
                    a.status());
        } else if (f instanceof Finish.WrongAgent w) {
            LOG.warn("action={} command={}: result from queueloc {} dropped, the command was sent to {}",
                    w.actionId(), cmd.id(), cmd.agent().queueLoc(), w.expectedQueueLoc());
        } else {
            LOG.warn("{}: result for an unknown command dropped", ids);
        }
        return Disposition.DONE;
    }
}
