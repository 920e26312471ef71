package mig.client.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import mig.common.config.GoDuration;

/**
 * The follow progress, drawn as the original's bar (cheggaaa/pb v1 with speed, 80 columns at most):
 * <pre>
 *  3 / 10 [===============>------------------------------]  30.00% 1/s 7s
 * </pre>
 * On a terminal it is redrawn in place every 200 ms, so the estimate moves even while nothing
 * returns. When stderr is piped it prints one plain line per change instead ({@code  3 / 10   30.00%}),
 * so logs stay readable; the final line carries speed and elapsed time as the original's does.
 *
 * <p>Thread-safety: {@link #set}, {@link #cancel} and {@link #finish} may be called from any
 * thread; drawing is serialized on this object.
 */
final class ProgressBar {
    static final int MAX_WIDTH = 80;
    private static final long REFRESH_MILLIS = 200;

    private final PrintStream err;
    private final int total;
    private final boolean terminal;
    private final int width;
    private final LongSupplier nanoTime;
    private final long start;
    private int current;
    private String postfix = "";
    private boolean finished;
    private int lastPlain = -1;
    private Thread refresher;

    /**
     * @param terminal redraw in place (stderr is a terminal) or print plain lines
     * @param columns  the terminal's width (the bar uses at most {@value #MAX_WIDTH})
     */
    ProgressBar(PrintStream err, int total, boolean terminal, int columns, LongSupplier nanoTime) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
        this.width = Math.min(MAX_WIDTH, columns > 0 ? columns : MAX_WIDTH);
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    /** Draws the initial state and, on a terminal, starts the 200 ms refresher. */
    ProgressBar start() {
        draw();
        if (terminal) {
            refresher = new Thread(
                    () -> {
                        try {
                            while (!Thread.currentThread().isInterrupted()) {
                                Thread.sleep(REFRESH_MILLIS);
                                synchronized (this) {
                                    if (finished) {
                                        return;
                                    }
                                    draw();
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "mig-progress");
            refresher.setDaemon(true);
            refresher.start();
        }
        return this;
    }

    synchronized void set(int done) {
        if (finished || done == current) {
            return;
        }
        current = Math.max(0, done);
        draw();
    }

    /** Ctrl-C: the original marks the bar {@code [cancelling]} and finishes it. */
    synchronized void cancel() {
        postfix = " [cancelling]";
        finish();
    }

    /** Final line (with elapsed time), then a line feed. */
    synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (refresher != null) {
            refresher.interrupt();
        }
        String line = render(current, true);
        err.print(terminal ? "\r" + line + "\n" : line.stripTrailing() + "\n");
        err.flush();
    }

    private void draw() {
        if (terminal) {
            err.print("\r" + render(current, false));
        } else if (current != lastPlain) {
            lastPlain = current;
            err.print(render(current, false).stripTrailing() + "\n");
        }
        err.flush();
    }

    /** One state of the bar, exactly as pb v1 lays it out (counters, bar, percent, speed, time). */
    String render(int done, boolean atFinish) {
        long elapsed = nanoTime.getAsLong() - start;
        String counters = total > 0 ? " " + done + " / " + total + " " : " " + done + " / ? ";
        String percent = total > 0 ? String.format(" %6.02f%%", 100.0 * done / total) : "";
        String timeBox = "";
        if (atFinish) {
            timeBox = " " + GoDuration.format(Duration.ofSeconds(elapsed / 1_000_000_000L));
        } else if (total > 0 && done > 0) {
            long perEntry = elapsed / done;
            long left = (long) Math.max(0, total - done) * perEntry;
            timeBox = " " + GoDuration.format(Duration.ofSeconds(left / 1_000_000_000L));
        }
        String speed = "";
        if (done > 0) {
            double seconds = elapsed / 1e9;
            speed = " " + (long) (seconds > 0 ? done / seconds : 0) + "/s";
        }
        String bar = "";
        if (terminal) {
            int size = width
                    - (counters.length() + 2 + percent.length() + timeBox.length() + speed.length() + postfix.length());
            if (size > 0 && total > 0) {
                int cur = (int) Math.min(size, Math.ceil((double) done / total * size));
                int empty = Math.max(0, size - cur);
                StringBuilder b = new StringBuilder("[");
                if (empty == 0) {
                    b.append("=".repeat(cur));
                } else if (cur > 0) {
                    b.append("=".repeat(cur - 1)).append('>');
                }
                bar = b.append("-".repeat(empty)).append(']').toString();
            }
        }
        String out = counters + bar + percent + speed + timeBox + postfix;
        return terminal && out.length() < width ? out + " ".repeat(width - out.length()) : out;
    }
}
