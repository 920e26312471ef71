package mig.scheduler.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.json.GoTime;
import mig.database.scheduling.ActionQueue.SentCommand;

/**
 * Commands as the original scheduler publishes them (compare {@code amqp-tap-toagents.json}): the
 * action with status {@code preparing}, its start time, zero finish and last-update times,
 * counters {@code {"sent":N}} and no investigators; the agent row as targeting found it; status
 * {@code sent}; one empty result per operation; a zero finish time.
 *
 * <p>Times are whole microseconds, what PostgreSQL keeps, so a command published again after a
 * restart (rebuilt from its rows by {@link #rebuild}) is byte for byte the first one.
 */
public final class CommandFactory {

    private final LongSupplier ids;

    /** @param ids the command id generator, normally {@code mig.common.GenId::next} */
    public CommandFactory(LongSupplier ids) {
        this.ids = ids;
    }

    /** One new command per agent, started at {@code now}. */
    public List<Command> create(Action stored, List<Agent> agents, Instant now) {
        Action sent = publishedForm(stored, now, agents.size());
        int ops = stored.operations() == null ? 0 : stored.operations().size();
        List<ModuleResult> empty = Collections.nCopies(ops, ModuleResult.EMPTY);
        List<Command> out = new ArrayList<>(agents.size());
        for (Agent agent : agents) {
            out.add(new Command(ids.getAsLong(), sent, agent, Command.STATUS_SENT, empty, now, GoTime.ZERO));
        }
        return out;
    }

    /** The unanswered commands of a {@code preparing} action, from their rows, to publish again. */
    public List<Command> rebuild(Action stored, int total, List<SentCommand> unanswered) {
        Action sent = publishedForm(stored, stored.startTime(), total);
        return unanswered.stream()
                .map(s -> new Command(
                        s.id(), sent, s.agent(), Command.STATUS_SENT, s.results(), s.startTime(), GoTime.ZERO))
                .toList();
    }

    static Action publishedForm(Action stored, Instant start, int total) {
        return stored.withProgress(
                Action.STATUS_PREPARING,
                start,
                GoTime.ZERO,
                GoTime.ZERO,
                new ActionCounters(total, 0, 0, 0, 0, 0, 0, 0),
                null);
    }
}
