package mig.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.common.Action;
import mig.common.Command;
import mig.common.Investigator;
import mig.common.Operation;
import mig.common.json.GoJson;

/**
 * {@code action <id>}: reads one action and its commands (the original's action reader): details,
 * counters, investigators, JSON, the list of commands with a {@code | grep} filter, the results as
 * {@code mig} prints them, and {@code copy} into the launcher.
 */
final class ActionReader {
    static final List<String> ORDERS = List.of(
            "cancel",
            "command",
            "copy",
            "counters",
            "details",
            "exit",
            "grep",
            "help",
            "investigators",
            "json",
            "list",
            "all",
            "found",
            "notfound",
            "pretty",
            "r",
            "results",
            "times");

    private final Console c;
    private final long id;
    private Action a;

    ActionReader(Console console, long id) {
        this.c = console;
        this.id = id;
    }

    void run() throws ApiException {
        a = c.ctx.api().getAction(id);
        c.seen.saw("action", id);
        c.out.println(c.plain(Text.enterMode("action reader")));
        c.out.printf(
                "Action: '%s'.%nLaunched by '%s' on '%s'.%nStatus '%s'.%n",
                a.name(), Text.investigators(a.investigators(), 80), Text.goTime(a.startTime()), a.status());
        c.err.println(a.counters().summary());
        Completions completions = (words, index) -> index == 1 && words.get(0).equals("command")
                ? c.seen.of("command")
                : index == 0 ? ORDERS : List.of("all", "found", "notfound", "|", "grep");
        c.mode("\u001b[31;1maction " + (id % 1000) + ">\u001b[0m ", completions, this::order);
        c.out.println();
    }

    private boolean order(List<String> w, String input) throws Exception {
        switch (w.get(0)) {
            case "cancel" -> cancel();
            case "command" -> new CommandReader(c, Console.id(w, "command <id>")).run();
            case "copy" -> {
                new ActionLauncher(c, a).run();
                return false;
            }
            case "counters" -> {
                a = c.ctx.api().getAction(id);
                c.err.println(a.counters().summary());
            }
            case "details" -> details();
            case "exit" -> {
                c.out.println("exit");
                return false;
            }
            case "help" -> c.out.print(HELP);
            case "investigators" -> {
                if (a.investigators() != null) {
                    for (Investigator i : a.investigators()) {
                        c.out.println(i.name() + " - Key ID: " + i.pgpFingerprint());
                    }
                }
            }
            case "json" -> c.out.println(GoJson.indent(GoJson.marshal(view(a)), "  "));
            case "list" -> list(w);
            case "r" -> {
                a = c.ctx.api().getAction(id);
                c.out.println("reloaded");
            }
            case "results" -> {
                String show = w.size() > 1 ? w.get(1) : "all";
                if (!List.of("all", "found", "notfound").contains(show)) {
                    throw new ConsoleException("error: invalid show '" + show + "', use all, found or notfound");
                }
                c.results().print(c.ctx.api(), id, show);
            }
            case "times" -> times(a);
            default -> c.refuse("Unknown order '" + w.get(0) + "'. You are in action reader mode. Try `help`.");
        }
        return true;
    }

    /** MIG for Java's own order: POST /action/cancel/ for this action (signers only, signed token). */
    private void cancel() throws ApiException, ConsoleException {
        com.fasterxml.jackson.databind.JsonNode doc =
                c.ctx.api().postForm("action/cancel/", "actionid", Long.toString(id));
        List<com.fasterxml.jackson.databind.JsonNode> v = mig.client.api.MigApiClient.values(doc, "cancellation");
        if (v.isEmpty()) {
            throw new ConsoleException("error: the API answered no cancellation");
        }
        c.out.printf(
                "Action %d cancelled: %d commands cancelled, status '%s'%n",
                id, v.get(0).path("cancelled").asInt(), v.get(0).path("status").asText());
        a = c.ctx.api().getAction(id);
        c.err.println(a.counters().summary());
    }

    /** The action for display: compressed parameters shown decompressed, still flagged compressed. */
    static Action view(Action a) {
        if (a.operations() == null) {
            return a;
        }
        List<Operation> ops = new ArrayList<>();
        for (Operation op : a.operations()) {
            ops.add(
                    op.isCompressed()
                            ? new Operation(op.module(), op.decompressed().parameters(), true, op.wantCompressed())
                            : op);
        }
        return a.withOperations(ops);
    }

    static void times(Console c, Action a) {
        c.out.printf(
                "Valid from   '%s' until '%s'%nStarted on   '%s'%nLast updated '%s'%nFinished on  '%s'%n",
                Text.goTime(a.validFrom()),
                Text.goTime(a.expireAfter()),
                Text.goTime(a.startTime()),
                Text.goTime(a.lastUpdateTime()),
                Text.goTime(a.finishTime()));
    }

    private void times(Action action) {
        times(c, action);
    }

    private void details() {
        c.out.printf(
                "%nID             %d%nName           %s%nTarget         %s%n"
                        + "Desc           author '%s <%s>'; revision '%d';%n               url '%s'%n"
                        + "Threat         type '%s'; level '%s'; family '%s'; reference '%s'%nStatus         %s%n"
                        + "Times          valid from %s until %s%n               started %s; last updated %s; finished %s%n"
                        + "               duration: %s%n",
                a.id(),
                a.name(),
                a.target(),
                a.description().author(),
                a.description().email(),
                (long) a.description().revision(),
                a.description().url(),
                a.threat().type(),
                a.threat().level(),
                a.threat().family(),
                a.threat().ref(),
                a.status(),
                Text.goTime(a.validFrom()),
                Text.goTime(a.expireAfter()),
                Text.goTime(a.startTime()),
                Text.goTime(a.lastUpdateTime()),
                Text.goTime(a.finishTime()),
                Text.goDuration(Duration.between(a.startTime(), a.lastUpdateTime())));
        c.out.print("Investigators  ");
        if (a.investigators() != null) {
            for (Investigator i : a.investigators()) {
                c.out.println(i.name() + " - keyid: " + i.pgpFingerprint());
            }
        }
        List<Operation> ops = a.operations() == null ? List.of() : a.operations();
        StringBuilder o = new StringBuilder("Operations     count=" + ops.size() + " => ");
        ops.forEach(op -> o.append(op.module()).append("; "));
        c.out.println(o);
        var k = a.counters();
        c.out.printf(
                "Counters       sent=%d; done=%d; in flight=%d%n"
                        + "               success=%d; cancelled=%d; expired=%d; failed=%d; timeout=%d%n",
                k.sent(), k.done(), k.inFlight(), k.success(), k.cancelled(), k.expired(), k.failed(), k.timeout());
    }

    /** {@code list [all|found|notfound] [| grep [-v] re ...]}: command ids and agents. */
    private void list(List<String> w) throws Exception {
        String show = "all";
        List<String> filter = List.of();
        if (w.size() > 1) {
            if (List.of("all", "found", "notfound").contains(w.get(1))) {
                show = w.get(1);
                if (w.size() > 2 && w.get(2).equals("|")) {
                    filter = w.subList(2, w.size());
                }
            } else if (w.get(1).equals("|")) {
                filter = w.subList(1, w.size());
            }
        }
        Filter grep = Filter.parse(filter);
        List<Command> cmds = commands(show);
        int count = 0;
        if (!cmds.isEmpty()) {
            c.out.println("---- Command ID ----    ---- Agent Name & ID----");
            for (Command cmd : cmds) {
                c.seen.saw("command", cmd.id());
                String line = String.format(
                        "%20d    %s [%d]",
                        cmd.id(), cmd.agent().name(), cmd.agent().id());
                if (grep.keeps(line)) {
                    c.out.println(line);
                    count++;
                }
            }
        }
        c.out.println(
                switch (show) {
                    case "found" -> count + " agents have found things";
                    case "notfound" -> count + " agents have found nothing";
                    default -> count + " agents have returned";
                });
    }

    /** All commands of the action, 50 per page, a dot per page as the original. */
    private List<Command> commands(String show) throws ApiException {
        String base = "search?type=command&actionid=" + id
                + switch (show) {
                    case "found" -> "&foundanything=true";
                    case "notfound" -> "&foundanything=false";
                    default -> "";
                };
        List<Command> out = new ArrayList<>();
        for (int offset = 0; ; offset += 50) {
            c.out.print(".");
            JsonNode col = c.ctx.api().search(base + "&limit=50&offset=" + offset);
            List<JsonNode> page = MigApiClient.values(col, "command");
            if (page.isEmpty()) {
                break;
            }
            for (JsonNode v : page) {
                out.add(GoJson.unmarshal(v.toString(), Command.class));
            }
        }
        c.out.println();
        return out;
    }

    static final String HELP = """
            The following orders are available:
            cancel		cancel the commands not answered yet (signers only; MIG for Java's own)

            command <id>	jump to command reader mode for command <id>

            copy		enter action launcher mode using current action as template

            counters	display the counters of the action

            details		display the details of the action, including status & times

            exit		exit this mode (also works with ctrl+d)

            help		show this help

            investigators   print the list of investigators that signed the action

            json         	show the json of the action

            list <show>	returns the list of commands with their status
            		<show>: * set to "all" to get all results (default)
            			* set to "found" to only display positive results
            			* set to "notfound" for negative results
            		list can be followed by a 'filter' pipe:
            		ex: ls | grep server1.(dom1|dom2) | grep -v example.net

            r		refresh the action (get latest version from upstream)

            results <show>	display results of all commands
            		<show>: * set to "all" to get all results (default)
            			* set to "found" to only display positive results
            			* set to "notfound" for negative results

            times		show the various timestamps of the action
            """;
}
