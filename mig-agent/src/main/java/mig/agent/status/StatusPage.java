package mig.agent.status;

import java.util.Optional;
import mig.agent.config.AgentConfig;
import mig.agent.env.HostFacts;
import mig.common.Version;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;

/**
 * The stat socket's {@code GET /} page: the original's template (same tables, rows and style), so an
 * operator used to it finds everything where it was. Values are HTML-escaped; nothing secret is
 * shown (no relay password, no agent id).
 */
public final class StatusPage {

    private static final String STYLE = """
            body {
              margin: 0;
              padding: 0;
              background: #151515;
              color: #eaeaea;
              font: 16px;
              line-height: 1.5;
              font-family: Monaco, "Bitstream Vera Sans Mono", "Lucida Console", Terminal, monospace;
            }
            div {
              padding-top: 12px;
              padding-bottom: 12px;
            }
            th, td {
              padding: 7px;
              text-align: left;
            }
            table, td {
              border-collapse: collapse;
              border: 1px solid black;
              font-size: 14px;
            }
            .vl td:nth-child(2) {
              background-color: #1f1f1f;
              white-space: pre;
            }
            .hl tr:nth-of-type(2) ~ tr {
              background-color: #1f1f1f;
              white-space: pre;
            }
            """;

    private StatusPage() {}

    /**
     * Renders the page.
     *
     * @param facts   the endpoint facts of the last heartbeat, if the first look is done
     * @param binPath what runs the agent (the java command and jar)
     */
    public static String render(AgentConfig config, Optional<HostFacts> facts, AgentStats stats, String binPath) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<html>\n<head>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<h1>mig-agent</h1>\n");
        sb.append("<div>\n<table class=\"vl\">\n  <tr><th colspan=2>Agent status</th></tr>\n");
        row(sb, "Agent version", Version.VERSION);
        row(sb, "Agent name", facts.map(HostFacts::hostname).orElse(""));
        row(sb, "BinPath", binPath);
        row(sb, "RunDir", config.runDir().toString());
        row(sb, "PID", Long.toString(ProcessHandle.current().pid()));
        row(
                sb,
                "Environment",
                facts.map(f -> GoJson.indent(GoJson.marshal(f.env()), "    ")).orElse("null"));
        row(sb, "Tags", GoJson.indent(GoJson.marshal(config.tags()), "    "));
        sb.append("</table>\n</div>\n<div>\n<table class=\"vl\">\n  <tr><th colspan=2>Configuration</th></tr>\n");
        row(sb, "Immortal", config.isImmortal());
        row(sb, "Install as a service", config.installService());
        row(sb, "Discover public IP", config.discoverPublicIp());
        row(sb, "Discover AWS metadata", config.discoverAwsMeta());
        row(sb, "Checkin mode", config.checkin());
        row(sb, "Only verify pubkeys (no ACL verification)", config.onlyVerifyPubKey());
        row(sb, "Extra privacy mode", config.extraPrivacyMode());
        row(sb, "Environment refresh period", GoDuration.format(config.refreshEnv()));
        row(sb, "Spawn persistent modules", !config.noPersistMods());
        row(sb, "Proxies", "[" + String.join(" ", config.proxiesForDisplay()) + "]");
        row(sb, "Heartbeat frequency", GoDuration.format(config.heartbeatFreq()));
        row(sb, "Module timeout", GoDuration.format(config.moduleTimeout()));
        sb.append("</table>\n</div>\n<div>\n<table class=\"hl\">\n<tr><th colspan=2>Recent actions</th></tr>\n");
        sb.append("<tr><td>Time (UTC)</td><td>Name</td><td>Modules</td><td>Status</td></tr>\n");
        for (AgentStats.Entry e : stats.entries()) {
            sb.append("  <tr><td>")
                    .append(escape(e.time().toString()))
                    .append("</td><td>")
                    .append(escape(e.name()))
                    .append("</td><td>")
                    .append(escape(e.modules()))
                    .append("</td><td>")
                    .append(e.accepted() ? "Accepted" : "Rejected")
                    .append("</tr>\n");
        }
        sb.append("</table>\n</div>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Object value) {
        sb.append("  <tr><td>")
                .append(escape(name))
                .append("</td><td>")
                .append(escape(String.valueOf(value)))
                .append("</td></tr>\n");
    }

    /** Go's {@code html/template} escaping of text. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
