package mig.modules.memory;

import java.util.function.BooleanSupplier;

/**
 * Memory handed to the content regexes as text (decoded as Go's regexp reads bytes), with a
 * watchdog.
 *
 * <p>The watchdog: RE2 runs in time linear in the window, but with a large expression that is still
 * a lot of work per window, and a module must stop at its deadline. Every {@value #CHECK_EVERY} char
 * reads, the view asks {@code stop}; when it says yes the match is abandoned with {@link Stopped}.
 */
abstract sealed class ScanText implements CharSequence {

    /** Thrown out of a regex match when the scan must stop (deadline or interrupt). */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("memory scan stopped", null, false, false);
        }
    }

    private static final int CHECK_EVERY = 1 << 16;

    private final BooleanSupplier stop;
    private int reads;

    ScanText(BooleanSupplier stop) {
        this.stop = stop;
    }

    /** Chars {@code [0, length)} of {@code chars}. */
    static ScanText chars(char[] chars, int length, BooleanSupplier stop) {
        return new Chars(chars, 0, length, stop);
    }

    final void tick() {
        if (++reads >= CHECK_EVERY) {
            reads = 0;
            if (stop.getAsBoolean()) {
                throw new Stopped();
            }
        }
    }

    BooleanSupplier stop() {
        return stop;
    }

    private static final class Chars extends ScanText {
        private final char[] chars;
        private final int from;
        private final int to;

        Chars(char[] chars, int from, int to, BooleanSupplier stop) {
            super(stop);
            this.chars = chars;
            this.from = from;
            this.to = to;
        }

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            tick();
            return chars[from + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Chars(chars, from + start, from + end, stop());
        }

        @Override
        public String toString() {
            return new String(chars, from, to - from);
        }
    }
}
