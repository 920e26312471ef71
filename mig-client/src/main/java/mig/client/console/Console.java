package mig.client.console;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mig.client.api.ApiException;
import mig.client.cli.ActionFollower;
import mig.client.cli.ActionResults;
import mig.client.cli.Colours;
import mig.client.cli.ExitCodes;
import mig.client.config.ClientContext;
import mig.client.signing.SigningException;
import mig.common.config.ConfigException;
import mig.common.json.GoJsonException;
import mig.modules.Modules;

/**
 * The {@code mig>} prompt and the modes it enters (spec §9.3): readers for actions, agents,
 * commands and investigators, the action launcher, investigator creation, searches, the status
 * dashboard and raw queries.
 *
 * <p>Every mode runs the same loop ({@link #mode}): read an order, split it on spaces, run it; an
 * order that fails prints one {@code error:} line and the mode goes on (the original left the mode
 * on any error). {@code exit} or Ctrl-D leaves a mode; at {@code mig>} they leave the console.
 */
final class Console {
    static final List<String> ORDERS = List.of(
            "action",
            "agent",
            "create",
            "command",
            "help",
            "history",
            "exit",
            "showcfg",
            "status",
            "investigator",
            "search",
            "query",
            "where",
            "and");

    final ClientContext ctx;
    final PrintStream out;
    final PrintStream err;
    final LineSource lines;
    final SeenIds seen = new SeenIds();
    final Colours colours;
    final boolean errIsTerminal;
    /** The exit code of the first order that failed, for scripts that pipe orders in; 0 while none did. */
    private int exitCode = ExitCodes.OK;

    /** One order of a mode; returns false to leave the mode. */
    @FunctionalInterface
    interface Order {
        boolean run(List<String> words, String input) throws Exception;
    }

    Console(
            ClientContext ctx,
            PrintStream out,
            PrintStream err,
            LineSource lines,
            Colours colours,
            boolean errIsTerminal) {
        this.ctx = ctx;
        this.out = out;
        this.err = err;
        this.lines = lines;
        this.colours = colours;
        this.errIsTerminal = errIsTerminal;
    }

    /** The top level, until {@code exit} or end of input. */
    void run() {
        mode("\u001b[32;1mmig>\u001b[0m ", topCompletions(), this::topOrder);
    }

    /** Runs a mode's loop until an order returns false or input ends. */
    void mode(String prompt, Completions completions, Order order) {
        while (true) {
            Optional<String> line = lines.readLine(plain(prompt), completions);
            if (line.isEmpty()) {
                return;
            }
            String input = line.get().strip();
            List<String> words = words(input);
            boolean stay = true;
            try {
                stay = words.isEmpty() || order.run(words, input);
            } catch (ConsoleException e) {
                out.println(e.getMessage());
                failed(ExitCodes.USAGE);
            } catch (ApiException e) {
                err.println("error: " + e.getMessage());
                failed(ExitCodes.of(e));
            } catch (ConfigException | SigningException e) {
                err.println("error: " + e.getMessage());
                failed(ExitCodes.CONFIG);
            } catch (GoJsonException e) {
                err.println("error: " + e.getMessage());
                failed(ExitCodes.FAILED);
            } catch (Exception e) {
                err.println("error: " + e);
                failed(ExitCodes.FAILED);
            }
            if (!input.isEmpty()) {
                lines.remember(input);
            }
            if (!stay) {
                return;
            }
        }
    }

    private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile("\u001b\\[[0-9;]*m");

    /** The text without its colour escapes when colours are off ({@code NO_COLOR}, not a terminal). */
    String plain(String text) {
        return plain(text, colours);
    }

    static String plain(String text, Colours colours) {
        return colours.enabled() ? text : ANSI.matcher(text).replaceAll("");
    }

    /** Records that an order failed (the first failure decides the exit code). */
    void failed(int code) {
        if (exitCode == ExitCodes.OK) {
            exitCode = code;
        }
    }

    /** Prints a refusal of an order as typed (unknown order or option) and records it as a failure. */
    void refuse(String line) {
        out.println(line);
        failed(ExitCodes.USAGE);
    }

    /** The exit code of the first order that failed, or 0. */
    int exitCode() {
        return exitCode;
    }

    /** Splits an order on runs of spaces. */
    static List<String> words(String input) {
        List<String> w = new ArrayList<>();
        for (String s : input.strip().split("\\s+")) {
            if (!s.isEmpty()) {
                w.add(s);
            }
        }
        return w;
    }

    /** Asks a question; end of input answers empty. */
    String ask(String prompt) {
        return lines.ask(prompt).map(String::strip).orElse("");
    }

    ActionResults results() {
        return new ActionResults(out, err, colours, false);
    }

    ActionFollower follower() {
        return new ActionFollower(ctx.api(), err, colours, ctx.clock(), errIsTerminal);
    }

    static long id(List<String> words, String usage) throws ConsoleException {
        if (words.size() < 2) {
            throw new ConsoleException("error: missing id, must be '" + usage + "'");
        }
        try {
            return Long.parseLong(words.get(1));
        } catch (NumberFormatException e) {
            throw new ConsoleException("error: '" + words.get(1) + "' is not an id, must be '" + usage + "'");
        }
    }

    private boolean topOrder(List<String> words, String input) throws Exception {
        switch (words.get(0)) {
            case "action" -> {
                if (words.size() != 2) {
                    refuse("error: missing action id in 'action <id>'");
                } else {
                    new ActionReader(this, id(words, "action <id>")).run();
                }
            }
            case "agent" -> new AgentReader(this, id(words, "agent <id>")).run();
            case "command" -> new CommandReader(this, id(words, "command <id>")).run();
            case "investigator" -> new InvestigatorReader(this, id(words, "investigator <id>")).run();
            case "create" -> create(words);
            case "exit" -> {
                out.println("exit");
                return false;
            }
            case "help" -> out.print(HELP);
            case "history" -> {
                int count = words.size() > 1 ? parseCount(words.get(1)) : 10;
                List<String> h = lines.history();
                for (int i = h.size() - 1; i >= 0 && count > 0; i--, count--) {
                    out.println(h.get(i));
                }
            }
            case "manifest" -> new ManifestReader(this, id(words, "manifest <id>")).run();
            case "loader" ->
                out.println("loader management is not available in this console yet; use the API's "
                        + "/loader routes or the original mig-console (docs/loader.md)");
            case "query" -> {
                if (words.size() < 2) {
                    throw new ConsoleException("error: missing uri in 'query <uri>'");
                }
                out.println("querying " + words.get(1));
                out.println(ctx.api().raw(words.get(1)));
            }
            case "search" -> new Search(this).run(words);
            case "showcfg" ->
                out.printf(
                        "homedir = %s%n[api]%n    url = %s%n[gpg]%n    home = %s%n    keyid = %s%n",
                        mig.client.config.MigRc.home(),
                        ctx.rc().apiUrl(),
                        ctx.rc().gpgHomeOrDefault(),
                        ctx.rc().keyId());
            case "status" -> new StatusBoard(this).print();
            default -> refuse("Unknown order '" + words.get(0) + "'");
        }
        return true;
    }

    private void create(List<String> words) throws Exception {
        if (words.size() != 2) {
            refuse("error: missing order, must be 'create <action|investigator>'");
            return;
        }
        switch (words.get(1)) {
            case "action" -> new ActionLauncher(this, null).run();
            case "investigator" -> new InvestigatorCreator(this).run();
            case "loader", "manifest" -> out.println("creating loaders and manifests is not available in this console");
            default -> refuse("unknown order 'create " + words.get(1) + "'");
        }
    }

    private static int parseCount(String s) throws ConsoleException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ConsoleException("error: history count must be a number, got '" + s + "'");
        }
    }

    private Completions topCompletions() {
        return (words, index) -> {
            if (index == 0) {
                return ORDERS;
            }
            String first = words.get(0);
            if (index == 1) {
                return switch (first) {
                    case "action", "agent", "command", "investigator" -> seen.of(first);
                    case "create" -> List.of("action", "investigator");
                    case "search" -> Search.TYPES;
                    default -> List.of();
                };
            }
            if (first.equals("search")) {
                return index == 2 ? List.of("where") : Search.keyCompletions();
            }
            return List.of();
        };
    }

    /** Module names, for {@code addoperation}. */
    static List<String> modules() {
        return Modules.names();
    }

    static final String HELP = """
            The following orders are available:
            action <id>		enter interactive action reader mode for action <id>
            agent <id>		enter interactive agent reader mode for agent <id>
            create action		create a new action
            create investigator	create a new investigator, will prompt for name and public key
            command <id>		enter command reader mode for command <id>
            exit			leave
            help			show this help
            history <count>		print last <count> entries in history. count=10 by default.
            investigator <id>	enter interactive investigator management mode for investigator <id>
            manifest <id>		enter manifest reader mode for manifest <id>
            query <uri>		send a raw query string, without the base url, to the api
            search <search>		perform a search. see "search help" for more information.
            showcfg			display running configuration
            status			display platform status: connected agents, latest actions, ...
            """;
}
