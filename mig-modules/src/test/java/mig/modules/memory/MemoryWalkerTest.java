package mig.modules.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import mig.modules.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The windowed memory read on a file standing in for {@code /proc/<pid>/mem}, where every byte's
 * address is known: matches straddling chunk boundaries, offset and maxlength, UTF-8 content,
 * unreadable regions, and the watchdog.
 */
class MemoryWalkerTest {

    private static final int CHUNK = MemoryWalker.CHUNK;
    private static final String MARKER = "mig-walker-marker-1234";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "marker at chunk boundary {0}")
    @ValueSource(ints = {-21, -5, -1, 0, CHUNK - 3}) // the marker is 22 bytes long
    void findsContentThatStraddlesAChunkBoundary(int delta) throws Exception {
        byte[] mem = filler(3 * CHUNK + 100);
        put(mem, CHUNK + delta, MARKER.getBytes(StandardCharsets.US_ASCII));
        assertTrue(matches(mem, search("\"contents\":[\"mig-walker-marker-[0-9]+\"]")));
        assertTrue(matches(mem, search("\"bytes\":[\"" + hex(MARKER) + "\"]")));
    }

    @Test
    void findsABytePatternLongerThanAChunkAcrossBoundaries() throws Exception {
        byte[] pattern = new byte[CHUNK + CHUNK / 2];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 31 + 7);
        }
        byte[] mem = filler(4 * CHUNK);
        put(mem, CHUNK - 10, pattern);
        assertTrue(matches(mem, search("\"bytes\":[\"" + HexFormat.of().formatHex(pattern) + "\"]")));
        pattern[pattern.length - 1] ^= 1;
        assertFalse(matches(mem, search("\"bytes\":[\"" + HexFormat.of().formatHex(pattern) + "\"]")));
    }

    @Test
    void offsetAndMaxLengthBoundWhatIsSearched() throws Exception {
        byte[] mem = filler(2 * CHUNK);
        put(mem, 10_000, MARKER.getBytes(StandardCharsets.US_ASCII));
        String content = "\"contents\":[\"mig-walker-marker-1234\"]";
        assertTrue(matches(mem, search(content + ",\"options\":{\"offset\":9000}")));
        assertFalse(matches(mem, search(content + ",\"options\":{\"offset\":10001}")), "starts past the marker");
        assertFalse(matches(mem, search(content + ",\"options\":{\"maxlength\":10000}")), "stops before it");
        assertTrue(matches(mem, search(content + ",\"options\":{\"maxlength\":10022}")), "reads it to its last byte");
        assertFalse(matches(mem, search(content + ",\"options\":{\"maxlength\":10021}")));
        assertTrue(matches(mem, search(content + ",\"options\":{\"offset\":5000,\"maxlength\":5022}")));
        assertFalse(matches(mem, search(content + ",\"options\":{\"offset\":5000,\"maxlength\":5021}")));
    }

    @Test
    void stopsReadingOnceEveryCheckMatched() throws Exception {
        byte[] mem = filler(8 * CHUNK);
        put(mem, 100, MARKER.getBytes(StandardCharsets.US_ASCII));
        Result r = walk(
                mem,
                List.of(new ProcessMaps.Region(0, mem.length)),
                search("\"bytes\":[\"" + hex(MARKER) + "\"]"),
                () -> false);
        assertTrue(r.matched());
        assertEquals(CHUNK, r.walk().bytesRead());
    }

    @Test
    void readsContentAsUtf8LikeGo() throws Exception {
        byte[] mem = filler(CHUNK);
        put(mem, 300, "héllo wörld".getBytes(StandardCharsets.UTF_8));
        put(mem, 900, "grüße".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(matches(mem, search("\"contents\":[\"h.llo w.rld\"]")), "one . per character, not per byte");
        assertTrue(matches(mem, search("\"contents\":[\"wörld\"]")));
        assertFalse(matches(mem, search("\"contents\":[\"grüße\"]")), "Latin-1 bytes are not UTF-8 text");
    }

    @Test
    void wordBoundariesAreGosAsciiOnesOnRawMemory() throws Exception {
        byte[] mem = filler(CHUNK);
        put(mem, 500, " xcafé 4111-1111-1111-1111 ".getBytes(StandardCharsets.UTF_8));
        assertTrue(matches(mem, search("\"contents\":[\"caf\\\\b\"]")), "é is not a word character in Go");
        assertFalse(matches(mem, search("\"contents\":[\"\\\\bcaf\"]")), "x is");
        assertTrue(matches(mem, search("\"contents\":[\"\\\\b[0-9]{4}(-[0-9]{4}){3}\\\\b\"]")));
        assertFalse(matches(mem, search("\"contents\":[\"\\\\B[0-9]{4}(-[0-9]{4}){3}\\\\b\"]")));
    }

    @Test
    void anUnreadableRegionIsASoftFailureAndTheWalkGoesOn() throws Exception {
        byte[] mem = filler(2 * CHUNK);
        put(mem, CHUNK + 10, MARKER.getBytes(StandardCharsets.US_ASCII));
        List<ProcessMaps.Region> regions = List.of(
                new ProcessMaps.Region(0, 100),
                new ProcessMaps.Region(10L * CHUNK, 11L * CHUNK),
                new ProcessMaps.Region(CHUNK, 2L * CHUNK));
        Result r = walk(mem, regions, search("\"bytes\":[\"" + hex(MARKER) + "\"]"), () -> false);
        assertTrue(r.matched());
        assertEquals(
                List.of("Error while reading 65536 bytes starting at a0000: short read: 0 of 65536 bytes"), r.soft());
    }

    @Test
    void theWatchdogStopsARegexInTheMiddleOfAWindow() throws Exception {
        byte[] mem = new byte[CHUNK];
        Arrays.fill(mem, (byte) 'a');
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        BooleanSupplier afterTheRead = () -> asked.incrementAndGet() > 1; // the walk asks once before reading
        CompiledSearch search = search("\"contents\":[\"(.*a){20}[bc]\"]");
        assertThrows(
                ScanText.Stopped.class,
                () -> walk(mem, List.of(new ProcessMaps.Region(0, mem.length)), search, afterTheRead));
    }

    @Test
    void aRegexThatBacktracksExponentiallyInJavaRunsToTheEndOfEveryWindow() throws Exception {
        byte[] mem = new byte[4 * CHUNK];
        Arrays.fill(mem, (byte) 'a');
        put(mem, mem.length - 3, "abc".getBytes(StandardCharsets.US_ASCII));
        Result r = walk(
                mem,
                List.of(new ProcessMaps.Region(0, mem.length)),
                search("\"contents\":[\"(.*a){20}[bc]\"]"),
                () -> false);
        assertTrue(r.matched());
        assertFalse(walk(
                        mem,
                        List.of(new ProcessMaps.Region(0, mem.length)),
                        search("\"contents\":[\"(.*a){20}d\"]"),
                        () -> false)
                .matched());
    }

    @Test
    void mapsGiveLibrariesAndMergedReadableRegions() {
        ProcessMaps maps = ProcessMaps.parse(List.of(
                "55d0c0a00000-55d0c0a02000 r--p 00000000 fe:01 123 /usr/bin/probe",
                "55d0c0a02000-55d0c0a03000 r-xp 00002000 fe:01 123 /usr/bin/probe",
                "55d0c0a03000-55d0c0a04000 ---p 00000000 00:00 0 ",
                "55d0c0a04000-55d0c0a05000 rw-p 00000000 00:00 0                          [heap]",
                "7f0000000000-7f0000001000 r--p 00000000 fe:01 456                        /usr/lib/libc.so.6",
                "7f0000001000-7f0000002000 r-xp 00001000 fe:01 456                        /usr/lib/libc.so.6",
                "7f0000002000-7f0000003000 rw-s 00000000 00:05 789                        /dev/zero (deleted)",
                "7f0000003000-7f0000004000 r--p 00000000 00:00 0",
                "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]"));
        assertEquals(List.of("/usr/lib/libc.so.6"), maps.libraries("/usr/bin/probe"));
        assertEquals(
                List.of(
                        new ProcessMaps.Region(0x55d0c0a00000L, 0x55d0c0a03000L),
                        new ProcessMaps.Region(0x55d0c0a04000L, 0x55d0c0a05000L),
                        new ProcessMaps.Region(0x7f0000000000L, 0x7f0000004000L)),
                maps.readableRegions(0));
        assertEquals(
                List.of(new ProcessMaps.Region(0x7f0000001800L, 0x7f0000004000L)),
                maps.readableRegions(0x7f0000001800L));
        assertEquals(
                List.of(
                        "Unreadable memory 55d0c0a03000-55d0c0a04000",
                        "Unreadable memory ffffffffff600000-ffffffffff601000"),
                maps.unreadable(0));
        assertThrows(IllegalArgumentException.class, () -> ProcessMaps.parse(List.of("not a mapping")));
    }

    private record Result(boolean matched, MemoryWalker.Walk walk, List<String> soft) {}

    private boolean matches(byte[] mem, CompiledSearch s) throws IOException {
        return walk(mem, List.of(new ProcessMaps.Region(0, mem.length)), s, () -> false)
                .matched();
    }

    private Result walk(byte[] mem, List<ProcessMaps.Region> regions, CompiledSearch s, BooleanSupplier stop)
            throws IOException {
        Path file = dir.resolve("mem");
        Files.write(file, mem);
        BitSet matched = new BitSet();
        List<String> soft = new ArrayList<>();
        List<String> hard = new ArrayList<>();
        MemoryWalker walker = new MemoryWalker(List.of(s), stop, MemoryWalker.RegionListener.NONE);
        try (FileChannel ch = FileChannel.open(file)) {
            List<ProcessMaps.Region> from = regions.stream()
                    .filter(r -> r.end() > s.offset())
                    .map(r -> new ProcessMaps.Region(Math.max(r.start(), s.offset()), r.end()))
                    .toList();
            MemoryWalker.Walk w =
                    walker.walk(1, ch, from, List.of(new MemoryWalker.Progress(s, matched)), soft, hard, pid -> true);
            assertEquals(List.of(), hard);
            return new Result(!matched.isEmpty(), w, soft);
        }
    }

    private static CompiledSearch search(String fields) {
        try {
            MemorySearch s = GoJsonSearch.parse("{" + fields + "}");
            return CompiledSearch.compileAll(new MemoryParameters(Map.of("s1", s)))
                    .get(0);
        } catch (ParameterException e) {
            throw new AssertionError(e);
        }
    }

    /** Non-zero filler that contains none of the test's patterns. */
    private static byte[] filler(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('.' + i % 3);
        }
        return b;
    }

    private static void put(byte[] mem, int at, byte[] what) {
        System.arraycopy(what, 0, mem, at, what.length);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads one search the way the module reads parameters. */
    private static final class GoJsonSearch {
        static MemorySearch parse(String json) {
            try {
                return mig.common.json.GoJson.mapper().readValue(json, MemorySearch.class);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
