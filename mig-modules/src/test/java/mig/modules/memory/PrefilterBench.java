package mig.modules.memory;

import java.nio.CharBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mig.common.regex.GoRegexp;

/**
 * What the memory scan's pre-filter is worth: the literal every match of a content regex contains
 * ({@link GoRegexp#requiredBytes()}) looked for with {@link BytePattern} before a window is decoded
 * and matched, against decoding and matching every window. Data: the first ~96 MiB of shared
 * libraries (binary, like process memory), in the walker's 68 KiB windows. Run by
 * bench/memory-prefilter.sh; prints the best of 3 per regex and mode.
 */
public final class PrefilterBench {

    private static final String[] REGEXES = {
        "migref-memory-marker-[0-9]+",
        "(?i)passw[o0]rd=[^&\\s]{8}",
        "root:x:0:0:[^:]*:/root",
        "\\b[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}\\b"
    };

    private PrefilterBench() {}

    public static void main(String[] args) throws Exception {
        List<byte[]> files = new ArrayList<>();
        long total = 0;
        try (Stream<Path> s = Files.list(Path.of(args.length > 0 ? args[0] : "/usr/lib/x86_64-linux-gnu"))) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                if (total > (96 << 20)) {
                    break;
                }
                byte[] b = Files.readAllBytes(p);
                files.add(b);
                total += b.length;
            }
        }
        System.out.printf(
                "data: %d files, %.1f MiB of shared libraries, windows of 68 KiB%n", files.size(), total / 1048576.0);
        char[] chars = new char[MemoryWalker.CHUNK + MemoryWalker.CONTENT_OVERLAP];
        for (String e : REGEXES) {
            GoRegexp re = GoRegexp.compile(e);
            GoRegexp.RequiredBytes rb = re.requiredBytes();
            BytePattern bp = rb == null ? null : new BytePattern(rb.bytes(), rb.fold());
            for (boolean filter : new boolean[] {true, false}) {
                if (filter && bp == null) {
                    continue;
                }
                long best = Long.MAX_VALUE;
                int hits = 0;
                for (int rep = 0; rep < 3; rep++) {
                    long t = System.nanoTime();
                    hits = 0;
                    for (byte[] f : files) {
                        for (int off = 0; off < f.length; off += MemoryWalker.CHUNK) {
                            int to = Math.min(f.length, off + chars.length);
                            if (filter && bp.indexIn(f, off, to) < 0) {
                                continue;
                            }
                            int n = GoRegexp.decodeUtf8(f, off, to - off, chars);
                            if (re.find(CharBuffer.wrap(chars, 0, n))) {
                                hits++;
                            }
                        }
                    }
                    best = Math.min(best, System.nanoTime() - t);
                }
                System.out.printf(
                        "%-55s %-30s best of 3: %7.0f ms (%d windows matched)%n",
                        e, filter ? "pre-filter '" + new String(rb.bytes()) + "'" : "no pre-filter", best / 1e6, hits);
            }
        }
    }
}
