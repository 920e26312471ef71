package mig.modules.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import mig.common.regex.GoRegexp;

/**
 * Reads a process's readable memory through {@code /proc/<pid>/mem} and runs the content and byte
 * checks on it. One walker per scanning thread: it owns the buffers.
 *
 * <p>Memory is read region by region in chunks of {@link #chunk} bytes. Each window handed to the
 * checks is the new chunk preceded by the last {@link #overlap} bytes of the previous one (within a
 * region), so a match up to {@code overlap + 1} bytes long is found even when it straddles a chunk
 * boundary: the overlap is the longest byte pattern minus one, and at least 4 KiB when a content
 * regex is searched (the original read 4 KiB windows sliding by half, which guaranteed 2 KiB).
 *
 * <pre>
 *   region  |-------- chunk 1 --------|-------- chunk 2 --------|---- chunk 3 ----|
 *   window 1 [========================]
 *   window 2                     [ov][========================]
 *   window 3                                             [ov][================]
 * </pre>
 *
 * <p>A search stops reading a process once all its memory checks matched or it has read its
 * {@code maxlength}; the walk stops when no search needs more. A region that cannot be read is a
 * soft failure and the walk goes on with the next; if the process is gone the walk ends with a
 * failure. Nothing read is kept or returned: only which checks matched.
 */
final class MemoryWalker {

    /** Bytes read per step. */
    static final int CHUNK = 64 * 1024;
    /** Overlap kept for content regexes: matches up to this long (+1) are found across chunks. */
    static final int CONTENT_OVERLAP = 4096;

    /** Called before each region is read; tests use it to make a process exit mid-scan. */
    interface RegionListener {
        RegionListener NONE = (pid, address) -> {};

        void beforeRegion(long pid, long address);
    }

    /** What one search still wants from the process being read. */
    static final class Progress {
        final CompiledSearch search;
        final BitSet matched;
        long remaining;
        boolean done;

        Progress(CompiledSearch search, BitSet matched) {
            this.search = search;
            this.matched = matched;
            this.remaining = search.maxLength();
        }

        boolean memoryChecksAllMatched() {
            List<CompiledSearch.Check> checks = search.checks();
            for (int i = 0; i < checks.size(); i++) {
                if (checks.get(i).kind().readsMemory() && !matched.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Why a walk ended early. */
    enum End {
        COMPLETE,
        STOPPED,
        EXITED
    }

    private final int chunk;
    private final int overlap;
    private final byte[] buf;
    private final char[] chars;
    private final BooleanSupplier stop;
    private final RegionListener listener;
    private int decodedFrom = -1;
    private int decodedTo = -1;
    private int decodedLength;

    MemoryWalker(List<CompiledSearch> searches, BooleanSupplier stop, RegionListener listener) {
        int longest =
                searches.stream().mapToInt(CompiledSearch::longestBytes).max().orElse(0);
        boolean content = searches.stream().anyMatch(s -> s.has(CompiledSearch.Kind.CONTENT));
        this.overlap = Math.max(content ? CONTENT_OVERLAP : 0, Math.max(0, longest - 1));
        this.chunk = Math.max(CHUNK, overlap);
        this.buf = new byte[chunk + overlap];
        this.chars = content ? new char[buf.length] : new char[0];
        this.stop = stop;
        this.listener = listener;
    }

    /** The result of one walk: how it ended and how many bytes it read. */
    record Walk(End end, long bytesRead) {}

    /**
     * Walks {@code regions} of process {@code pid} for the searches in {@code progress}.
     *
     * @param soft  receives soft failures (unreadable regions) when not null
     * @param hard  receives failures that are always reported
     * @param alive tells whether the process still exists, after a read failed
     */
    Walk walk(
            long pid,
            FileChannel mem,
            List<ProcessMaps.Region> regions,
            List<Progress> progress,
            List<String> soft,
            List<String> hard,
            LongPredicate alive) {
        long read = 0;
        for (ProcessMaps.Region region : regions) {
            listener.beforeRegion(pid, region.start());
            int carry = 0;
            for (long addr = region.start(); addr < region.end(); ) {
                if (stop.getAsBoolean()) {
                    return new Walk(End.STOPPED, read);
                }
                int len = (int) Math.min(chunk, region.end() - addr);
                try {
                    readFully(mem, addr, carry, len);
                } catch (IOException e) {
                    if (!alive.test(pid)) {
                        hard.add("process " + pid + " exited during the memory scan, at " + Long.toHexString(addr));
                        return new Walk(End.EXITED, read);
                    }
                    if (soft != null) {
                        soft.add("Error while reading " + len + " bytes starting at " + Long.toHexString(addr) + ": "
                                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                    }
                    break; // the rest of this region is skipped, as the original did after its retries
                }
                read += len;
                long winStart = addr - carry;
                int winLength = carry + len;
                boolean anyLeft = false;
                decodedFrom = -1;
                for (Progress p : progress) {
                    if (!p.done) {
                        window(pid, p, winStart, addr, len, winLength, hard);
                        anyLeft |= !p.done;
                    }
                }
                if (!anyLeft) {
                    return new Walk(End.COMPLETE, read);
                }
                carry = Math.min(overlap, winLength);
                System.arraycopy(buf, winLength - carry, buf, 0, carry);
                addr += len;
            }
        }
        return new Walk(End.COMPLETE, read);
    }

    /** Runs one search's pending memory checks on its part of the window. */
    private void window(
            long pid, Progress p, long winStart, long newStart, int newLength, int winLength, List<String> hard) {
        long offset = p.search.offset();
        long newFrom = Math.max(newStart, offset);
        long newEnd = newStart + newLength;
        if (newFrom >= newEnd) {
            return; // still before this search's offset
        }
        int from = (int) (Math.max(winStart, offset) - winStart);
        int to = winLength;
        long fresh = newEnd - newFrom;
        if (fresh >= p.remaining) {
            to = (int) (newFrom + p.remaining - winStart);
            p.remaining = 0;
            p.done = true;
        } else {
            p.remaining -= fresh;
        }
        List<CompiledSearch.Check> checks = p.search.checks();
        for (int i = 0; i < checks.size(); i++) {
            CompiledSearch.Check c = checks.get(i);
            if (!c.kind().readsMemory() || p.matched.get(i)) {
                continue;
            }
            boolean hit;
            if (c.kind() == CompiledSearch.Kind.BYTES) {
                hit = c.bytes().indexIn(buf, from, to) >= 0;
            } else {
                hit = contentMatches(c, from, to);
            }
            if (hit) {
                p.matched.set(i);
            }
        }
        if (p.memoryChecksAllMatched()) {
            p.done = true;
        }
    }

    private boolean contentMatches(CompiledSearch.Check c, int from, int to) {
        if (c.required() != null && c.required().indexIn(buf, from, to) < 0) {
            return false; // every match contains these bytes, and they are not here: no decoding, no regex
        }
        return c.regex().find(decoded(from, to));
    }

    /** The window's bytes {@code [from, to)} as Go's regexp reads them, decoded once per window. */
    private CharSequence decoded(int from, int to) {
        if (decodedFrom != from || decodedTo != to) {
            decodedLength = GoRegexp.decodeUtf8(buf, from, to - from, chars);
            decodedFrom = from;
            decodedTo = to;
        }
        return ScanText.chars(chars, decodedLength, stop);
    }

    private void readFully(FileChannel mem, long addr, int at, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, at, len);
        while (bb.hasRemaining()) {
            int n = mem.read(bb, addr + (bb.position() - at));
            if (n <= 0) {
                throw new IOException("short read: " + (bb.position() - at) + " of " + len + " bytes");
            }
        }
    }
}
