package mig.loader;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import mig.common.cli.GoCli;
import mig.common.config.ConfigException;
import mig.common.logging.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-loader}: keeps an endpoint's agent up to date from the manifest its loader entry is
 * targeted by (docs/loader.md). The original's flags: {@code -f} configuration file; {@code -c},
 * {@code -i} and {@code -s} (check the agent, install as a service, persistent service) are not
 * implemented and say so. Exit status: 0 up to date or updated, 1 refused or failed (nothing
 * changed), 2 bad command line.
 */
public final class LoaderMain {
    private LoaderMain() {}

    @CommandLine.Command(name = "mig-loader")
    static final class Flags {
        @Option(
                names = {"-c", "--c"},
                description = "only check if agent is running")
        boolean checkOnly;

        @Option(
                names = {"-f", "--f"},
                description = "Load configuration from file")
        String config = LoaderConfig.DEFAULT_PATH.toString();

        @Option(
                names = {"-i", "--i"},
                description = "initialization mode")
        boolean initialMode;

        @Option(
                names = {"-s", "--s"},
                description = "persistent service mode")
        boolean service;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Flags flags = new Flags();
        CommandLine cl = GoCli.commandLine(flags);
        try {
            GoCli.parse(cl, Arrays.asList(args));
        } catch (GoCli.Failure e) {
            if (!e.help()) {
                err.println(e.getMessage());
            }
            err.print("Usage of mig-loader:\n" + GoCli.defaults(cl.getCommandSpec()));
            return e.help() ? 0 : 2;
        }
        if (flags.checkOnly || flags.initialMode || flags.service) {
            err.println("mig-loader: -c, -i and -s are not implemented in MIG for Java; run mig-loader from a "
                    + "systemd timer (docs/loader.md)");
            return 1;
        }
        LoaderConfig config;
        try {
            config = LoaderConfig.read(Path.of(flags.config));
        } catch (ConfigException e) {
            err.println("mig-loader: " + e.getMessage());
            return 1;
        }
        LogSetup.apply(config.logging(), "mig-loader");
        out.println("mig-loader: using configuration from " + flags.config);
        try {
            boolean changed = new Loader(config, out).run();
            out.println(changed ? "mig-loader: update installed" : "mig-loader: up to date");
            return 0;
        } catch (Loader.Refused e) {
            err.println("mig-loader: refused: " + e.getMessage() + " (nothing was changed)");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mig-loader: interrupted (nothing was changed)");
            return 1;
        }
    }
}
