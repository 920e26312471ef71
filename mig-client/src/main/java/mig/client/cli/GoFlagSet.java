package mig.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line flags with Go's {@code flag} package rules, for the helpers that used it
 * ({@code mig-console}, {@code mig-action-generator}, {@code mig-agent-search}): {@code -x value},
 * {@code -x=value}, {@code --x}, booleans set by presence or {@code -x=false}, parsing stops at the
 * first argument that is not a flag or after {@code --}, and {@code -h} prints the defaults in
 * Go's layout.
 */
public final class GoFlagSet {
    private record Flag(String name, boolean bool, String defaultValue, String usage) {
    }

    private final Map<String, Flag> flags = new TreeMap<>();
    private final Map<String, String> values = new TreeMap<>();
    private final List<String> rest = new ArrayList<>();

    /** Asked for help ({@code -h} / {@code -help} / {@code --help}). */
    public static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("flag: help requested");
        }
    }

    public GoFlagSet string(String name, String defaultValue, String usage) {
        flags.put(name, new Flag(name, false, defaultValue, usage));
        return this;
    }

    public GoFlagSet bool(String name, String usage) {
        flags.put(name, new Flag(name, true, "false", usage));
        return this;
    }

    /**
     * @throws UsageException with Go's message ({@code flag provided but not defined: -x})
     * @throws HelpRequested  for {@code -h}, {@code -help} (unless defined)
     */
    public GoFlagSet parse(List<String> args) throws UsageException, HelpRequested {
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.length() < 2 || a.charAt(0) != '-') {
                break;
            }
            String name = a.substring(1);
            if (name.startsWith("-")) {
                name = name.substring(1);
                if (name.isEmpty()) {
                    i++;
                    break;
                }
            }
            if (name.isEmpty() || name.startsWith("-") || name.startsWith("=")) {
                throw new UsageException("bad flag syntax: " + a);
            }
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Flag f = flags.get(name);
            if (f == null) {
                if (name.equals("h") || name.equals("help")) {
                    throw new HelpRequested();
                }
                throw new UsageException("flag provided but not defined: -" + name);
            }
            if (f.bool()) {
                values.put(name, Boolean.toString(value == null || parseBool(name, value)));
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("flag needs an argument: -" + name);
                }
                value = args.get(++i);
            }
            values.put(name, value);
        }
        rest.addAll(args.subList(i, args.size()));
        return this;
    }

    private static boolean parseBool(String name, String v) throws UsageException {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new UsageException("invalid boolean value \"" + v + "\" for -" + name + ": parse error");
        };
    }

    public String get(String name) {
        Flag f = flags.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no flag -" + name + " defined");
        }
        return values.getOrDefault(name, f.defaultValue());
    }

    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public boolean getBool(String name) {
        return Boolean.parseBoolean(get(name));
    }

    /** The arguments after the flags. */
    public List<String> args() {
        return List.copyOf(rest);
    }

    /** Go's {@code PrintDefaults} text: one entry per flag, sorted by name. */
    public String defaults() {
        StringBuilder b = new StringBuilder();
        for (Flag f : flags.values()) {
            StringBuilder s = new StringBuilder("  -").append(f.name());
            if (!f.bool()) {
                s.append(" string");
            }
            s.append(s.length() <= 4 ? "\t" : "\n    \t");
            s.append(f.usage().replace("\n", "\n    \t"));
            if (!f.bool() && !f.defaultValue().isEmpty()) {
                s.append(" (default \"").append(f.defaultValue()).append("\")");
            }
            b.append(s).append('\n');
        }
        return b.toString();
    }
}
