package mig.modules.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import mig.common.regex.GoRegexp;
import mig.modules.ParameterException;

/**
 * A search ready to run: its regexes compiled, its hex decoded, its options checked. Checks are in
 * the original's order (names, libraries, contents, bytes), which is also the order of match-any
 * result entries.
 *
 * @param index     position among the run's searches (sorted by label)
 * @param offset    first address to read
 * @param maxLength bytes to read per process at most ({@link Long#MAX_VALUE}: no limit)
 */
record CompiledSearch(
        int index,
        String label,
        MemorySearch source,
        List<Check> checks,
        long offset,
        long maxLength,
        boolean matchAll,
        boolean logFailures) {

    /** What a check looks at. */
    enum Kind {
        NAME("name"),
        LIBRARY("library"),
        CONTENT("content"),
        BYTES("byte");

        /** The word the printer uses: {@code on checks name='...' byte='...'}. */
        final String word;

        Kind(String word) {
            this.word = word;
        }

        boolean readsMemory() {
            return this == CONTENT || this == BYTES;
        }
    }

    /**
     * One check. For content, {@code required} is a literal every match contains, searched as bytes
     * before the window is decoded and the regex runs (null when the regex has none).
     */
    record Check(Kind kind, String value, GoRegexp regex, BytePattern bytes, BytePattern required) {}

    private static final Pattern LABEL = Pattern.compile("^([a-zA-Z0-9_-]){1,64}$");
    private static final double TWO_TO_63 = 9.223372036854775807E18;

    CompiledSearch {
        checks = List.copyOf(checks);
    }

    /**
     * Checks and compiles every search, in label order.
     *
     * @throws ParameterException naming the search, the value and the rule it breaks
     */
    static List<CompiledSearch> compileAll(MemoryParameters p) throws ParameterException {
        List<CompiledSearch> out = new ArrayList<>();
        for (Map.Entry<String, MemorySearch> e : p.searches().entrySet()) {
            out.add(compile(out.size(), e.getKey(), e.getValue()));
        }
        return out;
    }

    private static CompiledSearch compile(int index, String label, MemorySearch s) throws ParameterException {
        if (label.isEmpty()) {
            throw new ParameterException("empty labels are not permitted");
        }
        if (!LABEL.matcher(label).matches()) {
            throw new ParameterException(
                    "The syntax of label '" + label + "' is invalid. Must match regex " + LABEL.pattern());
        }
        List<Check> checks = new ArrayList<>();
        for (String v : s.names()) {
            checks.add(regexCheck(label, Kind.NAME, "names", v));
        }
        for (String v : s.libraries()) {
            checks.add(regexCheck(label, Kind.LIBRARY, "libraries", v));
        }
        for (String v : s.contents()) {
            checks.add(regexCheck(label, Kind.CONTENT, "contents", v));
        }
        for (String v : s.bytes()) {
            checks.add(bytesCheck(label, v));
        }
        MemoryOptions o = s.options();
        long offset = wholeBytes(label, "offset", o.offset());
        long maxLength = wholeBytes(label, "maxlength", o.maxLength());
        return new CompiledSearch(
                index,
                label,
                s,
                checks,
                offset,
                maxLength == 0 ? Long.MAX_VALUE : maxLength,
                o.matchAll(),
                o.logFailures());
    }

    private static Check regexCheck(String label, Kind kind, String field, String value) throws ParameterException {
        if (value.isEmpty()) {
            throw new ParameterException(
                    "search '" + label + "': " + field + " has an empty value; empty values " + "are not permitted");
        }
        GoRegexp re;
        try {
            re = GoRegexp.compile(value);
        } catch (GoRegexp.SyntaxException e) {
            throw new ParameterException("search '" + label + "': " + field + ": Invalid regexp '" + value
                    + "'. Must be a regexp. Compilation failed with '" + e.getMessage() + "'");
        }
        GoRegexp.RequiredBytes required = re.requiredBytes();
        return new Check(
                kind, value, re, null, required == null ? null : new BytePattern(required.bytes(), required.fold()));
    }

    private static Check bytesCheck(String label, String value) throws ParameterException {
        if (value.isEmpty()) {
            throw new ParameterException(
                    "search '" + label + "': bytes has an empty value; empty values are not " + "permitted");
        }
        try {
            return new Check(Kind.BYTES, value, null, BytePattern.ofHex(value), null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException("search '" + label + "': Invalid bytes '" + value + "'. Must be an "
                    + "hexadecimal byte string without leading 0x. ex: 'ff00d1ab'");
        }
    }

    private static long wholeBytes(String label, String option, double v) throws ParameterException {
        if (v < 0 || v != Math.floor(v) || v >= TWO_TO_63) {
            throw new ParameterException("search '" + label + "': option " + option + " is "
                    + (v == Math.floor(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : Double.toString(v))
                    + ": must be a whole number of bytes from 0 to 2^63-1");
        }
        return (long) v;
    }

    boolean has(Kind kind) {
        return checks.stream().anyMatch(c -> c.kind() == kind);
    }

    /** True when some check needs the process's memory. */
    boolean readsMemory() {
        return has(Kind.CONTENT) || has(Kind.BYTES);
    }

    /** The longest byte pattern, 0 if none. */
    int longestBytes() {
        return checks.stream()
                .filter(c -> c.kind() == Kind.BYTES)
                .mapToInt(c -> c.bytes().length())
                .max()
                .orElse(0);
    }
}
