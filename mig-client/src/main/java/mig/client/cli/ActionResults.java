package mig.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * unsuccessful status naming its agents, followed (beyond the original) by the reasons the
     * agents gave, so a refused or failed command is not just a status.
     *
     * @return how many commands did not succeed (failed, timed out, expired or cancelled)
     */
    public int print(MigApiClient api, long actionId, String show) throws ApiException {
        String filter = switch (show) {
            case "found" -> "&foundanything=true";
            case "notfound" -> "&foundanything=false";
            case "all" -> "";
            default -> throw new IllegalArgumentException("invalid show '" + show + "': use found, notfound or all");
        };
        boolean onlyFound = show.equals("found");
        int agents = 0;
        int unsuccessful = 0;
        for (int offset = 0; ; offset += MigApiClient.PAGE) {
            List<Command> page = api.commands(actionId, MigApiClient.PAGE, offset, filter);
            if (page.isEmpty()) {
                break;
            }
            for (Command cmd : page) {
                if (!cmd.status().equals(Command.STATUS_SUCCESS)) {
                    unsuccessful++;
                }
                if (json) {
                    printJson(cmd);
                } else {
                    printCommand(cmd, onlyFound, true);
                }
            }
            agents += page.size();
        }
        err.println(colours.paint(
                Colours.RED, agents + " " + (agents > 1 ? "agents have" : "agent has") + " " + show + " results"));
        if (!show.equals("all")) {
            unsuccessful = 0;
            for (String status : List.of(
                    Command.STATUS_CANCELLED, Command.STATUS_EXPIRED, Command.STATUS_FAILED, Command.STATUS_TIMEOUT)) {
                List<String> names = new ArrayList<>();
                Map<String, List<String>> reasons = new LinkedHashMap<>();
                for (int offset = 0; ; offset += MigApiClient.PAGE) {
                    List<Command> page = api.commands(actionId, MigApiClient.PAGE, offset, "&status=" + status);
                    if (page.isEmpty()) {
                        break;
                    }
                    for (Command c : page) {
                        names.add(c.agent().name());
                        for (String reason : reasons(c)) {
                            reasons.computeIfAbsent(reason, r -> new ArrayList<>())
                                    .add(c.agent().name());
                        }
                    }
                }
                if (!names.isEmpty()) {
                    unsuccessful += names.size();
                    err.println(colours.paint(Colours.MAGENTA, status + ": " + String.join(", ", names)));
                    // one line per distinct reason, so a fleet refusing the same key prints it once
                    reasons.forEach((reason, who) ->
                            err.println(colours.paint(Colours.MAGENTA, abbreviate(who) + " [error] " + reason)));
                }
            }
        }
        return unsuccessful;
    }

    /** Agent names for a reason line: all of them up to ten, then how many more. */
    private static String abbreviate(List<String> names) {
        if (names.size() <= 10) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 10)) + " and " + (names.size() - 10) + " more";
    }

    /** The errors the agent returned for a command, in operation order, without repeats. */
    static List<String> reasons(Command cmd) {
        return cmd.results() == null ? List.of() : reasons(cmd.results().toArray(ModuleResult[]::new));
    }

    /** The errors of these module results, in order, without repeats. */
    static List<String> reasons(ModuleResult... results) {
        Set<String> out = new LinkedHashSet<>();
        for (ModuleResult r : results) {
            if (r != null && r.errors() != null) {
                r.errors().stream().filter(e -> e != null && !e.isBlank()).forEach(out::add);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The line that says a file search stopped at its {@code matchlimit}, or null. The agent stops
     * counting there without saying so in its result, so the client compares the hit count with
     * the limits it sent: reaching one means there may be more matches than printed.
     */
    static String truncation(Operation op, ModuleResult result) {
        if (!op.module().equals("file") || result == null) {
            return null;
        }
        double hits = result.statistics().path("totalhits").asDouble(0);
        JsonNode params;
        try {
            params = op.decompressed().parameters();
        } catch (RuntimeException e) {
            return null;
        }
        double limit = Double.MAX_VALUE;
        for (JsonNode search : params.path("searches")) {
            double l = search.path("options").path("matchlimit").asDouble(0);
            if (l > 0 && l < limit) {
                limit = l;
            }
        }
        if (limit == Double.MAX_VALUE || hits < limit) {
            return null;
        }
        return "[warning] the search stopped at its match limit of " + String.format("%.0f", limit)
                + " files (-matchlimit): there may be more matches than printed; raise -matchlimit (0 for no"
                + " limit) or narrow the search";
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
                reasons(cmd).forEach(r -> err.println(prefix + "[error] " + r));
            }
            return;
        }
        List<ModuleResult> results = cmd.results() == null ? List.of() : cmd.results();
        List<Operation> ops =
                cmd.action().operations() == null ? List.of() : cmd.action().operations();
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
                String cut = truncation(ops.get(i), results.get(i));
                if (cut != null) {
                    err.println(colours.paint(Colours.YELLOW, prefix + cut));
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
