package mig.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.Modules;

/**
 * Prints what agents returned, as the original's {@code PrintActionResults} and
 * {@code PrintCommandResults}: result lines on stdout prefixed by the agent's name, diagnostics and
 * the summary on stderr. Shared by {@code mig} and {@code mig-console}.
 *
 * <p>{@code show} is {@code found} (positive results only), {@code notfound} or {@code all}; with
 * {@code -render json} each command becomes one JSON object on stdout instead of lines.
 */
public final class ActionResults {
    private final PrintStream out;
    private final PrintStream err;
    private final Colours colours;
    private final boolean json;

    public ActionResults(PrintStream out, PrintStream err, Colours colours, boolean json) {
        this.out = out;
        this.err = err;
        this.colours = colours;
        this.json = json;
    }

    /**
     * Pages through the action's commands (37 at a time, as the original), prints each, then
     * {@code N agents have <show> results} and, unless {@code show} is all, one line per
     * unsuccessful status naming its agents.
     */
    public void print(MigApiClient api, long actionId, String show) throws ApiException {
        String filter = switch (show) {
            case "found" -> "&foundanything=true";
            case "notfound" -> "&foundanything=false";
            case "all" -> "";
            default -> throw new IllegalArgumentException("invalid show '" + show + "': use found, notfound or all");
        };
        boolean onlyFound = show.equals("found");
        int agents = 0;
        for (int offset = 0; ; offset += MigApiClient.PAGE) {
            List<Command> page = api.commands(actionId, MigApiClient.PAGE, offset, filter);
            if (page.isEmpty()) {
                break;
            }
            for (Command cmd : page) {
                if (json) {
                    printJson(cmd);
                } else {
                    printCommand(cmd, onlyFound, true);
                }
            }
            agents += page.size();
        }
        err.println(colours.paint(Colours.RED, agents + " " + (agents > 1 ? "agents have" : "agent has") + " "
                + show + " results"));
        if (!show.equals("all")) {
            for (String status : List.of(Command.STATUS_CANCELLED, Command.STATUS_EXPIRED, Command.STATUS_FAILED,
                    Command.STATUS_TIMEOUT)) {
                List<String> names = new ArrayList<>();
                for (int offset = 0; ; offset += MigApiClient.PAGE) {
                    List<Command> page = api.commands(actionId, MigApiClient.PAGE, offset, "&status=" + status);
                    if (page.isEmpty()) {
                        break;
                    }
                    page.forEach(c -> names.add(c.agent().name()));
                }
                if (!names.isEmpty()) {
                    err.println(colours.paint(Colours.MAGENTA, status + ": " + String.join(", ", names)));
                }
            }
        }
    }

    /** One JSON object per agent, for {@code jq}: ids, agent, status and the raw module results. */
    private void printJson(Command cmd) {
        ObjectNode o = GoJson.mapper().createObjectNode();
        o.put("action", cmd.action().id());
        o.put("command", cmd.id());
        o.put("agent", cmd.agent().name());
        o.put("agentid", cmd.agent().id());
        o.put("status", cmd.status());
        ArrayNode modules = o.putArray("modules");
        if (cmd.action().operations() != null) {
            cmd.action().operations().forEach(op -> modules.add(op.module()));
        }
        o.set("results", GoJson.toTree(cmd.results()));
        out.println(GoJson.marshalInOrder(o));
    }

    /**
     * The original's {@code PrintCommandResults}: each operation's result through its module's
     * printer, lines prefixed by the agent name when {@code showAgent}.
     */
    public void printCommand(Command cmd, boolean onlyFound, boolean showAgent) {
        String prefix = showAgent ? cmd.agent().name() + " " : "";
        if (!cmd.status().equals(Command.STATUS_SUCCESS)) {
            if (!onlyFound) {
                err.println(prefix + "command did not succeed. status=" + cmd.status());
            }
            return;
        }
        List<ModuleResult> results = cmd.results() == null ? List.of() : cmd.results();
        List<Operation> ops = cmd.action().operations() == null ? List.of() : cmd.action().operations();
        for (int i = 0; i < results.size(); i++) {
            if (ops.size() <= i) {
                if (!onlyFound) {
                    err.println(prefix + "[error] operation " + i + " did not return results");
                }
                continue;
            }
            String moduleName = ops.get(i).module();
            Module module = Modules.get(moduleName).orElse(null);
            if (module == null) {
                if (!onlyFound) {
                    err.println(prefix + "[error] unknown module '" + moduleName + "'");
                }
                continue;
            }
            if (module instanceof HasResultsPrinter printer) {
                for (String line : printer.printResults(results.get(i), onlyFound)) {
                    out.println(prefix + line);
                }
            } else if (!onlyFound) {
                err.println(prefix + "[error] no printer available for module '" + moduleName + "'");
            }
        }
        if (!onlyFound) {
            out.println(prefix + "command " + cmd.status());
        }
    }
}
