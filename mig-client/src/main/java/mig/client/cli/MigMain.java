package mig.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import mig.client.api.ApiException;
import mig.client.config.MigRc;
import mig.common.Action;
import mig.common.Version;
import mig.common.config.ConfigException;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.modules.HasParamsParser;
import mig.modules.Module;
import mig.modules.Modules;
import mig.modules.ParameterException;

/**
 * {@code mig}: the investigator's one-shot command line, as the original's
 * {@code mig <module> [global options] [module options]}.
 *
 * <p>Exit codes: 0 when the investigation ran (whatever it found), 1 when it could not run (API
 * down, authentication refused, bad key), 2 for a command line that cannot be run. Each failure
 * prints one line saying what to do.
 */
public final class MigMain {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private MigMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err, Clock.systemUTC()));
    }

    /** Runs {@code mig} with these arguments and returns its exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err, Clock clock) {
        try {
            return dispatch(args, out, err, clock);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("try 'mig help' or 'mig <module> help'");
            return EXIT_USAGE;
        } catch (ConfigException | ApiException e) {
            err.println("error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static int dispatch(List<String> args, PrintStream out, PrintStream err, Clock clock)
            throws UsageException, ApiException {
        if (args.isEmpty() || List.of("help", "-h", "--help").contains(args.get(0))) {
            out.print(usage());
            return args.isEmpty() ? EXIT_USAGE : EXIT_OK;
        }
        if (List.of("-V", "version").contains(args.get(0))) {
            out.println(Version.VERSION);
            return EXIT_OK;
        }
        if (args.get(0).equals("-i")) {
            GlobalFlags flags = GlobalFlags.parse(args, MigRc.defaultPath());
            if (flags.actionFile() == null) {
                throw new UsageException("-i flag must take an action file path as argument");
            }
            Action a = readAction(flags.actionFile());
            err.println("[info] launching action from file, all flags are ignored");
            if (flags.printAndExit()) {
                out.println(GoJson.indent(GoJson.marshalInOrder(a), "    "));
                return EXIT_OK;
            }
            return new Investigation(flags, MigRc.read(flags.migrc()), out, err, clock).launch(a);
        }
        String moduleName = args.get(0);
        Module module = Modules.get(moduleName).orElseThrow(() -> new UsageException("Unknown module "
                + moduleName + "; available modules: " + String.join(", ", Modules.names())));
        if (!(module instanceof HasParamsParser parser)) {
            throw new UsageException("module '" + moduleName + "' does not support command line invocation");
        }
        List<String> rest = args.subList(1, args.size());
        if (!rest.isEmpty() && List.of("help", "-h", "--help").contains(rest.get(0))) {
            out.print(parser.help());
            return EXIT_OK;
        }
        GlobalFlags flags = GlobalFlags.parse(rest, MigRc.defaultPath());
        if (flags.version()) {
            out.println(Version.VERSION);
            return EXIT_OK;
        }
        JsonNode params;
        try {
            params = parser.parseArgs(flags.moduleArgs());
        } catch (ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        String target = flags.target();
        if (target.equals("local")) {
            return Investigation.runLocal(module, params, flags, out, err);
        }
        MigRc rc = MigRc.read(flags.migrc());
        return new Investigation(flags, rc, out, err, clock).launchModule(moduleName, params, actionName(args, flags));
    }

    /** The original's default name: the command line, each argument followed by a space, cut near 100 chars. */
    static String actionName(List<String> args, GlobalFlags flags) {
        if (flags.name() != null) {
            return flags.name();
        }
        StringBuilder name = new StringBuilder();
        for (String a : args) {
            name.append(a).append(' ');
            if (name.length() > 100) {
                name.append("...");
                break;
            }
        }
        return name.toString();
    }

    private static Action readAction(Path file) throws UsageException {
        try {
            return GoJson.unmarshal(Files.readString(file), Action.class);
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read action file " + file + ": " + e.getMessage());
        } catch (GoJsonException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    static String usage() {
        List<String> modules = new ArrayList<>();
        for (String m : Modules.names()) {
            if (Modules.get(m).orElseThrow() instanceof HasParamsParser) {
                modules.add("* " + m);
            }
        }
        return """
                mig - Mozilla InvestiGator command line client

                usage: mig <module> <global options> <module parameters>

                --- Global options ---

                -c <path>\t Path to config file, defaults to ~/.migrc

                -e <duration>\t Time after which the action expires, defaults to 300 seconds.

                \t\t Example: -e 300s (5 minutes)

                -i <file>\t Load and run action from a file, supersedes other action flags.

                \t\t If using the -i flag, it should be the first argument specified
                \t\t (no module should be specified since it is indicated in the action
                \t\t file) and only global options should be used.

                -n <name>\t A name for the action, defaults to the command line.

                -p <bool>        Display action JSON that would be used and exit, useful to write
                \t\t an action for later import with the -i flag.

                -render <mode>\t How to print results: text (default) or json (one object per agent).

                -show <mode>\t Type of results to show, defaults to found.

                \t\t * found: \tOnly print positive results
                \t\t * notfound: \tOnly print negative results
                \t\t * all:\t\tPrint all results

                -t <target>\t Target to launch the action on. If no target is specified, the value will
                \t\t default to all online agents (status='online')

                \t\t Examples:
                \t\t * Linux agents:          -t "queueloc LIKE 'linux.%'"
                \t\t * Agents named *mysql*:  -t "name like '%mysql%'"
                \t\t * Proxied Linux agents:  -t "queueloc LIKE 'linux.%' AND environment->>'isproxied' = 'true'"
                \t\t * Agents operated by IT: -t "tags#>>'{operator}'='IT'"
                \t\t * Run on local system:\t -t local
                \t\t * Use a migrc macro:     -t mymacroname

                -s <bool>        Create and sign the action, and output the action to stdout
                                 this is useful for dual-signing; the signed action can be provided
                                 to another investigator for launch using the -i flag.

                -target-found    <action ID>
                -target-notfound <action ID>
                \t\t Targets agents that have either found or not found results in a previous action.
                \t\t example: -target-found 123456

                -nocountdown\t Launch at once, without the 5 second countdown (or MIG_NO_COUNTDOWN=1).

                -v\t\t Verbose output, includes debug information and raw queries

                -V\t\t Print version

                -z <bool>        Compress action before sending it to agents

                --- Modules documentation ---
                Each module provides its own set of parameters. Module parameters must be set *after*
                global options. Help is available by calling "<module> help". Available modules are:
                """ + String.join("\n", modules) + "\n";
    }
}
