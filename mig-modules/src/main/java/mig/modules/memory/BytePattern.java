package mig.modules.memory;

import java.util.HexFormat;

/**
 * A byte string searched in memory with Boyer-Moore-Horspool: most windows are rejected after
 * looking at one byte in {@code length} of them, which matters when every process is scanned.
 * Positions may be marked "either ASCII case" (literals of a {@code (?i)} regex).
 */
final class BytePattern {

    private final byte[] needle;
    private final boolean[] fold;
    private final int[] shift = new int[256];

    BytePattern(byte[] needle) {
        this(needle, new boolean[needle.length]);
    }

    /** @param fold for each byte of {@code needle}, true when it is an ASCII letter matching either case */
    BytePattern(byte[] needle, boolean[] fold) {
        if (needle.length == 0 || fold.length != needle.length) {
            throw new IllegalArgumentException("a byte pattern needs bytes, and one fold flag per byte");
        }
        this.needle = needle.clone();
        this.fold = fold.clone();
        java.util.Arrays.fill(shift, needle.length);
        for (int i = 0; i < needle.length - 1; i++) {
            shift[needle[i] & 0xFF] = needle.length - 1 - i;
            if (fold[i]) {
                shift[(needle[i] ^ 0x20) & 0xFF] = needle.length - 1 - i;
            }
        }
    }

    /** Go's {@code hex.DecodeString}: an even number of hex digits, either case. */
    static BytePattern ofHex(String hex) {
        return new BytePattern(HexFormat.of().parseHex(hex));
    }

    int length() {
        return needle.length;
    }

    /** The first index in {@code [from, to)} where the pattern starts and ends inside; -1 if none. */
    int indexIn(byte[] hay, int from, int to) {
        int last = needle.length - 1;
        int i = from;
        while (i + last < to) {
            int j = last;
            while (same(hay[i + j], j)) {
                if (j == 0) {
                    return i;
                }
                j--;
            }
            i += shift[hay[i + last] & 0xFF];
        }
        return -1;
    }

    private boolean same(byte b, int j) {
        return b == needle[j] || fold[j] && (b | 0x20) == (needle[j] | 0x20);
    }
}
