package mig.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import mig.client.api.ApiException;
import mig.common.Action;
import mig.common.json.GoJson;

/**
 * {@code status} (and the console's opening screen): the API's dashboard as the original's red box
 * of agent and endpoint counts, agents by version, and the latest actions.
 */
final class StatusBoard {
    private static final String RED = "\u001b[31;1m";
    private static final String BAR = RED + "|" + Text.RESET;

    private final Console c;

    StatusBoard(Console console) {
        this.c = console;
    }

    void print() throws ApiException {
        JsonNode st = c.ctx.api().dashboard();
        List<String> online = new ArrayList<>();
        List<String> idle = new ArrayList<>();
        List<String> actions = new ArrayList<>(
                List.of(
                        "Latest Actions:",
                        "----  ID  ---- + ----         Name         ---- + -Sent- + ----    Date    ---- + ---- Investigators ----"));
        double[] n = new double[8];
        for (JsonNode item : st.path("collection").path("items")) {
            for (JsonNode data : item.path("data")) {
                JsonNode v = data.path("value");
                switch (data.path("name").asText()) {
                    case "action" -> {
                        Action a = GoJson.unmarshal(v.toString(), Action.class);
                        c.seen.saw("action", a.id());
                        actions.add(String.format(
                                "%s   %s   %6d   %s   %s",
                                Text.pad(Long.toString(a.id()), 14),
                                Text.column(a.name(), 30),
                                a.counters().sent(),
                                Search.date(a),
                                Text.investigators(a.investigators(), 23)));
                    }
                    case "online agents" -> n[0] = v.asDouble();
                    case "online endpoints" -> n[1] = v.asDouble();
                    case "idle agents" -> n[2] = v.asDouble();
                    case "idle endpoints" -> n[3] = v.asDouble();
                    case "new endpoints" -> n[4] = v.asDouble();
                    case "endpoints running 2 or more agents" -> n[5] = v.asDouble();
                    case "disappeared endpoints" -> n[6] = v.asDouble();
                    case "flapping endpoints" -> n[7] = v.asDouble();
                    case "online agents by version" -> versions(v, online);
                    case "idle agents by version" -> versions(v, idle);
                    default -> {}
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(RED).append("+------").append(Text.RESET).append('\n');
        b.append(String.format(
                RED + "| Agents & Endpoints summary:\n"
                        + BAR + " * %.0f online agents on %.0f endpoints\n"
                        + BAR + " * %.0f idle agents on %.0f endpoints\n"
                        + BAR + " * %.0f endpoints are running 2 or more agents\n"
                        + BAR + " * %.0f endpoints appeared over the last 7 days\n"
                        + BAR + " * %.0f endpoints disappeared over the last 7 days\n"
                        + BAR + " * %.0f endpoints have been flapping\n",
                n[0],
                n[1],
                n[2],
                n[3],
                n[5],
                n[4],
                n[6],
                n[7]));
        b.append(RED).append("| Online agents by version:").append(Text.RESET).append('\n');
        online.forEach(s -> b.append(BAR).append(' ').append(s).append('\n'));
        b.append(RED).append("| Idle agents by version:").append(Text.RESET).append('\n');
        idle.forEach(s -> b.append(BAR).append(' ').append(s).append('\n'));
        b.append(BAR).append('\n');
        actions.forEach(s -> b.append(BAR).append(' ').append(s).append('\n'));
        b.append(RED).append("+------").append(Text.RESET).append('\n');
        c.out.print(c.plain(b.toString()));
    }

    private static void versions(JsonNode list, List<String> out) {
        for (JsonNode sum : list) {
            double count = sum.path("count").asDouble();
            out.add(String.format(
                    "* version %s: %.0f agent%s", sum.path("version").asText(), count, count > 1 ? "s" : ""));
        }
    }
}
