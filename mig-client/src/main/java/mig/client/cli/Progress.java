package mig.client.cli;

import java.io.PrintStream;

/**
 * The follow progress: a bar redrawn in place on a terminal ({@code 1 / 1  100.00%}), plain lines
 * when stderr is piped, so logs stay readable.
 */
final class Progress {
    private final PrintStream err;
    private final int total;
    private final boolean terminal;
    private int shown = -1;

    Progress(PrintStream err, int total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
        update(0);
    }

    void update(int done) {
        if (done == shown) {
            return;
        }
        shown = done;
        double pct = total == 0 ? 100.0 : Math.min(100.0, 100.0 * done / total);
        String line = String.format("%2d / %d  %6.2f%%", done, total, pct);
        if (terminal) {
            err.print("\r " + line);
        } else {
            err.println(line);
        }
        err.flush();
    }

    void finish(int done) {
        update(Math.max(done, shown));
        if (terminal) {
            err.println();
        }
    }
}
