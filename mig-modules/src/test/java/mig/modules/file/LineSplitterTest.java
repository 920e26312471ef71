package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines as Go's bufio.ScanLines cuts them, fed in arbitrary chunks. */
class LineSplitterTest {

    private static List<String> lines(String data, int chunk) {
        return lines(data, chunk, null);
    }

    private static List<String> lines(String data, int chunk, boolean[] starts) {
        List<String> out = new ArrayList<>();
        LineSplitter s = new LineSplitter();
        s.reset((b, off, len) -> out.add(new String(b, off, len, StandardCharsets.ISO_8859_1)), starts);
        byte[] bytes = data.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += chunk) {
            s.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        s.end();
        return out;
    }

    @Test
    void splitsLikeScanLinesWhateverTheChunking() {
        for (int chunk : new int[] {1, 2, 3, 7, 1000}) {
            assertEquals(List.of("a", "", "b", "c"), lines("a\n\nb\r\nc", chunk));
            assertEquals(List.of("a", "b"), lines("a\nb\n", chunk));
            assertEquals(List.of("x", ""), lines("x\n\r", chunk));
            assertEquals(List.of(), lines("", chunk));
            assertEquals(List.of("a\rb"), lines("a\rb\n", chunk));
        }
    }

    /** The eight-bytes-at-a-time search against a plain loop, at every offset and length. */
    @Test
    void indexOfNewlineFindsTheFirstNewlineAtEveryAlignment() {
        java.util.Random rnd = new java.util.Random(11);
        // bytes one bit from '\n' (0x0A), and 0x8A, which the zero-byte test must not confuse with it
        byte[] near = {0x0A, 0x0B, 0x08, 0x0E, 0x1A, (byte) 0x8A, (byte) 0xFF, 0x00, 'a'};
        for (int n = 0; n < 5_000; n++) {
            byte[] b = new byte[rnd.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = near[1 + rnd.nextInt(near.length - 1)];
            }
            if (b.length > 0 && rnd.nextBoolean()) {
                b[rnd.nextInt(b.length)] = '\n';
            }
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length);
            int to = from + rnd.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertEquals(expected, LineSplitter.indexOfNewline(b, from, to), java.util.Arrays.toString(b));
        }
    }

    /**
     * With first bytes given, the lines that start with another byte (or are empty) are not handed
     * over, the others are, whatever the chunking (lines over chunk boundaries, the last line
     * without a newline, a CR before the newline).
     */
    @Test
    void handsOverOnlyTheLinesThatStartWithAGivenByte() {
        boolean[] starts = new boolean[256];
        starts['s'] = true;
        starts['-'] = true;
        String data = "ssh-rsa AAAA\nnot this\n\n-----BEGIN X\r\nxs\r\n\r\nsecond s\nlast\nsa";
        for (int chunk : new int[] {1, 2, 3, 5, 7, 1000}) {
            List<String> all = lines(data, chunk);
            List<String> expected = all.stream()
                    .filter(l -> !l.isEmpty() && starts[l.charAt(0) & 0xFF])
                    .toList();
            assertEquals(List.of("ssh-rsa AAAA", "-----BEGIN X", "second s", "sa"), expected);
            assertEquals(expected, lines(data, chunk, starts), "chunks of " + chunk);
        }
        // a line longer than the maximum is handed over in pieces, as without first bytes
        int max = LineSplitter.MAX_LINE;
        String longLine = "s".repeat(max + 3) + "\n";
        assertEquals(List.of("s".repeat(max), "sss"), lines(longLine, 65536, starts));
    }

    @Test
    void cutsAVeryLongLineIntoPiecesOfTheMaximumLength() {
        int max = LineSplitter.MAX_LINE;
        List<String> l = lines("y".repeat(max * 2 + 5) + "\nend", 65536);
        assertEquals(4, l.size());
        assertEquals(max, l.get(0).length());
        assertEquals(max, l.get(1).length());
        assertEquals(5, l.get(2).length());
        assertEquals("end", l.get(3));
    }
}
