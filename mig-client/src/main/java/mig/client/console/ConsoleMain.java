package mig.client.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import mig.client.api.ApiException;
import mig.client.cli.ExitCodes;
import mig.client.cli.MigMain;
import mig.client.cli.Terminals;
import mig.client.config.ClientContext;
import mig.client.config.MigRc;
import mig.client.signing.SigningException;
import mig.common.Version;
import mig.common.cli.GoCli;
import mig.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-console [-c ~/.migrc] [-q] [-v] [-V]}: the investigator's interactive console.
 *
 * <p>On a terminal it is a line editor with history ({@code ~/.mig_history}) and Tab completion;
 * with stdin piped it reads orders line by line without prompts, so it can be scripted:
 * {@code printf 'search agent where status=online\n' | mig-console -q}.
 */
public final class ConsoleMain {

    private ConsoleMain() {}

    public static void main(String[] args) {
        MigMain.Io io = MigMain.Io.system();
        int code = run(List.of(args), io);
        System.out.flush();
        System.exit(code);
    }

    /** The original's flags (Go's {@code flag} package rules, see {@link GoCli}). */
    @CommandLine.Command(name = "mig-console")
    static final class Flags {
        @Option(
                names = {"-c", "--c"},
                description = "Load configuration from file")
        String c = MigRc.defaultPath().toString();

        @Option(
                names = {"-q", "--q"},
                description = "don't display banners and prompts")
        boolean q;

        @Option(
                names = {"-V", "--V"},
                description = "show build version and exit")
        boolean version;

        @Option(
                names = {"-v", "--v"},
                description = "verbose output, includes debug information and raw queries")
        boolean v;
    }

    /** Runs the console on these streams; returns the exit code. */
    public static int run(List<String> args, MigMain.Io io) {
        PrintStream out = io.out();
        PrintStream err = io.err();
        Flags flags = new Flags();
        CommandLine cl = GoCli.commandLine(flags);
        try {
            GoCli.parse(cl, args);
        } catch (GoCli.Failure e) {
            if (!e.help()) {
                err.println(e.getMessage());
            }
            err.print("Usage of mig-console:\n" + GoCli.defaults(cl.getCommandSpec()));
            return e.help() ? ExitCodes.OK : ExitCodes.USAGE;
        }
        if (flags.version) {
            out.println(Version.VERSION);
            return ExitCodes.OK;
        }
        boolean quiet = flags.q;
        if (!quiet) {
            out.print(Console.plain("\u001b[32;1m" + BANNER + "\u001b[0m", io.colours()));
        }
        MigRc rc;
        try {
            // before the line editor exists: the set-up reads plain lines from stdin
            rc = readOrSetUp(Path.of(flags.c), io);
        } catch (ConfigException e) {
            err.println("FATAL: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        try (LineSource lines = lines(io)) {
            ClientContext ctx = new ClientContext(rc, "console", flags.v ? err : null, io.clock());
            Console console = new Console(ctx, out, err, lines, io.colours(), io.errIsTerminal());
            try {
                new StatusBoard(console).print();
            } catch (ApiException e) {
                err.println("FATAL: " + e.getMessage());
                return ExitCodes.of(e);
            } catch (ConfigException | SigningException e) {
                err.println("FATAL: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            if (!quiet) {
                out.print(Console.plain(
                        String.format(
                                "%nConnected to %s. Exit with \u001b[32;1mctrl+d\u001b[0m. Type "
                                        + "\u001b[32;1mhelp\u001b[0m for help.%n",
                                rc.apiUrl()),
                        io.colours()));
            }
            console.run();
            if (!quiet) {
                out.print(FOOTER);
            }
            if (lines instanceof PipedSource) {
                // scripted: a failed order must fail the script (an interactive user saw it already)
                return console.exitCode();
            }
        } catch (IOException e) {
            err.println("FATAL: cannot open the terminal: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private static LineSource lines(MigMain.Io io) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        if (io.inIsTerminal() && Terminals.isTerminal(1)) {
            return new JLineSource(MigRc.home().resolve(".mig_history"), io.err());
        }
        return new PipedSource(in);
    }

    private static MigRc readOrSetUp(Path migrc, MigMain.Io io) {
        if (!java.nio.file.Files.exists(migrc) && io.inIsTerminal()) {
            io.err().println("no configuration found at " + migrc);
            new mig.client.config.MigrcSetup(io.in(), io.out()).create(migrc);
        }
        return MigRc.read(migrc);
    }

    static final String BANNER = """

            ## ##                                     _.---._     .---.
            # # # /-\\ ---||  |    /\\         __...---' .---. '---'-.   '.
            #   #|   | / ||  |   /--\\    .-''__.--' _.'( | )'.  '.  '._ :
            #   # \\_/ ---| \\_ \\_/    \\ .'__-'_ .--'' ._'---'_.-.  '.   '-'.
                 ###                         ~ -._ -._''---. -.    '-._   '.
                  # |\\ |\\    /---------|          ~ -.._ _ _ _ ..-_ '.  '-._''--.._
                  # | \\| \\  / |- |__ | |                       -~ -._  '-.  -. '-._''--.._.--''.
                 ###|  \\  \\/  ---__| | |                            ~ ~-.__     -._  '-.__   '. '.
                      #####                                               ~~ ~---...__ _    ._ .' '.
                      #      /\\  --- /-\\ |--|----                                    ~  ~--.....--~
                      # ### /--\\  | |   ||-\\  //
                      #####/    \\ |  \\_/ |  \\//__
            """;

    static final String FOOTER = """

                        .-._   _ _ _ _ _ _ _ _
             .-''-.__.-'Oo  '-' ' ' ' ' ' ' ' '-.
            '.___ '    .   .--_'-' '-' '-' _'-' '._
             V: V 'vv-'   '_   '.       .'  _..' '.'.
               '=.____.=_.--'   :_.__.__:_   '.   : :
                       (((____.-'        '-.  /   : :
                                         (((-'\\ .' /
                                       _____..'  .'
                                      '-._____.-'
                          Gators are going back underwater.
            """;
}
