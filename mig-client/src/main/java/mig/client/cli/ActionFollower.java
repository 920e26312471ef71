package mig.client.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.common.Action;
import mig.common.config.GoDuration;

/**
 * Follows a launched action until it completes, expires, or the investigator presses Ctrl-C, as
 * the original's {@code FollowAction}: {@code Following action ID <id>.}, the progress bar, then
 * {@code 100.0% done in <duration>} and the counters, on stderr.
 *
 * <p>Against our API it long-polls {@code action/wait}, so progress shows as soon as a command
 * returns; against the original API (no such route) it polls {@code GET /action} every second.
 */
public final class ActionFollower {
    private static final Duration LONG_POLL = Duration.ofSeconds(10);
    private static final int MAX_FAILED_POLLS = 30;

    private final MigApiClient api;
    private final PrintStream err;
    private final Colours colours;
    private final Clock clock;
    private final boolean terminal;
    private volatile boolean stopped;
    private volatile Thread follower;
    private volatile ProgressBar bar;

    /** @param terminal stderr is a terminal: redraw the bar in place */
    public ActionFollower(MigApiClient api, PrintStream err, Colours colours, Clock clock, boolean terminal) {
        this.api = api;
        this.err = err;
        this.colours = colours;
        this.clock = clock;
        this.terminal = terminal;
    }

    /** Stops following (from a signal handler or another thread); what arrived is kept. */
    public void stop() {
        stopped = true;
        ProgressBar b = bar;
        if (b != null) {
            b.cancel();
        }
        Thread t = follower;
        if (t != null) {
            t.interrupt();
        }
    }

    /** True once {@link #stop} was called. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Follows until done; returns early (without the summary) when stopped.
     *
     * @param total the number of agents targeted, the bar's 100 %
     */
    public void follow(Action launched, int total) throws ApiException {
        follower = Thread.currentThread();
        err.println(colours.paint(Colours.BLUE, "Following action ID " + launched.id() + "."));
        bar = new ProgressBar(err, total, terminal, Terminals.columns(), System::nanoTime).start();
        boolean longPoll = true;
        int failures = 0;
        try {
            while (!stopped) {
                Action current;
                try {
                    current = longPoll ? api.waitAction(launched.id(), LONG_POLL) : null;
                    if (current == null) {
                        if (!longPoll) {
                            Thread.sleep(1000);
                        }
                        longPoll = false;
                        current = api.getAction(launched.id());
                    }
                    failures = 0;
                } catch (ApiException e) {
                    if (stopped) {
                        break;
                    }
                    if (e.status() != 0 || ++failures >= MAX_FAILED_POLLS) {
                        throw e;
                    }
                    Thread.sleep(1000);
                    continue;
                }
                bar.set(current.counters().done());
                if (isFinal(current)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            if (!stopped) {
                Thread.currentThread().interrupt();
            }
        } finally {
            follower = null;
            Thread.interrupted(); // a stop() may have interrupted us after the loop ended
        }
        if (stopped) {
            return;
        }
        bar.finish();
        Action last = api.getAction(launched.id());
        double completion = last.counters().sent() == 0
                ? 0
                : 100.0 * last.counters().done() / last.counters().sent();
        err.println(colours.paint(
                Colours.BLUE,
                String.format(
                        "%2.1f%% done in %s",
                        completion, GoDuration.format(Duration.between(last.startTime(), clock.instant())))));
        err.print(colours.code(Colours.BLUE) + last.counters().summary() + "\n" + colours.code(Colours.RESET));
        err.flush();
    }

    private boolean isFinal(Action a) {
        String s = a.status();
        boolean running = s.equals(Action.STATUS_PENDING)
                || s.equals(Action.STATUS_SCHEDULED)
                || s.equals(Action.STATUS_PREPARING)
                || s.equals(Action.STATUS_INFLIGHT);
        return !running
                || (a.counters().done() > 0
                        && a.counters().done() >= a.counters().sent())
                || clock.instant().isAfter(a.expireAfter().plusSeconds(10));
    }
}
