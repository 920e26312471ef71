package mig.agent.status;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import mig.common.Action;
import mig.common.Operation;

/**
 * The last {@code [stats] maxactions} actions this agent received and whether it ran them, for the
 * stat socket's status page (spec §10.5). Kept in memory only, as in the original: an operator
 * looking at a live agent wants to see what it was asked lately, not an audit log.
 *
 * <p>Thread-safe: {@link #entries} is guarded by {@code this}.
 */
public final class AgentStats {

    /** One action as the status page lists it: the original's {@code agentStatsAction}. */
    public record Entry(Instant time, String name, String modules, boolean accepted) {}

    private final int max;
    private final Clock clock;
    private final Deque<Entry> entries = new ArrayDeque<>();

    /** @param max how many actions to keep, 0 to keep none */
    public AgentStats(int max, Clock clock) {
        if (max < 0) {
            throw new IllegalArgumentException("[stats] maxactions must not be negative, got " + max);
        }
        this.max = max;
        this.clock = clock;
    }

    /** Stats that keep nothing. */
    public static AgentStats disabled() {
        return new AgentStats(0, Clock.systemUTC());
    }

    /** Records an action: {@code accepted} when it passed the signature and ACL checks. */
    public synchronized void record(Action action, boolean accepted) {
        if (max == 0) {
            return;
        }
        Set<String> modules = new LinkedHashSet<>();
        List<Operation> ops = action.operations() == null ? List.of() : action.operations();
        ops.forEach(op -> modules.add(String.valueOf(op.module()).toLowerCase(Locale.ROOT)));
        if (entries.size() == max) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(
                clock.instant().truncatedTo(ChronoUnit.SECONDS), action.name(), String.join(", ", modules), accepted));
    }

    /** The recorded actions, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
