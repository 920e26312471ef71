package mig.client.console;

import java.util.List;
import mig.client.api.ApiException;
import mig.common.Command;
import mig.common.json.GoJson;

/** {@code command <id>}: one command's JSON and its results as the module printers show them. */
final class CommandReader {
    static final List<String> ORDERS = List.of("exit", "help", "json", "found", "pretty", "r", "results");

    private final Console c;
    private final long id;
    private Command cmd;

    CommandReader(Console console, long id) {
        this.c = console;
        this.id = id;
    }

    void run() throws ApiException {
        cmd = c.ctx.api().getCommand(id);
        c.seen.saw("command", id);
        c.seen.saw("agent", cmd.agent().id());
        c.out.println(c.plain(Text.enterMode("command reader")));
        c.out.printf(
                "Command %d ran on agent '%s' based on action '%s'%n",
                cmd.id(), cmd.agent().name(), cmd.action().name());
        c.mode(
                "\u001b[36;1mcommand " + (id % 1000) + ">\u001b[0m ",
                (w, i) -> i == 0 ? ORDERS : List.of("found"),
                this::order);
        c.out.println();
    }

    private boolean order(List<String> w, String input) throws Exception {
        switch (w.get(0)) {
            case "exit" -> {
                c.out.println("exit");
                return false;
            }
            case "help" -> c.out.print("""
                    The following orders are available:
                    exit		exit this mode
                    help		show this help
                    json		show the json of the command
                    r		refresh the command (get latest version from upstream)
                    results <found>	print the results. if "found" is set, only print results that have at least one found
                    """);
            case "json" -> c.out.println(GoJson.indent(GoJson.marshal(cmd), "  "));
            case "r" -> {
                cmd = c.ctx.api().getCommand(id);
                c.out.println("Reload succeeded");
            }
            case "results" -> {
                boolean found = false;
                if (w.size() > 1) {
                    if (w.get(1).equals("found")) {
                        found = true;
                    } else {
                        c.refuse("Unknown option '" + w.get(1) + "'");
                    }
                }
                c.results().printCommand(cmd, found, false);
            }
            default -> c.refuse("Unknown order '" + w.get(0) + "'. You are in command reader mode. Try `help`.");
        }
        return true;
    }
}
