package mig.modules.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits a byte stream into lines the way Go's {@code bufio.ScanLines} does for the original's
 * content checks: lines end at {@code \n}, one trailing {@code \r} is dropped, a last line without
 * {@code \n} still counts. Unlike the original, which silently stopped reading a file at its first
 * line over 64 KiB, a line longer than {@link #MAX_LINE} bytes is passed on in pieces of that size,
 * so memory stays bounded and the rest of the file is still examined.
 */
final class LineSplitter {

    /** Receives each line; the array is reused after the call returns. */
    interface Sink {
        void line(byte[] b, int off, int len);
    }

    static final int MAX_LINE = 1 << 20;

    private byte[] pending = new byte[4096];
    private int pendingLen;
    private Sink sink;
    private boolean[] starts;

    /** Starts a new stream; every line goes to the sink. */
    void reset(Sink newSink) {
        reset(newSink, null);
    }

    /**
     * Starts a new stream whose sink ignores every line (of at most {@link #MAX_LINE} bytes) that
     * does not start with a byte marked in {@code lineStarts} (by unsigned value; null: every line
     * goes to the sink). Those lines are then not handed over at all: in a content search over many
     * files with an anchored regex (sshkey's candidate search), the call per line cost more than
     * finding the lines.
     */
    void reset(Sink newSink, boolean[] lineStarts) {
        this.sink = newSink;
        this.starts = lineStarts;
        this.pendingLen = 0;
    }

    void feed(byte[] b, int off, int len) {
        int end = off + len;
        int start = off;
        int i;
        while ((i = indexOfNewline(b, start, end)) >= 0) {
            if (pendingLen == 0) {
                if (wanted(b, start, i - start)) {
                    emit(b, start, i - start);
                }
            } else {
                append(b, start, i - start);
                if (wanted(pending, 0, pendingLen)) {
                    emit(pending, 0, pendingLen);
                }
                pendingLen = 0;
            }
            start = i + 1;
        }
        if (start < end) {
            append(b, start, end - start);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The index of the first {@code '\n'} in {@code b[from..to)}, or -1. Eight bytes at a time
     * (the "has a zero byte" test on the bytes XOR newline; its lowest flagged byte is exact): a
     * byte-by-byte loop was most of the CPU of a content search over many files (sshkey's
     * candidate search). The JDK vectorises this only for Strings, and no library here offers a
     * byte-array memchr, hence this one.
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** End of stream: the last line, if the stream did not end with a newline. */
    void end() {
        if (pendingLen > 0 && wanted(pending, 0, pendingLen)) {
            emit(pending, 0, pendingLen);
        }
        pendingLen = 0;
    }

    /**
     * False for a line the sink ignores: empty, or starting with a byte not in {@link #starts}.
     * A line over {@link #MAX_LINE} bytes goes out in pieces, each of which the sink looks at.
     */
    private boolean wanted(byte[] b, int off, int len) {
        boolean[] first = starts;
        return first == null || len > MAX_LINE || (len > 0 && first[b[off] & 0xFF]);
    }

    private void append(byte[] b, int off, int len) {
        while (len > 0) {
            if (pendingLen == MAX_LINE) {
                sink.line(pending, 0, pendingLen);
                pendingLen = 0;
            }
            int n = Math.min(MAX_LINE - pendingLen, len);
            if (pending.length < pendingLen + n) {
                byte[] bigger = new byte[Math.min(MAX_LINE, Math.max(pendingLen + n, pending.length * 2))];
                System.arraycopy(pending, 0, bigger, 0, pendingLen);
                pending = bigger;
            }
            System.arraycopy(b, off, pending, pendingLen, n);
            pendingLen += n;
            off += n;
            len -= n;
        }
    }

    private void emit(byte[] b, int off, int len) {
        if (len > 0 && b[off + len - 1] == '\r') {
            len--;
        }
        while (len > MAX_LINE) {
            sink.line(b, off, MAX_LINE);
            off += MAX_LINE;
            len -= MAX_LINE;
        }
        sink.line(b, off, len);
    }
}
