package mig.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.common.Agent;
import mig.common.Command;
import mig.common.json.GoJson;

/** {@code agent <id>}: an agent's registration, environment, tags and the last commands it ran. */
final class AgentReader {
    static final List<String> ORDERS = List.of("details", "exit", "help", "json", "pretty", "r", "lastactions");

    private final Console c;
    private final long id;
    private Agent agt;

    AgentReader(Console console, long id) {
        this.c = console;
        this.id = id;
    }

    void run() throws ApiException {
        agt = c.ctx.api().getAgent(id);
        c.seen.saw("agent", id);
        c.out.println(c.plain(Text.enterMode("agent reader")));
        c.out.printf("Agent %d named '%s'%n", agt.id(), agt.name());
        c.mode(
                "\u001b[34;1magent " + (id % 1000) + ">\u001b[0m ",
                (w, i) -> i == 0 ? ORDERS : List.of("pretty"),
                this::order);
        c.out.println();
    }

    private boolean order(List<String> w, String input) throws Exception {
        switch (w.get(0)) {
            case "details" -> {
                agt = c.ctx.api().getAgent(id);
                c.out.printf(
                        "Agent ID %d%nname       %s%nlast seen  %s ago%nversion    %s%nmode       %s%n"
                                + "location   %s%nplatform   %s %s%npid        %d%nstarttime  %s%nstatus     %s%n"
                                + "environment %s%ntags %s%n",
                        agt.id(),
                        agt.name(),
                        Text.goDuration(Duration.between(
                                agt.heartbeatTs(), c.ctx.clock().instant())),
                        agt.version(),
                        agt.mode(),
                        agt.queueLoc(),
                        agt.environment().os(),
                        agt.environment().arch(),
                        agt.pid(),
                        Text.goTime(agt.startTime()),
                        agt.status(),
                        GoJson.indent(GoJson.marshal(agt.environment()), "    "),
                        GoJson.indent(GoJson.marshal(agt.tags()), "    "));
            }
            case "exit" -> {
                c.out.println("exit");
                return false;
            }
            case "help" -> c.out.print("""
                    The following orders are available:
                    details			print the details of the agent
                    exit			exit this mode
                    help			show this help
                    json <pretty>		show the json of the agent registration
                    r			refresh the agent (get latest version from upstream)
                    lastactions <limit>	print the last actions that ran on the agent. limit=10 by default.
                    """);
            case "lastactions" -> lastCommands(w.size() > 1 ? limit(w.get(1)) : 10);
            case "json" -> {
                if (w.size() > 1 && !w.get(1).equals("pretty")) {
                    c.refuse("Unknown option '" + w.get(1) + "'");
                } else {
                    String json = GoJson.marshal(agt);
                    c.out.println(w.size() > 1 ? GoJson.indent(json, "  ") : json);
                }
            }
            case "r" -> {
                agt = c.ctx.api().getAgent(id);
                c.out.println("Reload succeeded");
            }
            default -> c.refuse("Unknown order '" + w.get(0) + "'. You are in agent reader mode. Try `help`.");
        }
        return true;
    }

    static int limit(String s) throws ConsoleException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ConsoleException("error: limit must be a number, got '" + s + "'");
        }
    }

    private void lastCommands(int limit) throws ApiException {
        JsonNode col = c.ctx.api().search("search?type=command&agentid=" + id + "&limit=" + limit);
        c.out.println("-------  ID  ------- + --------    Action Name ------- + ----    Date    ---- +  -- Status --");
        for (JsonNode v : MigApiClient.values(col, "command")) {
            Command cmd = GoJson.unmarshal(v.toString(), Command.class);
            c.seen.saw("command", cmd.id());
            c.out.printf(
                    "%d     %s   %s    %s%n",
                    cmd.id(), Text.column(cmd.action().name(), 30), Text.rfc3339(cmd.startTime()), cmd.status());
        }
    }
}
