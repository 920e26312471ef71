package mig.modules.memory;

import java.util.function.BooleanSupplier;

/**
 * Memory handed to {@link java.util.regex} as text, with a watchdog.
 *
 * <p>Two views: {@link #ascii} shows each byte as one char, with no copy or decoding, ASCII as itself
 * and every byte from 0x80 as U+0080 (a char no ASCII-only pattern matches and no word boundary
 * treats as a letter), for patterns that can only match ASCII ({@link GoRegexp#asciiOnly()});
 * {@link #chars} shows a UTF-8 decoding (malformed bytes become U+FFFD, as Go's regexp reads them).
 *
 * <p>The watchdog: a backtracking regex can take exponential time on one window, and a module must
 * stop at its deadline. Every {@value #CHECK_EVERY} char reads, the view asks {@code stop}; when it
 * says yes the match is abandoned with {@link Stopped}.
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

    /** Bytes {@code [from, to)} of {@code buf}, one char per byte, non-ASCII bytes as U+0080. */
    static ScanText ascii(byte[] buf, int from, int to, BooleanSupplier stop) {
        return new Ascii(buf, from, to, stop);
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

    private static final class Ascii extends ScanText {
        private final byte[] buf;
        private final int from;
        private final int to;

        Ascii(byte[] buf, int from, int to, BooleanSupplier stop) {
            super(stop);
            this.buf = buf;
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
            byte b = buf[from + index];
            return b >= 0 ? (char) b : '\u0080';
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Ascii(buf, from + start, from + end, stop());
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(to - from);
            for (int i = from; i < to; i++) {
                sb.append(buf[i] >= 0 ? (char) buf[i] : '\u0080');
            }
            return sb.toString();
        }
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
