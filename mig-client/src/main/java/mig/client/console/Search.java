package mig.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import mig.client.api.MigApiClient;
import mig.client.api.SearchQuery;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.Investigator;
import mig.common.json.GoJson;

/**
 * {@code search <type> where <key>=<value> [and ...]}: the original's query syntax, its header line
 * per type and its fixed-width rows. Every id printed is remembered for Tab completion.
 */
final class Search {
    static final List<String> TYPES = List.of("action", "agent", "command", "investigator");

    private final Console c;

    Search(Console console) {
        this.c = console;
    }

    static List<String> keyCompletions() {
        List<String> out = new ArrayList<>(List.of("and"));
        for (String k : SearchQuery.KEYS) {
            out.add(k + "=");
        }
        return out;
    }

    void run(List<String> words) throws Exception {
        if (words.size() < 2 || words.get(1).equals("help")) {
            c.out.print(HELP);
            return;
        }
        String type = words.get(1);
        if (!TYPES.contains(type)) {
            if (type.equals("loader") || type.equals("manifest")) {
                throw new ConsoleException("error: searching " + type + "s is not available in this console");
            }
            throw new ConsoleException("Invalid search '" + String.join(" ", words) + "'. Try `search help`.");
        }
        if (words.size() < 4) {
            throw new ConsoleException("error: Invalid search syntax. try `search help`.");
        }
        if (!words.get(2).equals("where")) {
            throw new ConsoleException("error: Expected keyword 'where' after search type. Got '" + words.get(2) + "'");
        }
        SearchQuery q;
        try {
            q = SearchQuery.parse(
                    type,
                    words.subList(3, words.size()),
                    new HashSet<>(SearchQuery.KEYS),
                    c.ctx.clock().instant());
        } catch (IllegalArgumentException e) {
            throw new ConsoleException("error: " + e.getMessage());
        }
        c.out.printf(
                "Searching %s after %s and before %s, limited to %d results%n",
                type, SearchQuery.rfc3339(q.after()), SearchQuery.rfc3339(q.before()), q.limit());
        JsonNode col = c.ctx.api().search(q.toQueryString());
        List<JsonNode> found = MigApiClient.values(col, type);
        if (found.isEmpty()) {
            throw new ConsoleException("No results found for search query: " + q.toQueryString());
        }
        c.out.println(
                switch (type) {
                    case "agent" ->
                        "---   ID  ---- + ----         Name         ---- + -- Status -- + -- Last Heartbeat --";
                    case "action" ->
                        "----- ID ----- + --------   Action Name ------- + ----------- Target  ---------- + "
                                + "---- Investigators ---- + - Sent - + - Status - + --- Last Updated --- ";
                    case "command" -> "----  ID  ---- + ----         Name         ---- + --- Last Updated ---";
                    default -> "- ID - + ----         Name         ---- + --- Status --- + --- Permissions ---";
                });
        for (JsonNode v : found) {
            c.out.println(row(type, v.toString()));
        }
    }

    private String row(String type, String json) {
        switch (type) {
            case "action" -> {
                Action a = GoJson.unmarshal(json, Action.class);
                c.seen.saw("action", a.id());
                return actionRow(a);
            }
            case "command" -> {
                Command cmd = GoJson.unmarshal(json, Command.class);
                c.seen.saw("command", cmd.id());
                return String.format(
                        "%14d   %s   %s",
                        cmd.id(), Text.column(cmd.action().name(), 30), Text.rfc3339(cmd.finishTime()));
            }
            case "agent" -> {
                Agent agt = GoJson.unmarshal(json, Agent.class);
                c.seen.saw("agent", agt.id());
                String status = agt.status().length() > 12 ? agt.status().substring(0, 12) : Text.pad(agt.status(), 12);
                return String.format(
                        "%20d   %s   %s   %s",
                        agt.id(), Text.column(agt.name(), 30), status, Text.rfc3339(agt.heartbeatTs()));
            }
            default -> {
                Investigator inv = GoJson.unmarshal(json, Investigator.class);
                c.seen.saw("investigator", inv.id());
                return String.format(
                        "%6d   %s   %s %s",
                        inv.id(),
                        Text.column(inv.name(), 30),
                        Text.pad(inv.status(), 16),
                        Text.describe(inv.permissions()));
            }
        }
    }

    /** The original's {@code actionPrintShort} columns, as a search row. */
    static String actionRow(Action a) {
        return String.format(
                "%s   %s   %s   %s   %8d   %s   %s",
                Text.pad(Long.toString(a.id()), 14),
                Text.column(a.name(), 30),
                Text.column(a.target(), 30),
                Text.investigators(a.investigators(), 23),
                a.counters().sent(),
                Text.pad(a.status(), 10),
                date(a));
    }

    /** Last update, RFC 3339, in a 20-character column. */
    static String date(Action a) {
        String d = Text.rfc3339(a.lastUpdateTime());
        return d.length() > 21 ? d.substring(0, 21) : Text.pad(d, 20);
    }

    static final String HELP = """
            usage: search <action|agent|command|investigator> where <key>=<value> [and <key>=<value>...]

            Example:
            mig> search command where agentname=%khazad% and investigatorname=%vehent% and actionname=%memory% and after=2015-09-09T17:00:00Z
            	----    ID      ---- + ----         Name         ---- + --- Last Updated ---
            	       4886304327951   memory -c /home/ulfr/.migrc...   2015-09-09T13:01:03-04:00

            The following search parameters are available, per search type:
            * action:
            	- name=<str>		search actions by name <str>
            	- before=<rfc3339>	search actions that expired before <rfc3339 date>
            	- after=<rfc3339>	search actions were valid after <rfc3339 date>
            	- commandid=<id>	search action that spawned a given command
            	- agentid=<id>		search actions that ran on a given agent
            	- agentname=<str>	search actions that ran on an agent named <str>
            	- investigatorid=<id>	search actions signed by a given investigator
            	- investigatorname=<str>search actions signed by investigator named <str>
            	- status=<str>		search actions with a given status amongst:
            				pending, scheduled, preparing, invalid, inflight, completed
            * command:
            	- name=<str>		search commands by action name <str>
            	- before=<rfc3339>	search commands that started before <rfc3339 date>
            	- after=<rfc3339>	search commands that started after <rfc3339 date>
            	- actionid=<id>		search commands spawned action <id>
            	- actionname=<str>	search commands spawned by an action named <str>
            	- agentname=<str>	search commands that ran on an agent named <str>
            	- agentid=<id>		search commands that ran on a given agent
            	- investigatorid=<id>	search commands signed by investigator <id>
            	- investigatorname=<str>search commands signed by investigator named <str>
            	- status=<str>		search commands with a given status amongst:
            				prepared, sent, success, timeout, cancelled, expired, failed
            * agent:
            	- name=<str>		search agents by hostname
            	- before=<rfc3339>	search agents that have sent a heartbeat before <rfc3339 date>
            	- after=<rfc3339>	search agents that have sent a heartbeat after <rfc3339 date>
            	- actionid=<id>		search agents that ran action <id>
            	- actionname=<str>	search agents that ran action named <str>
            	- commandid=<id>	search agents that ran command <id>
            	- investigatorid=<id>	search agents that ran an action signed by investigator <id>
            	- investigatorname=<str>search agents that ran an action signed by investigator named <str>
            	- version=<str>		search agents by version <str>
            	- status=<str>		search agents with a given status amongst:
            				online, destroyed, offline, idle
            * investigator:
            	- name=<str>		search investigators by name
            	- before=<rfc3339>	search investigators created or modified before <rfc3339 date>
            	- after=<rfc3339>	search investigators created or modified after <rfc3339 date>
            	- actionid=<id>		search investigators that signed action <id>
            	- actionname=<str>	search investigators that signed action named <str>
            	- commandid=<id>	search investigators that ran command <id>
            	- agentid=<id>		search investigators that ran a command on a given agent
            	- agentname=<str>	search investigators that ran actions on an agent named <str>,
            	- status=<str>		search investigators by status amongst: active, disabled

            All searches accept the 'limit=<num>' parameter to limits the number of results returned by a search, defaults to 100
            Parameters that accept a <str> can use wildcards * and % (ex: name=jul%veh% ).
            No spaces are permitted within parameters. Spaces are used to separate search parameters.
            """;
}
