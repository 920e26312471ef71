package mig.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import mig.client.api.ApiException;
import mig.client.config.ClientContext;
import mig.client.config.MigRc;
import mig.client.config.MigrcSetup;
import mig.client.signing.SigningException;
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
 * <p>Exit codes ({@link ExitCodes}): 0 when the investigation ran (whatever it found), 2 for a
 * command line that cannot be run, 3 for a missing or unusable migrc or key, 4 when the API does not
 * answer, 5 when it refuses our authentication, 6 when agents' commands did not succeed, 1 for any
 * other refusal (including a target that selects no agent). Each failure is one line on stderr
 * saying what to do.
 */
public final class MigMain {

    private MigMain() {}

    /** Streams and terminal facts of one run; tests pass their own. */
    public record Io(
            PrintStream out,
            PrintStream err,
            InputStream in,
            boolean inIsTerminal,
            boolean errIsTerminal,
            Colours colours,
            Clock clock) {

        /** The process's own streams. */
        public static Io system() {
            return new Io(
                    System.out,
                    System.err,
                    System.in,
                    Terminals.isTerminal(0),
                    Terminals.isTerminal(2),
                    Colours.fromEnvironment(),
                    Clock.systemUTC());
        }
    }

    public static void main(String[] args) {
        int code = run(List.of(args), Io.system());
        System.out.flush();
        System.exit(code);
    }

    /** Runs {@code mig} with these arguments, no terminal, colours on; returns its exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err, Clock clock) {
        return run(args, new Io(out, err, InputStream.nullInputStream(), false, false, new Colours(true), clock));
    }

    /** Runs {@code mig} and returns its exit code. */
    public static int run(List<String> args, Io io) {
        try {
            return dispatch(args, io);
        } catch (UsageException e) {
            io.err().println("error: " + e.getMessage() + " (see 'mig help')");
            return ExitCodes.USAGE;
        } catch (ConfigException | SigningException e) {
            io.err().println("error: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (ApiException e) {
            io.err().println("error: " + e.getMessage());
            return ExitCodes.of(e);
        }
    }

    private static int dispatch(List<String> args, Io io) throws UsageException, ApiException {
        if (args.isEmpty()) {
            io.out().print(Usage.text());
            return ExitCodes.USAGE;
        }
        String first = args.get(0);
        if (List.of("help", "-h", "-help", "--help").contains(first)) {
            if (args.size() > 1) {
                return moduleHelp(args.get(1), io);
            }
            io.out().print(Usage.text());
            return ExitCodes.OK;
        }
        if (List.of("-V", "version", "--version").contains(first)) {
            io.out().println(Version.VERSION);
            return ExitCodes.OK;
        }
        if (first.equals("-i")) {
            return fromFile(args, io);
        }
        if (first.startsWith("-")) {
            throw new UsageException("the first argument must be a module name (or -i <action file>), got " + first);
        }
        Module module = Modules.get(first)
                .orElseThrow(() -> new UsageException(
                        "Unknown module '" + first + "'; available modules: " + String.join(", ", Usage.cliModules())));
        if (!(module instanceof HasParamsParser parser)) {
            throw new UsageException("module '" + first + "' does not support command line invocation");
        }
        List<String> rest = args.subList(1, args.size());
        if (!rest.isEmpty() && List.of("help", "-h", "-help", "--help").contains(rest.get(0))) {
            io.out().print(parser.help());
            return ExitCodes.OK;
        }
        GlobalFlags flags = GlobalFlags.parse(rest, MigRc.defaultPath());
        if (flags.version()) {
            io.out().println(Version.VERSION);
            return ExitCodes.OK;
        }
        if (flags.moduleArgs().isEmpty() && needsParameters(parser)) {
            // the original prints the module's whole help here; one line says what is missing
            io.err()
                    .println("error: module '" + first + "' needs its parameters after the global options, e.g. "
                            + example(first) + "; 'mig " + first + " help' lists them");
            return ExitCodes.USAGE;
        }
        JsonNode params;
        try {
            params = parser.parseArgs(flags.moduleArgs());
        } catch (ParameterException e) {
            String m = e.getMessage();
            if (m.equals(parser.help())) {
                // -h among the module's parameters: the help was asked for
                io.out().print(m);
                return ExitCodes.OK;
            }
            java.util.regex.Matcher global = java.util.regex.Pattern.compile(
                            "flag provided but not defined: -(c|e|i|n|p|s|show|t|target-found|target-notfound|v|z|"
                                    + "render|nocountdown)$")
                    .matcher(m);
            throw new UsageException(
                    global.find()
                            ? m + "; -" + global.group(1) + " is a global option, it must come"
                                    + " before the module's options"
                            : m);
        }
        if (params == null) {
            // a parser whose original printed its help and returned no parameters and no error (pkg)
            io.out().print(parser.help());
            return ExitCodes.OK;
        }
        if (flags.target().equals("local")) {
            return Investigation.runLocal(module, params, flags, io.out(), io.err());
        }
        String name = actionName(args, flags);
        if (flags.printAndExit()) {
            // the original needs no key to print; a migrc, when there is one, resolves macros
            MigRc rc = Files.isRegularFile(flags.migrc()) ? MigRc.read(flags.migrc()) : null;
            String target = Investigation.target(flags, t -> rc == null ? t : rc.resolveMacro(t), io.err());
            Action a = Investigation.draft(first, params, name, target, flags.compress());
            io.out().println(GoJson.indent(GoJson.marshalInOrder(a), "    "));
            return ExitCodes.OK;
        }
        MigRc rc = readOrSetUp(flags.migrc(), io);
        ClientContext ctx = context(rc, flags, io);
        String target = Investigation.target(flags, rc::resolveMacro, io.err());
        Action draft = Investigation.draft(first, params, name, target, flags.compress());
        return new Investigation(flags, ctx, console(io)).launch(draft);
    }

    /** A short command line for a module, for the hint when its parameters are missing. */
    /**
     * Whether the module refuses to run without parameters (file, netstat, memory: their original
     * printed its whole help as an error). Modules that run with their defaults (sshkey, timedrift)
     * or answer with their help and no error (pkg, whose parser returns no parameters, handled
     * below) go on.
     */
    private static boolean needsParameters(HasParamsParser parser) {
        try {
            parser.parseArgs(List.of());
            return false;
        } catch (ParameterException e) {
            return true;
        }
    }

    private static String example(String module) {
        return switch (module) {
            case "file" -> "mig file -t all -path /etc -name '^passwd$'";
            case "netstat" -> "mig netstat -t all -lp 22";
            case "memory" -> "mig memory -t all -name sshd";
            default -> "mig " + module + " -t all <parameters>";
        };
    }

    private static int moduleHelp(String name, Io io) throws UsageException {
        Module module = Modules.get(name)
                .orElseThrow(() -> new UsageException(
                        "Unknown module '" + name + "'; available modules: " + String.join(", ", Usage.cliModules())));
        if (!(module instanceof HasParamsParser parser)) {
            throw new UsageException("module '" + name + "' does not support command line invocation");
        }
        io.out().print(parser.help());
        return ExitCodes.OK;
    }

    /** {@code mig -i <action file> [global options]}: launch a prepared (maybe co-signed) action. */
    private static int fromFile(List<String> args, Io io) throws UsageException, ApiException {
        GlobalFlags flags = GlobalFlags.parse(args, MigRc.defaultPath());
        if (flags.actionFile() == null) {
            throw new UsageException("-i flag must take an action file path as argument");
        }
        if (!flags.moduleArgs().isEmpty()) {
            throw new UsageException("with -i only global options may follow; unexpected "
                    + flags.moduleArgs().get(0));
        }
        Action a = readAction(flags.actionFile());
        io.err().println("[info] launching action from file, all flags are ignored");
        if (flags.printAndExit()) {
            io.out().println(GoJson.indent(GoJson.marshalInOrder(a), "    "));
            return ExitCodes.OK;
        }
        MigRc rc = readOrSetUp(flags.migrc(), io);
        return new Investigation(flags, context(rc, flags, io), console(io)).launch(a);
    }

    private static ClientContext context(MigRc rc, GlobalFlags flags, Io io) {
        return new ClientContext(rc, "cmd", flags.verbose() ? io.err() : null, io.clock());
    }

    private static Investigation.Console console(Io io) {
        return new Investigation.Console(io.out(), io.err(), io.colours(), io.errIsTerminal());
    }

    /** The migrc; when it does not exist and a person is at the terminal, the original's set-up. */
    static MigRc readOrSetUp(Path migrc, Io io) {
        if (!Files.exists(migrc) && io.inIsTerminal()) {
            io.err().println("no configuration found at " + migrc);
            new MigrcSetup(io.in(), io.out()).create(migrc);
        }
        return MigRc.read(migrc);
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
            throw new UsageException(file + " is not an action: " + e.getMessage());
        }
    }
}
