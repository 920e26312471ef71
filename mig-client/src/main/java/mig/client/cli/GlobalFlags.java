package mig.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import mig.common.config.GoDuration;

/**
 * The global options of {@code mig <module> [global options] [module options]}, parsed with the
 * original's rule: global flags are read from the arguments until the first flag the global parser
 * does not know; that flag and everything after it belong to the module.
 *
 * @param render {@code text} (the original's lines) or {@code json} (one JSON object per agent
 *               result, beyond the original)
 * @param noCountdown skip the 5-second countdown (also {@code MIG_NO_COUNTDOWN=1})
 */
record GlobalFlags(Path migrc, Duration expiration, Path actionFile, String name, boolean printAndExit,
        boolean signAndPrint, String show, String target, String targetFound, String targetNotFound,
        boolean verbose, boolean version, boolean compress, String render, boolean noCountdown,
        List<String> moduleArgs) {

    private static final Set<String> BOOLS = Set.of("p", "s", "v", "V", "z", "nocountdown");
    private static final Set<String> STRINGS =
            Set.of("c", "e", "i", "n", "show", "t", "target-found", "target-notfound", "render");

    /**
     * Parses the arguments after the module name.
     *
     * @throws UsageException naming the flag and what it needs
     */
    static GlobalFlags parse(List<String> args, Path defaultMigrc) throws UsageException {
        Path migrc = defaultMigrc;
        Duration expiration = Duration.ofSeconds(300);
        Path actionFile = null;
        String name = null;
        boolean p = false;
        boolean s = false;
        String show = "found";
        String target = "";
        String found = "";
        String notFound = "";
        boolean v = false;
        boolean version = false;
        boolean z = false;
        String render = "text";
        boolean noCountdown = "1".equals(System.getenv("MIG_NO_COUNTDOWN"));
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            String flag = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String value = null;
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (BOOLS.contains(flag)) {
                boolean b = value == null || parseBool(flag, value);
                switch (flag) {
                    case "p" -> p = b;
                    case "s" -> s = b;
                    case "v" -> v = b;
                    case "V" -> version = b;
                    case "z" -> z = b;
                    default -> noCountdown = b;
                }
                continue;
            }
            if (!STRINGS.contains(flag)) {
                break; // the first flag the global parser does not know starts the module's flags
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("flag needs an argument: -" + flag);
                }
                value = args.get(++i);
            }
            switch (flag) {
                case "c" -> migrc = Path.of(value);
                case "e" -> {
                    try {
                        expiration = GoDuration.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("invalid value \"" + value + "\" for flag -e: " + e.getMessage());
                    }
                    if (expiration.isNegative() || expiration.isZero()) {
                        throw new UsageException("invalid value \"" + value + "\" for flag -e: must be positive");
                    }
                }
                case "i" -> actionFile = Path.of(value);
                case "n" -> name = value;
                case "show" -> {
                    if (!Set.of("found", "notfound", "all").contains(value)) {
                        throw new UsageException("invalid value \"" + value + "\" for flag -show: use found, notfound or all");
                    }
                    show = value;
                }
                case "t" -> target = value;
                case "target-found" -> found = actionId("target-found", value);
                case "target-notfound" -> notFound = actionId("target-notfound", value);
                default -> {
                    if (!Set.of("text", "json").contains(value)) {
                        throw new UsageException("invalid value \"" + value + "\" for flag -render: use text or json");
                    }
                    render = value;
                }
            }
        }
        if (!found.isEmpty() && !notFound.isEmpty()) {
            throw new UsageException("-target-found and -target-notfound cannot be used together");
        }
        return new GlobalFlags(migrc, expiration, actionFile, name, p, s, show, target, found, notFound, v, version,
                z, render, noCountdown, List.copyOf(new ArrayList<>(args.subList(i, args.size()))));
    }

    private static boolean parseBool(String flag, String value) throws UsageException {
        return switch (value.toLowerCase()) {
            case "1", "t", "true" -> true;
            case "0", "f", "false" -> false;
            default -> throw new UsageException("invalid boolean value \"" + value + "\" for -" + flag);
        };
    }

    private static String actionId(String flag, String value) throws UsageException {
        if (!value.matches("[0-9]{1,16}")) {
            throw new UsageException("invalid value \"" + value + "\" for flag -" + flag + ": must be an action ID");
        }
        return value;
    }
}
