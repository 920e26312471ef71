package mig.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import mig.common.cli.GoCli;
import mig.common.config.GoDuration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The global options of {@code mig <module> [global options] [module options]}, parsed with the
 * original's rule: global flags are read from the arguments until the first flag the global parser
 * does not know; that flag and everything after it belong to the module.
 *
 * @param render {@code text} (the original's lines) or {@code json} (one JSON object per agent
 *               result, beyond the original)
 * @param noCountdown skip the 5-second countdown (also {@code MIG_NO_COUNTDOWN=1})
 */
record GlobalFlags(
        Path migrc,
        Duration expiration,
        Path actionFile,
        String name,
        boolean printAndExit,
        boolean signAndPrint,
        String show,
        String target,
        String targetFound,
        String targetNotFound,
        boolean verbose,
        boolean version,
        boolean compress,
        String render,
        boolean noCountdown,
        List<String> moduleArgs) {

    /** The global flags; picocli with Go's rules (see {@link GoCli}). */
    @CommandLine.Command(name = "mig")
    static final class Flags {
        @Option(names = {"-c", "--c"})
        Path migrc;

        @Option(names = {"-e", "--e"})
        String expiration = "300s";

        @Option(names = {"-i", "--i"})
        Path actionFile;

        @Option(names = {"-n", "--n"})
        String name;

        @Option(names = {"-p", "--p"})
        boolean p;

        @Option(names = {"-s", "--s"})
        boolean s;

        @Option(names = {"-show", "--show"})
        String show = "found";

        @Option(names = {"-t", "--t"})
        String target = "";

        @Option(names = {"-target-found", "--target-found"})
        String found;

        @Option(names = {"-target-notfound", "--target-notfound"})
        String notFound;

        @Option(names = {"-v", "--v"})
        boolean v;

        @Option(names = {"-V", "--V"})
        boolean version;

        @Option(names = {"-z", "--z"})
        boolean z;

        @Option(names = {"-render", "--render"})
        String render = "text";

        // default false: picocli sets a boolean flag to the opposite of its default, so a default
        // taken from MIG_NO_COUNTDOWN=1 turned -nocountdown back into a countdown; the variable is
        // or-ed in after parsing
        @Option(names = {"-nocountdown", "--nocountdown"})
        boolean noCountdown;
    }

    /**
     * Parses the arguments after the module name.
     *
     * @throws UsageException naming the flag and what it needs
     */
    static GlobalFlags parse(List<String> args, Path defaultMigrc) throws UsageException {
        return parse(args, defaultMigrc, System.getenv());
    }

    /** As {@link #parse(List, Path)}, with the environment given ({@code MIG_NO_COUNTDOWN}). */
    static GlobalFlags parse(List<String> args, Path defaultMigrc, java.util.Map<String, String> env)
            throws UsageException {
        Flags f = new Flags();
        f.migrc = defaultMigrc;
        List<String> moduleArgs;
        try {
            // the first flag the global parser does not know starts the module's flags
            moduleArgs = GoCli.parseKnown(GoCli.commandLine(f), args);
        } catch (GoCli.Failure e) {
            throw new UsageException(e.getMessage());
        }
        Duration expiration;
        try {
            expiration = GoDuration.parse(f.expiration);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid value \"" + f.expiration + "\" for flag -e: " + e.getMessage());
        }
        if (expiration.isNegative() || expiration.isZero()) {
            throw new UsageException("invalid value \"" + f.expiration + "\" for flag -e: must be positive");
        }
        if (!Set.of("found", "notfound", "all").contains(f.show)) {
            throw new UsageException("invalid value \"" + f.show + "\" for flag -show: use found, notfound or all");
        }
        String found = f.found == null ? "" : actionId("target-found", f.found);
        String notFound = f.notFound == null ? "" : actionId("target-notfound", f.notFound);
        if (!Set.of("text", "json").contains(f.render)) {
            throw new UsageException("invalid value \"" + f.render + "\" for flag -render: use text or json");
        }
        if (!found.isEmpty() && !notFound.isEmpty()) {
            throw new UsageException("-target-found and -target-notfound cannot be used together");
        }
        return new GlobalFlags(
                f.migrc,
                expiration,
                f.actionFile,
                f.name,
                f.p,
                f.s,
                f.show,
                f.target,
                found,
                notFound,
                f.v,
                f.version,
                f.z,
                f.render,
                f.noCountdown || "1".equals(env.get("MIG_NO_COUNTDOWN")),
                List.copyOf(moduleArgs));
    }

    private static String actionId(String flag, String value) throws UsageException {
        if (!value.matches("[0-9]{1,16}")) {
            throw new UsageException("invalid value \"" + value + "\" for flag -" + flag + ": must be an action ID");
        }
        return value;
    }
}
