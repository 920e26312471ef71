package mig.client.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C while an action is followed: stop following but keep the process, so what arrived is still
 * printed (the original's behaviour). Outside such a scope Ctrl-C ends the process as usual, which
 * is what cancels a launch during the countdown.
 */
public final class Interrupts implements AutoCloseable {
    private final SignalHandler previous;

    private Interrupts(SignalHandler previous) {
        this.previous = previous;
    }

    /** Runs {@code onInterrupt} on SIGINT until closed; a no-op where signals cannot be caught. */
    public static Interrupts onSigint(Runnable onInterrupt) {
        try {
            return new Interrupts(Signal.handle(new Signal("INT"), sig -> onInterrupt.run()));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return new Interrupts(null);
        }
    }

    @Override
    public void close() {
        if (previous == null) {
            return;
        }
        try {
            Signal.handle(new Signal("INT"), previous);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // nothing to restore
        }
    }
}
