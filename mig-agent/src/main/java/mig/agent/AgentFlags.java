package mig.agent;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The original agent's command line (spec §10.1), parsed as Go's {@code flag} package does:
 * {@code -x}, {@code --x}, {@code -x=value} or {@code -x value} for string flags, {@code -x} or
 * {@code -x=false} for booleans; parsing stops at {@code --} or the first non-flag argument.
 * Two flags are ours: {@code -confdir} and {@code -rundir}.
 *
 * @param mode        {@code -m}: {@code agent} (default), {@code agent-checkin}, or a module name
 * @param actionFile  {@code -i}: run this action locally, without signature checks
 * @param configFile  {@code -c}, if given
 * @param query       {@code -q}: {@code pid} or {@code shutdown} for the stat socket
 * @param persist     {@code -P}: run this persistent module
 * @param confDir     {@code -confdir}: where {@code acl.cfg} and {@code agentkeys/} are
 * @param runDir      {@code -rundir}: where {@code .migagtid} is
 */
record AgentFlags(String mode, Optional<String> actionFile, Optional<String> configFile, Optional<String> query,
        boolean debug, boolean foreground, boolean upgrading, boolean pretty, Optional<String> persist,
        boolean noPersist, boolean version, boolean settings, Optional<String> confDir, Optional<String> runDir) {

    /** A command line that cannot be used; {@link #getMessage()} is what Go's flag package would say. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean help;

        UsageException(String message, boolean help) {
            super(message);
            this.help = help;
        }

        /** True for {@code -h}/{@code -help}: print usage and exit 0. */
        boolean help() {
            return help;
        }
    }

    private record Flag(String name, boolean bool, String help) {
    }

    /** Every flag, in the order {@code -h} lists them (Go sorts by name). */
    private static final Map<String, Flag> FLAGS = new LinkedHashMap<>();

    static {
        add("P", false, "Run persistent module.");
        add("S", true, "Print Agent configuration settings.");
        add("V", true, "Print Agent version to stdout and exit.");
        add("c", false, "Load configuration from file. (default \"/etc/mig/mig-agent.cfg\")");
        add("confdir", false, "Folder of acl.cfg and agentkeys/. (default: the configuration file's folder)");
        add("d", true, "Debug mode: run in foreground, log to stdout.");
        add("f", true, "Agent will fork into background by default. Except if this flag is set.");
        add("i", false, "Load action from file.");
        add("m", false, "Module to run (eg. agent, agent-checkin, file, memory, netstat). A module reads one line\n"
                + "    \t{\"class\":\"parameters\",\"parameters\":{...}} on stdin, e.g. for file:\n"
                + "    \t{\"class\":\"parameters\",\"parameters\":{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],"
                + "\"names\":[\"^passwd$\"]}}}} (default \"agent\")");
        add("n", true, "Force disable persistent modules.");
        add("p", true, "When running a module, pretty print the results instead of returning JSON.");
        add("q", false, "Send query to the agent's socket, print response to stdout and exit.");
        add("rundir", false, "Folder of the agent id file. (default \"/var/lib/mig\")");
        add("u", true, "Used while upgrading an agent, means that this agent is started by another agent.");
    }

    private static void add(String name, boolean bool, String help) {
        FLAGS.put(name, new Flag(name, bool, help));
    }

    static AgentFlags parse(String[] args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                break;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
                throw new UsageException("bad flag syntax: " + a, false);
            }
            String name = body;
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            }
            if (name.equals("h") || name.equals("help")) {
                throw new UsageException("", true);
            }
            Flag flag = FLAGS.get(name);
            if (flag == null) {
                throw new UsageException("flag provided but not defined: -" + name, false);
            }
            if (flag.bool()) {
                value = value == null ? "true" : String.valueOf(parseBool(name, value));
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("flag needs an argument: -" + name, false);
                }
                value = args[++i];
            }
            values.put(name, value);
            i++;
        }
        if (i < args.length) {
            throw new UsageException("unexpected argument '" + args[i] + "'", false);
        }
        return new AgentFlags(values.getOrDefault("m", "agent"), opt(values, "i"), opt(values, "c"),
                opt(values, "q"), is(values, "d"), is(values, "f"), is(values, "u"), is(values, "p"),
                opt(values, "P"), is(values, "n"), is(values, "V"), is(values, "S"), opt(values, "confdir"),
                opt(values, "rundir"));
    }

    private static boolean parseBool(String name, String v) throws UsageException {
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new UsageException("invalid boolean value \"" + v + "\" for -" + name + ": parse error",
                    false);
        };
    }

    private static Optional<String> opt(Map<String, String> values, String name) {
        return Optional.ofNullable(values.get(name));
    }

    private static boolean is(Map<String, String> values, String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false").toLowerCase(Locale.ROOT));
    }

    /** Go's usage text for these flags. */
    static String usage() {
        StringBuilder sb = new StringBuilder("Usage of mig-agent:\n");
        for (Flag f : FLAGS.values()) {
            sb.append("  -").append(f.name());
            if (f.bool() && f.name().length() == 1) {
                sb.append("\t").append(f.help()).append('\n');
            } else {
                sb.append(f.bool() ? "" : " string").append("\n    \t").append(f.help()).append('\n');
            }
        }
        return sb.toString();
    }
}
