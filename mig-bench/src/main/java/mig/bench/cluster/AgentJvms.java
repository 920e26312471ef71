package mig.bench.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mig.bench.platform.Investigator;
import mig.bench.platform.Programs;
import mig.bench.proc.ChildJvm;
import mig.common.Action;

/** Real mig-agent JVMs, each given the three node URIs; figures from their logs. */
final class AgentJvms implements Agents {

    private static final Pattern RESULT = Pattern.compile("command (\\d+): result published");

    private final List<ChildJvm> jvms;
    private final String[] uris;

    private AgentJvms(List<ChildJvm> jvms, String[] uris) {
        this.jvms = jvms;
        this.uris = uris;
    }

    static AgentJvms start(String[] uris, int agents, Path dir, String apiUrl, Investigator investigator)
            throws Exception {
        List<ChildJvm> jvms = new ArrayList<>();
        AgentJvms out = new AgentJvms(jvms, uris);
        try {
            for (int i = 0; i < agents; i++) {
                // Each agent lists the nodes starting from another one; the client shuffles them.
                List<String> order = new ArrayList<>();
                for (int k = 0; k < uris.length; k++) {
                    order.add(uris[(i + k) % uris.length]);
                }
                Path ad = Files.createDirectories(dir.resolve("agent" + i));
                jvms.add(Programs.agent(
                        ad,
                        "mig-agent-" + i,
                        ad.resolve("conf"),
                        ad.resolve("run"),
                        String.join(",", order),
                        apiUrl,
                        Duration.ofSeconds(10),
                        investigator));
            }
            return out;
        } catch (Exception | Error e) {
            out.close();
            throw e;
        }
    }

    /** By client connections, from {@code rabbitmqctl list_connections} on node a. */
    @Override
    public String busiestNode(Path clusterDir) throws Exception {
        String out = NodeLoss.ctl(clusterDir, "a", "list_connections", "name");
        return NodeLoss.busier(
                "agent connections",
                NodeLoss.count(out, "-> 127.0.0.1:" + port(uris[1])),
                NodeLoss.count(out, "-> 127.0.0.1:" + port(uris[2])));
    }

    static int port(String uri) {
        return java.net.URI.create(uri).getPort();
    }

    @Override
    public Action draft(String name) throws Exception {
        return NodeLoss.draft(
                name,
                "file",
                "{\"searches\":{\"s1\":{\"paths\":[\"/etc\"],\"names\":[\"^hostname$\"],\"options\":{\"maxdepth\":1}}}}");
    }

    @Override
    public Figures figures() {
        int lostAgents = 0;
        int reconnected = 0;
        double maxReconnect = 0;
        int duplicates = 0;
        int published = 0;
        for (ChildJvm ag : jvms) {
            String out = ag.output();
            Map<String, Integer> perCommand = new HashMap<>();
            Matcher m = RESULT.matcher(out);
            while (m.find()) {
                perCommand.merge(m.group(1), 1, Integer::sum);
                published++;
            }
            duplicates += perCommand.values().stream().mapToInt(c -> c - 1).sum();
            Double lostAt = NodeLoss.timeOf(out, "connection to relay", "lost");
            if (lostAt != null) {
                lostAgents++;
                Double back = NodeLoss.timeOf(out, "connection to relay", "recovered");
                if (back != null) {
                    reconnected++;
                    maxReconnect = Math.max(maxReconnect, back - lostAt);
                }
            }
        }
        return new Figures(lostAgents, reconnected, maxReconnect, published, duplicates);
    }

    @Override
    public void close() {
        for (ChildJvm ag : jvms) {
            ag.close();
        }
    }
}
