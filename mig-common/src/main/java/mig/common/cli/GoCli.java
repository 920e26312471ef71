package mig.common.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * Every {@code main}'s command line: picocli set up to read what the original's Go {@code flag}
 * package reads, and to fail with its messages.
 *
 * <p>A command declares each flag with both spellings, {@code names = {"-path", "--path"}} (Go takes
 * one or two dashes for any name). Picocli then gives: {@code -x value}, {@code -x=value}; a value
 * may start with a dash ({@code -t -p} sets {@code t} to {@code -p}, as Go does); the last of a
 * repeated flag wins; booleans keep picocli's default arity 0, which is Go's rule: {@code -x} or
 * {@code -x=value} with {@link GoBool}'s words, never {@code -x false} (there {@code false} is the
 * first argument after the flags); {@code --} ends the flags; no {@code @file} expansion and no
 * clustering ({@code -nocountdown} is one flag). Two corners differ from Go and both are refusals
 * or nonsense there: {@code -x=} on a boolean reads as false (Go: invalid value), and a string
 * flag's value cannot be {@code --} (Go takes it).
 *
 * <p>What picocli prints is not used: {@link Failure} carries Go's message and {@link #defaults}
 * renders Go's {@code PrintDefaults}, so usage texts stay the original's byte for byte.
 */
public final class GoCli {
    private GoCli() {}

    /** A command line Go's flag package would refuse, or {@code -h}/{@code -help}. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean help;
        private final String argument;

        Failure(String message, boolean help) {
            this(message, help, null);
        }

        Failure(String message, boolean help, String argument) {
            super(message);
            this.help = help;
            this.argument = argument;
        }

        /** The argument that is not a defined flag, as given; null for other failures. */
        public String argument() {
            return argument;
        }

        /** {@code -h} or {@code -help} (not defined by the command): Go's {@code flag.ErrHelp}. */
        public boolean help() {
            return help;
        }
    }

    /** Picocli over {@code command} (an {@code @Command} object) with Go's rules. */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command)
                .setPosixClusteredShortOptionsAllowed(false)
                .setAllowOptionsAsOptionParameters(true)
                .setUnmatchedOptionsAllowedAsOptionParameters(true)
                .setOverwrittenOptionsAllowed(true)
                .setExpandAtFiles(false)
                .setToggleBooleanFlags(false)
                .setStopAtPositional(true)
                .setStopAtUnmatched(true)
                .registerConverter(Boolean.class, GoBool::parse)
                .registerConverter(Boolean.TYPE, GoBool::parse);
        // Go's flag.Args(): what follows the flags (after a non-flag argument or "--")
        cl.getCommandSpec()
                .addPositional(PositionalParamSpec.builder()
                        .index("0..*")
                        .arity("0..*")
                        .type(List.class)
                        .auxiliaryTypes(String.class)
                        .paramLabel("arg")
                        .hidden(true)
                        .initialValue(new ArrayList<String>())
                        .build());
        return cl;
    }

    /**
     * Parses as Go's {@code FlagSet.Parse}.
     *
     * @return the arguments after the flags ({@code flag.Args()})
     * @throws Failure with Go's message: {@code flag provided but not defined: -x},
     *         {@code flag needs an argument: -x}, {@code invalid boolean value "v" for -x: parse error},
     *         {@code bad flag syntax: ---x}; or the help request
     */
    public static List<String> parse(CommandLine cl, List<String> args) throws Failure {
        List<String> rest = parseKnown(cl, args);
        List<String> unmatched = cl.getUnmatchedArguments();
        if (!unmatched.isEmpty()) {
            throw unknown(unmatched.get(0));
        }
        return rest;
    }

    /**
     * Parses the leading flags this command knows and returns the rest from the first flag it does not
     * know, the first non-flag argument, or after {@code --}: {@code mig}'s split of its global
     * options from the module's.
     */
    public static List<String> parseKnown(CommandLine cl, List<String> args) throws Failure {
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (MissingParameterException e) {
            throw new Failure(
                    "flag needs an argument: -" + goName(e.getMissing().get(0)), false);
        } catch (ParameterException e) {
            ArgSpec spec = e.getArgSpec();
            if (spec instanceof OptionSpec o && isBool(o)) {
                throw new Failure(GoBool.invalid(e.getValue(), goName(o)), false);
            }
            throw new Failure(e.getMessage(), false);
        }
        List<String> rest = new ArrayList<>();
        List<?> positional = cl.getCommandSpec().positionalParameters().get(0).getValue();
        for (Object p : positional) {
            rest.add((String) p);
        }
        rest.addAll(cl.getUnmatchedArguments());
        return rest;
    }

    private static Failure unknown(String arg) {
        String name = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
        if (name.isEmpty() || name.startsWith("-") || name.startsWith("=")) {
            return new Failure("bad flag syntax: " + arg, false, arg);
        }
        int eq = name.indexOf('=');
        if (eq > 0) {
            name = name.substring(0, eq);
        }
        if (name.equals("h") || name.equals("help")) {
            return new Failure("flag: help requested", true, arg);
        }
        return new Failure("flag provided but not defined: -" + name, false, arg);
    }

    /**
     * Go's {@code PrintDefaults}: each flag sorted by name, {@code string} after a string flag's
     * name, the usage on the same line for a one-letter boolean, else on the next after
     * {@code "    \t"}, and a non-empty string default as {@code (default "...")}.
     */
    public static String defaults(CommandSpec spec) {
        Map<String, OptionSpec> sorted = new TreeMap<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                sorted.put(goName(o), o);
            }
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, OptionSpec> e : sorted.entrySet()) {
            OptionSpec o = e.getValue();
            StringBuilder s = new StringBuilder("  -").append(e.getKey());
            if (!isBool(o)) {
                s.append(" string");
            }
            s.append(s.length() <= 4 ? "\t" : "\n    \t");
            s.append(String.join("\n", o.description()).replace("\n", "\n    \t"));
            Object initial = o.initialValue();
            if (!isBool(o) && initial != null && !initial.toString().isEmpty()) {
                s.append(" (default \"").append(initial).append("\")");
            }
            b.append(s).append('\n');
        }
        return b.toString();
    }

    private static boolean isBool(OptionSpec o) {
        return o.type() == boolean.class || o.type() == Boolean.class;
    }

    /** The flag's name as Go prints it, without dashes. */
    private static String goName(ArgSpec spec) {
        if (spec instanceof OptionSpec o) {
            return o.longestName().replaceFirst("^--?", "");
        }
        return spec.paramLabel();
    }
}
