package mig.modules.file;

/**
 * A reusable character buffer the content regexes match against, which checks the run's
 * {@link Guard} every few thousand character reads. RE2 matches in linear time, but a line can be
 * many megabytes long and a large expression costs per character: reading characters is the one
 * thing every matching step does, so this is where a match is stopped at the deadline. Not
 * thread-safe: one per thread.
 */
final class GuardedChars implements CharSequence {

    private static final int CHECK_EVERY = 1 << 14;

    private final Guard guard;
    private char[] buf = new char[256];
    private int length;
    private int budget = CHECK_EVERY;

    GuardedChars(Guard guard) {
        this.guard = guard;
    }

    /** The backing array, at least {@code capacity} long; fill it, then call {@link #setLength}. */
    char[] buffer(int capacity) {
        if (buf.length < capacity) {
            buf = new char[Math.max(capacity, buf.length * 2)];
        }
        return buf;
    }

    void setLength(int n) {
        length = n;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (--budget <= 0) {
            budget = CHECK_EVERY;
            guard.check();
        }
        return buf[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(buf, start, end - start);
    }

    @Override
    public String toString() {
        return new String(buf, 0, length);
    }
}
