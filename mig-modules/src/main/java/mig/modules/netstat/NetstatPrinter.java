package mig.modules.netstat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.common.ModuleResult;
import mig.common.json.GoJson;

/**
 * The original's human lines for a netstat result, word for word, e.g.
 * {@code found listening port 1664 for netstat listeningport:'1664'}. Query kinds print in the
 * original's order (localmac, neighbormac, neighborip, localip, connectedip, listeningport) and
 * values sorted within a kind (Go's map order was random).
 *
 * <p>One addition: a {@code localmac} value that found nothing prints "did not find anything" like
 * every other kind (the original printed nothing at all for it).
 */
final class NetstatPrinter {

    private NetstatPrinter() {}

    static List<String> print(ModuleResult result, boolean foundOnly) {
        List<String> lines = new ArrayList<>();
        NetstatElements el;
        NetstatStatistics stats;
        try {
            el = read(result.elements(), NetstatElements.class, NetstatElements.empty());
            stats = read(result.statistics(), NetstatStatistics.class, new NetstatStatistics(0, "", 0));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return List.of("error: cannot read the netstat result: " + e.getMessage());
        }
        section(
                lines,
                el.localMac(),
                "localmac",
                foundOnly,
                (e, v) -> "found local mac " + e.localMacAddr() + " for netstat localmac:'" + v + "'");
        section(
                lines,
                el.neighborMac(),
                "neighbormac",
                foundOnly,
                (e, v) -> "found neighbor mac " + e.remoteMacAddr() + " " + e.remoteAddr()
                        + " for netstat neighbormac:'" + v + "'");
        section(
                lines,
                el.neighborIp(),
                "neighborIP",
                foundOnly,
                (e, v) -> "found neighbor IP " + e.remoteAddr() + " " + e.remoteMacAddr() + " for netstat neighborIP:'"
                        + v + "'");
        section(
                lines,
                el.localIp(),
                "localip",
                foundOnly,
                (e, v) -> "found local ip " + e.localAddr() + " for netstat localip:'" + v + "'");
        section(
                lines,
                el.connectedIp(),
                "connectedip",
                foundOnly,
                (e, v) -> "found connected tuple " + e.remoteAddr() + ":" + e.remotePort() + " with local tuple "
                        + e.localAddr() + ":" + e.localPort() + " for netstat connectedip:'" + v + "'");
        section(
                lines,
                el.listeningPort(),
                "listeningport",
                foundOnly,
                (e, v) -> "found listening port " + e.localPort() + " for netstat listeningport:'" + v + "'");
        if (foundOnly) {
            return lines;
        }
        for (String e : result.errors() == null ? List.<String>of() : result.errors()) {
            lines.add("error: " + e);
        }
        lines.add("Statistics: total hits " + stats.totalhits() + " examined " + stats.examined() + " items exectime "
                + (stats.exectime() == null ? "" : stats.exectime()));
        return lines;
    }

    private interface Line {
        /** The line for one element found for the query {@code value}. */
        String format(NetstatElement e, String value);
    }

    private static void section(
            List<String> lines, Map<String, List<NetstatElement>> byValue, String kind, boolean foundOnly, Line line) {
        for (Map.Entry<String, List<NetstatElement>> q : byValue.entrySet()) {
            List<NetstatElement> found = q.getValue() == null ? List.of() : q.getValue();
            if (found.isEmpty()) {
                if (!foundOnly) {
                    lines.add("did not find anything for netstat " + kind + ":'" + q.getKey() + "'");
                }
                continue;
            }
            for (NetstatElement e : found) {
                lines.add(line.format(e, q.getKey()) + e.namespaceSuffix());
            }
        }
    }

    private static <T> T read(JsonNode node, Class<T> type, T absent) throws JsonProcessingException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return absent;
        }
        return GoJson.mapper().treeToValue(node, type);
    }
}
