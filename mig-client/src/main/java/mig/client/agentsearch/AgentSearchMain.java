package mig.client.agentsearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.client.api.SearchQuery;
import mig.client.cli.ExitCodes;
import mig.client.cli.MigMain;
import mig.client.config.ClientContext;
import mig.client.config.MigRc;
import mig.client.signing.SigningException;
import mig.common.Agent;
import mig.common.Version;
import mig.common.cli.GoCli;
import mig.common.config.ConfigException;
import mig.common.json.GoJson;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-agent-search -t "<target>" | -p "<console-style query>"}: lists agents, one
 * {@code ;}-separated line each, as the original prints them (for spreadsheets and scripts).
 */
public final class AgentSearchMain {
    static final String HEADER =
            "name; id; status; version; mode; os; arch; pid; starttime; heartbeattime; tags; " + "environment";
    private static final Set<String> KEYS =
            Set.of("after", "agentid", "agentname", "agentversion", "before", "limit", "status", "name");

    private AgentSearchMain() {}

    public static void main(String[] args) {
        int code = run(List.of(args), MigMain.Io.system());
        System.out.flush();
        System.exit(code);
    }

    /** The original's flags (Go's {@code flag} package rules, see {@link GoCli}). */
    @CommandLine.Command(name = "mig-agent-search")
    static final class Flags {
        @Option(
                names = {"-c", "--c"},
                description = "Load configuration from file")
        String c = MigRc.defaultPath().toString();

        @Option(
                names = {"-V", "--V"},
                description = "Show build version and exit")
        boolean version;

        @Option(
                names = {"-p", "--p"},
                description = "Search using mig-console search style query")
        String p = "";

        @Option(
                names = {"-t", "--t"},
                description = "Search using agent targeting string")
        String t = "";
    }

    public static int run(List<String> args, MigMain.Io io) {
        Flags flags = new Flags();
        CommandLine cl = GoCli.commandLine(flags);
        try {
            GoCli.parse(cl, args);
        } catch (GoCli.Failure e) {
            if (!e.help()) {
                io.err().println(e.getMessage());
            }
            io.err().print(Help.TEXT + "\n" + GoCli.defaults(cl.getCommandSpec()));
            return e.help() ? ExitCodes.OK : ExitCodes.USAGE;
        }
        if (flags.version) {
            io.out().println(Version.VERSION);
            return ExitCodes.OK;
        }
        try {
            if (flags.p.isEmpty() && flags.t.isEmpty()) {
                io.err().println("error: must specify -p or -t, see help");
                return ExitCodes.USAGE;
            }
            ClientContext ctx = new ClientContext(MigRc.read(Path.of(flags.c)), "agent-search", null, io.clock());
            List<Agent> agents = new ArrayList<>();
            if (!flags.p.isEmpty()) {
                SearchQuery q;
                try {
                    q = SearchQuery.parse(
                            "agent",
                            List.of(flags.p.split(" ")),
                            KEYS,
                            io.clock().instant());
                } catch (IllegalArgumentException e) {
                    io.err().println("error: parsing search query: " + e.getMessage());
                    return ExitCodes.USAGE;
                }
                JsonNode col = ctx.api().search(q.toQueryString());
                for (JsonNode v : MigApiClient.values(col, "agent")) {
                    agents.add(GoJson.unmarshal(v.toString(), Agent.class));
                }
            } else {
                agents = ctx.api().evaluateTarget(ctx.rc().resolveMacro(flags.t));
            }
            print(agents, io.out());
            return ExitCodes.OK;
        } catch (ConfigException | SigningException e) {
            io.err().println("error: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (ApiException e) {
            io.err().println("error: " + e.getMessage());
            return ExitCodes.of(e);
        }
    }

    static void print(List<Agent> agents, PrintStream out) {
        out.println(HEADER);
        for (Agent a : agents) {
            out.printf(
                    "%s; %d; %s; %s; %s; %s; %s; %d; %s; %s; %s; %s%n",
                    a.name(),
                    a.id(),
                    a.status(),
                    a.version(),
                    a.mode(),
                    a.environment().os(),
                    a.environment().arch(),
                    a.pid(),
                    SearchQuery.rfc3339(a.startTime()),
                    SearchQuery.rfc3339(a.heartbeatTs()),
                    a.tags() == null ? "null" : GoJson.marshal(a.tags()),
                    GoJson.marshal(a.environment()));
        }
    }
}
