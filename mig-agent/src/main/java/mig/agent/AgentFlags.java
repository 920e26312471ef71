package mig.agent;

import java.util.List;
import java.util.Optional;
import mig.common.cli.GoCli;
import picocli.CommandLine;
import picocli.CommandLine.Option;

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
record AgentFlags(
        String mode,
        Optional<String> actionFile,
        Optional<String> configFile,
        Optional<String> query,
        boolean debug,
        boolean foreground,
        boolean upgrading,
        boolean pretty,
        Optional<String> persist,
        boolean noPersist,
        boolean version,
        boolean settings,
        Optional<String> confDir,
        Optional<String> runDir) {

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

    /** The flags; picocli with Go's rules (see {@link GoCli}), listed by {@code -h} sorted by name as Go does. */
    @CommandLine.Command(name = "mig-agent")
    static final class Flags {
        @Option(
                names = {"-P", "--P"},
                description = "Run persistent module.")
        String persist;

        @Option(
                names = {"-S", "--S"},
                description = "Print Agent configuration settings.")
        boolean settings;

        @Option(
                names = {"-V", "--V"},
                description = "Print Agent version to stdout and exit.")
        boolean version;
        // -c, -m and -rundir name their default in the text: the value stays unset unless given
        @Option(
                names = {"-c", "--c"},
                description = "Load configuration from file. (default \"/etc/mig/mig-agent.cfg\")")
        String config;

        @Option(
                names = {"-confdir", "--confdir"},
                description = "Folder of acl.cfg and agentkeys/. (default: the configuration file's folder)")
        String confDir;

        @Option(
                names = {"-d", "--d"},
                description = "Debug mode: run in foreground, log to stdout.")
        boolean debug;

        @Option(
                names = {"-f", "--f"},
                description = "Agent will fork into background by default. Except if this flag is set.")
        boolean foreground;

        @Option(
                names = {"-i", "--i"},
                description = "Load action from file.")
        String actionFile;

        @Option(
                names = {"-m", "--m"},
                description = "Module to run (eg. agent, agent-checkin, file, memory, netstat)."
                        + " A module reads one line\n{\"class\":\"parameters\",\"parameters\":{...}} on stdin, e.g. for file:\n"
                        + "{\"class\":\"parameters\",\"parameters\":{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],"
                        + "\"names\":[\"^passwd$\"]}}}} (default \"agent\")")
        String mode;

        @Option(
                names = {"-n", "--n"},
                description = "Force disable persistent modules.")
        boolean noPersist;

        @Option(
                names = {"-p", "--p"},
                description = "When running a module, pretty print the results instead of returning JSON.")
        boolean pretty;

        @Option(
                names = {"-q", "--q"},
                description = "Send query to the agent's socket, print response to stdout and exit.")
        String query;

        @Option(
                names = {"-rundir", "--rundir"},
                description = "Folder of the agent id file. (default \"/var/lib/mig\")")
        String runDir;

        @Option(
                names = {"-u", "--u"},
                description = "Used while upgrading an agent, means that this agent is started by another agent.")
        boolean upgrading;
    }

    static AgentFlags parse(String[] args) throws UsageException {
        Flags f = new Flags();
        List<String> rest;
        try {
            rest = GoCli.parse(GoCli.commandLine(f), List.of(args));
        } catch (GoCli.Failure e) {
            throw new UsageException(e.help() ? "" : e.getMessage(), e.help());
        }
        if (!rest.isEmpty()) {
            // Go ignores what follows the flags; the agent has no use for it, so it is refused
            throw new UsageException("unexpected argument '" + rest.get(0) + "'", false);
        }
        return new AgentFlags(
                f.mode == null ? "agent" : f.mode,
                Optional.ofNullable(f.actionFile),
                Optional.ofNullable(f.config),
                Optional.ofNullable(f.query),
                f.debug,
                f.foreground,
                f.upgrading,
                f.pretty,
                Optional.ofNullable(f.persist),
                f.noPersist,
                f.version,
                f.settings,
                Optional.ofNullable(f.confDir),
                Optional.ofNullable(f.runDir));
    }

    /** Go's usage text for these flags. */
    static String usage() {
        return "Usage of mig-agent:\n"
                + GoCli.defaults(GoCli.commandLine(new Flags()).getCommandSpec());
    }
}
