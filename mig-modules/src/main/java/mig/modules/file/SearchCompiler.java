package mig.modules.file;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import mig.common.regex.GoRegexp;
import mig.modules.ParameterException;

/**
 * Validates a search with the original's rules and messages ({@code Invalid size format for size
 * '%s'. Must match regex %s}) and compiles it. Where the original accepted a value and then failed
 * or silently ignored it (a size without digits, a SHA-2 of the wrong length, a negative maxdepth)
 * the value is refused here with a message saying why.
 */
final class SearchCompiler {

    static final String LABEL_RE = "^([a-zA-Z0-9_-]|.){1,64}$";
    static final String SIZE_RE = "^(<|>)?[0-9]*(k|m|g|t)?$";
    static final String MTIME_RE = "^(<|>)[0-9]*(d|h|m)$";
    static final String MISMATCH_RE = "^(name|size|mode|mtime|content|md5|sha1|sha2|sha3)$";

    private static final Pattern SIZE = Pattern.compile(SIZE_RE);
    private static final Pattern MTIME = Pattern.compile(MTIME_RE);
    private static final Pattern MISMATCH = Pattern.compile(MISMATCH_RE);
    private static final Instant MTIME_FLOOR = Instant.parse("1111-01-11T11:11:11.000000011Z");
    private static final Instant MTIME_CEILING = Instant.parse("9998-01-11T11:11:11.000000011Z");

    private SearchCompiler() {}

    /**
     * Validates and compiles one search.
     *
     * @param now the time {@code mtimes} are measured from
     * @throws ParameterException naming the value and the rule it breaks
     */
    static CompiledSearch compile(int index, String label, Search s, Instant now) throws ParameterException {
        validateLabel(label);
        if (s.paths() == null || s.paths().isEmpty()) {
            throw new ParameterException("invalid empty search path, must have at least one search path");
        }
        List<String> cleaned = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (String p : s.paths()) {
            if (p.isEmpty()) {
                throw new ParameterException("invalid empty path: a search path cannot be an empty string");
            }
            String c = GoPaths.clean(p);
            Path path;
            try {
                path = Path.of(c);
            } catch (InvalidPathException e) {
                throw new ParameterException("invalid path '" + p + "': " + e.getReason());
            }
            cleaned.add(c);
            paths.add(path);
        }
        List<String> mismatch =
                s.options().mismatch() == null ? List.of() : s.options().mismatch();
        List<Check> checks = new ArrayList<>();
        for (Filter f : Filter.values()) {
            boolean mm = mismatch.contains(f.wireName());
            for (String v : s.values(f)) {
                checks.add(check(checks.size(), f, v, mm, now));
            }
        }
        for (String m : mismatch) {
            validateMismatch(m);
        }
        validateLimit("maxdepth", s.options().maxDepth());
        validateLimit("maxerrors", s.options().maxErrors());
        validateLimit("matchlimit", s.options().matchLimit());
        return new CompiledSearch(index, label, s.withPaths(cleaned), paths, checks);
    }

    private static Check check(int index, Filter f, String v, boolean mm, Instant now) throws ParameterException {
        return switch (f) {
            case CONTENT -> new Check.ContentCheck(index, v, inverted(v), mm, regex(v));
            case NAME -> new Check.NameCheck(index, v, inverted(v), mm, regex(v));
            case MODE -> new Check.ModeCheck(index, v, inverted(v), mm, regex(v));
            case SIZE -> size(index, v, mm);
            case MTIME -> mtime(index, v, mm, now);
            case MD5 -> hash(index, f, v, mm, HashAlgo.MD5);
            case SHA1 -> hash(index, f, v, mm, HashAlgo.SHA1);
            case SHA2 -> {
                HashAlgo a = HashAlgo.sha2ForLength(v.length());
                if (a == null) {
                    requireNonEmpty(v);
                    throw new ParameterException("Invalid hash length for sha2 hash '" + v + "': must be 64, 96 "
                            + "or 128 hexadecimal characters (SHA-256, SHA-384 or SHA-512), got " + v.length());
                }
                yield hash(index, f, v, mm, a);
            }
            case SHA3 -> {
                HashAlgo a = HashAlgo.sha3ForLength(v.length());
                if (a == null) {
                    requireNonEmpty(v);
                    throw new ParameterException("Invalid hash length for sha3 hash '" + v + "': must be 56, 64, "
                            + "96 or 128 hexadecimal characters (SHA3-224, SHA3-256, SHA3-384 or SHA3-512), got "
                            + v.length());
                }
                yield hash(index, f, v, mm, a);
            }
        };
    }

    /** A leading {@code !} inverts a regex, unless the regex is just {@code !}. */
    private static boolean inverted(String v) {
        return v.length() > 1 && v.charAt(0) == '!';
    }

    static GoRegexp regex(String v) throws ParameterException {
        requireNonEmpty(v);
        String re = inverted(v) ? v.substring(1) : v;
        try {
            return GoRegexp.compile(re);
        } catch (GoRegexp.SyntaxException e) {
            throw new ParameterException(
                    "Invalid regexp '" + re + "'. Must be a regexp. Compilation failed with '" + e.getMessage() + "'");
        }
    }

    static Check.SizeCheck size(int index, String v, boolean mm) throws ParameterException {
        requireNonEmpty(v);
        if (!SIZE.matcher(v).matches()) {
            throw new ParameterException("Invalid size format for size '" + v + "'. Must match regex " + SIZE_RE);
        }
        long multiplier = switch (v.charAt(v.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        char first = v.charAt(0);
        int from = first == '<' || first == '>' ? 1 : 0;
        int to = multiplier > 1 ? v.length() - 1 : v.length();
        String digits = v.substring(from, to);
        if (digits.isEmpty()) {
            throw new ParameterException(
                    "Invalid size format for size '" + v + "': a number is required, " + "e.g. <10m, >1g or 1024");
        }
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(digits), multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ParameterException(
                    "Invalid size '" + v + "': larger than the largest file size (" + Long.MAX_VALUE + " bytes)");
        }
        return switch (first) {
            case '<' -> new Check.SizeCheck(index, v, mm, 0, n);
            case '>' -> new Check.SizeCheck(index, v, mm, n, Long.MAX_VALUE);
            default -> new Check.SizeCheck(index, v, mm, n, n);
        };
    }

    static Check.MtimeCheck mtime(int index, String v, boolean mm, Instant now) throws ParameterException {
        requireNonEmpty(v);
        if (!MTIME.matcher(v).matches()) {
            throw new ParameterException("Invalid mtime format for mtime '" + v + "'. Must match regex " + MTIME_RE);
        }
        String digits = v.substring(1, v.length() - 1);
        if (digits.isEmpty()) {
            throw new ParameterException(
                    "Invalid mtime format for mtime '" + v + "': a number is required, " + "e.g. <90d, >5h or <30m");
        }
        long unitNanos = switch (v.charAt(v.length() - 1)) {
            case 'd' -> 24L * 3600 * 1_000_000_000L;
            case 'h' -> 3600L * 1_000_000_000L;
            default -> 60L * 1_000_000_000L;
        };
        Duration d;
        try {
            d = Duration.ofNanos(Math.multiplyExact(Long.parseLong(digits), unitNanos));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ParameterException(
                    "Invalid mtime '" + v + "': the period exceeds Go's longest duration " + "(about 292 years)");
        }
        Instant edge = now.minus(d);
        return v.charAt(0) == '<'
                ? new Check.MtimeCheck(index, v, mm, edge, MTIME_CEILING)
                : new Check.MtimeCheck(index, v, mm, MTIME_FLOOR, edge);
    }

    private static Check.HashCheck hash(int index, Filter f, String v, boolean mm, HashAlgo algo)
            throws ParameterException {
        requireNonEmpty(v);
        String upper = v.toUpperCase(Locale.ROOT);
        String re = "^[A-F0-9]{" + algo.hexLength() + "}$";
        if (!upper.matches(re)) {
            throw new ParameterException("Invalid checksum format for hash '" + upper + "'. Must match regex " + re);
        }
        return new Check.HashCheck(index, f, upper, mm, algo);
    }

    static void validateLabel(String label) throws ParameterException {
        if (label.isEmpty()) {
            throw new ParameterException("empty labels are not permitted");
        }
        int runes = label.codePointCount(0, label.length());
        if (runes > 64 || label.indexOf('\n') >= 0) {
            throw new ParameterException(
                    "The syntax of label '" + label + "' is invalid. Must match regex " + LABEL_RE);
        }
    }

    static void validateMismatch(String filter) throws ParameterException {
        if (filter.isEmpty()) {
            throw new ParameterException("empty filters are not permitted");
        }
        if (!MISMATCH.matcher(filter).matches()) {
            throw new ParameterException(
                    "The syntax of filter '" + filter + "' is invalid. Must match regex " + MISMATCH_RE);
        }
    }

    private static void validateLimit(String name, double v) throws ParameterException {
        if (!Double.isFinite(v) || v < 0 || v != Math.floor(v)) {
            String shown = Double.isFinite(v)
                    ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString()
                    : String.valueOf(v);
            throw new ParameterException(
                    "option " + name + " must be a whole number from 0 up (0 means no limit), got " + shown);
        }
    }

    private static void requireNonEmpty(String v) throws ParameterException {
        if (v.isEmpty()) {
            throw new ParameterException("Empty values are not permitted");
        }
    }
}
