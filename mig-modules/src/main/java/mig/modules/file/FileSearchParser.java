package mig.modules.file;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mig.modules.ParameterException;

/**
 * The client's {@code mig file} flags, parsed as the original's Go {@code flag} package does
 * ({@code -flag value}, {@code -flag=value}, one or two dashes, boolean flags without a value,
 * {@code --} ends the flags) into one search labelled {@code s1} with the original's defaults:
 * maxdepth 1000, maxerrors 30, matchlimit 1000, matchall on. {@code -sha256}, {@code -sha384} and
 * {@code -sha512} are accepted as {@code -sha2} with the length checked. Unlike the original, an
 * argument left after the flags is refused instead of being ignored.
 */
final class FileSearchParser {

    private enum Kind { LIST, NUMBER, BOOL }

    private static final Map<String, Kind> FLAGS = new LinkedHashMap<>();

    static {
        for (String f : List.of("path", "name", "size", "mode", "mtime", "content", "md5", "sha1", "sha2", "sha3",
                "sha256", "sha384", "sha512", "mismatch")) {
            FLAGS.put(f, Kind.LIST);
        }
        for (String f : List.of("maxdepth", "maxerrors", "matchlimit")) {
            FLAGS.put(f, Kind.NUMBER);
        }
        for (String f : List.of("matchall", "matchany", "macroal", "verbose", "returnsha256", "decompress")) {
            FLAGS.put(f, Kind.BOOL);
        }
    }

    private final Map<String, List<String>> lists = new LinkedHashMap<>();
    private final Map<String, Double> numbers = new LinkedHashMap<>(Map.of("maxdepth", 1000d, "maxerrors", 30d,
            "matchlimit", 1000d));
    private final Map<String, Boolean> bools = new LinkedHashMap<>(Map.of("matchall", true));

    private FileSearchParser() {
    }

    /**
     * Parses and validates the flags.
     *
     * @throws ParameterException with the help text as message when help is asked for (no
     *         arguments, {@code help}, {@code -h}, {@code -help}), or naming the flag and the rule
     */
    static FileParameters parse(List<String> args, Instant now) throws ParameterException {
        if (args.isEmpty() || args.get(0).isEmpty() || args.get(0).equals("help")) {
            throw new ParameterException(FileHelp.text());
        }
        FileSearchParser p = new FileSearchParser();
        p.parseFlags(args);
        Search search = p.search();
        SearchCompiler.compile(0, "s1", search, now);
        return new FileParameters(Map.of("s1", search));
    }

    private void parseFlags(List<String> args) throws ParameterException {
        int i = 0;
        while (i < args.size()) {
            String s = args.get(i);
            if (s.length() < 2 || s.charAt(0) != '-') {
                throw new ParameterException("unexpected argument '" + s + "': every search parameter is a flag such as"
                        + " -name <regex> (see 'mig file help')");
            }
            int dashes = 1;
            if (s.charAt(1) == '-') {
                dashes++;
                if (s.length() == 2) {
                    if (i + 1 < args.size()) {
                        throw new ParameterException("unexpected argument '" + args.get(i + 1) + "' after --");
                    }
                    return;
                }
            }
            String name = s.substring(dashes);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw new ParameterException("bad flag syntax: " + s);
            }
            i++;
            String value = null;
            int eq = name.indexOf('=', 1);
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Kind kind = FLAGS.get(name);
            if (kind == null) {
                if (name.equals("help") || name.equals("h")) {
                    throw new ParameterException(FileHelp.text());
                }
                throw new ParameterException("flag provided but not defined: -" + name);
            }
            if (kind == Kind.BOOL) {
                bools.put(name, value == null || parseBool(name, value));
                continue;
            }
            if (value == null) {
                if (i >= args.size()) {
                    throw new ParameterException("flag needs an argument: -" + name);
                }
                value = args.get(i++);
            }
            if (kind == Kind.NUMBER) {
                numbers.put(name, parseFloat(name, value));
            } else {
                addValue(name, value);
            }
        }
    }

    private void addValue(String flag, String value) throws ParameterException {
        String list = switch (flag) {
            case "sha256", "sha384", "sha512" -> {
                int want = flag.equals("sha256") ? 64 : flag.equals("sha384") ? 96 : 128;
                if (value.length() != want) {
                    throw new ParameterException("invalid value " + GoFormats.quote(value) + " for flag -" + flag
                            + ": a " + flag.toUpperCase(Locale.ROOT).replace("SHA", "SHA-") + " hash is " + want
                            + " hexadecimal characters");
                }
                yield "sha2";
            }
            default -> flag;
        };
        lists.computeIfAbsent(list, k -> new ArrayList<>()).add(value);
    }

    private Search search() {
        Options options = new Options(numbers.get("maxdepth"), numbers.get("maxerrors"), false,
                bools.getOrDefault("matchall", true) && !bools.getOrDefault("matchany", false),
                bools.getOrDefault("macroal", false), lists.get("mismatch"), numbers.get("matchlimit"), null,
                bools.getOrDefault("returnsha256", false), bools.getOrDefault("decompress", false));
        return new Search(null, lists.get("path"), lists.get("content"), lists.get("name"), lists.get("size"),
                lists.get("mode"), lists.get("mtime"), lists.get("md5"), lists.get("sha1"), lists.get("sha2"),
                lists.get("sha3"), options);
    }

    /** Go's {@code strconv.ParseBool}. */
    private static boolean parseBool(String flag, String v) throws ParameterException {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new ParameterException("invalid boolean value " + GoFormats.quote(v) + " for -" + flag
                    + ": parse error");
        };
    }

    /** Go's {@code strconv.ParseFloat(v, 64)} for the forms people type. */
    private static double parseFloat(String flag, String v) throws ParameterException {
        String lower = v.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        boolean decimal = unsigned.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?");
        boolean hex = unsigned.matches("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)p[+-]?[0-9]+");
        if (!decimal && !hex) {
            throw new ParameterException("invalid value " + GoFormats.quote(v) + " for flag -" + flag + ": parse error");
        }
        double d = Double.parseDouble(v);
        if (Double.isInfinite(d)) {
            throw new ParameterException("invalid value " + GoFormats.quote(v) + " for flag -" + flag
                    + ": value out of range");
        }
        return d;
    }
}
