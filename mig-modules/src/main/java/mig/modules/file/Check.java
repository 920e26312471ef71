package mig.modules.file;

import java.time.Instant;
import mig.common.regex.GoRegexp;

/**
 * One compiled check of a search: a name, mode or content regex, a size or mtime window, or a
 * digest. A file passes a check when {@code raw XOR inverse XOR mismatch} is true, where
 * {@code inverse} is a leading {@code !} on a regex and {@code mismatch} comes from
 * {@code options.mismatch}.
 */
sealed interface Check {

    /** Position in the search's check list (contents, names, sizes, modes, mtimes, md5, sha1, sha2, sha3). */
    int index();

    Filter filter();

    /** The value as a matchany result reports it: regexes as given, digests upper-case. */
    String value();

    boolean inverse();

    boolean mismatch();

    /** Whether a raw result counts as a pass. */
    default boolean wants(boolean raw) {
        return raw ^ inverse() ^ mismatch();
    }

    /** A regex on the file's base name. */
    record NameCheck(int index, String value, boolean inverse, boolean mismatch, GoRegexp regex) implements Check {
        @Override
        public Filter filter() {
            return Filter.NAME;
        }
    }

    /** A regex on Go's mode string of the file ({@code -rw-r--r--}). */
    record ModeCheck(int index, String value, boolean inverse, boolean mismatch, GoRegexp regex) implements Check {
        @Override
        public Filter filter() {
            return Filter.MODE;
        }
    }

    /** A size window, bounds included. */
    record SizeCheck(int index, String value, boolean mismatch, long min, long max) implements Check {
        @Override
        public Filter filter() {
            return Filter.SIZE;
        }

        @Override
        public boolean inverse() {
            return false;
        }

        boolean raw(long size) {
            return size >= min && size <= max;
        }
    }

    /** A modification-time window, bounds excluded as in the original. */
    record MtimeCheck(int index, String value, boolean mismatch, Instant after, Instant before) implements Check {
        @Override
        public Filter filter() {
            return Filter.MTIME;
        }

        @Override
        public boolean inverse() {
            return false;
        }

        boolean raw(Instant mtime) {
            return mtime.isAfter(after) && mtime.isBefore(before);
        }
    }

    /** A regex on the lines of the file. */
    record ContentCheck(int index, String value, boolean inverse, boolean mismatch, GoRegexp regex) implements Check {
        @Override
        public Filter filter() {
            return Filter.CONTENT;
        }
    }

    /** A digest of the file, compared as upper-case hex. */
    record HashCheck(int index, Filter filter, String value, boolean mismatch, HashAlgo algo) implements Check {
        @Override
        public boolean inverse() {
            return false;
        }
    }
}
