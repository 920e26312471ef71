package mig.bench.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import mig.bench.fleet.Fleet;
import mig.bench.fleet.FleetEchoModule;
import mig.bench.platform.Investigator;
import mig.common.Action;

/**
 * The fleet simulator's agents on the three nodes: quorum queues, one channel per agent, 50 agents
 * to a connection, the connections spread over the nodes by the client; figures from the fleet's
 * own record of its connections and of the results it published again.
 */
final class SimulatedAgents implements Agents {

    private final Fleet fleet;
    private final String[] uris;
    private volatile int lostPort;

    private SimulatedAgents(Fleet fleet, String[] uris) {
        this.fleet = fleet;
        this.uris = uris;
    }

    static SimulatedAgents start(String[] uris, int agents, String apiUrl, Investigator investigator) throws Exception {
        Fleet fleet = Fleet.start(new Fleet.Settings(
                agents,
                String.join(",", uris),
                apiUrl,
                investigator.trust(),
                4,
                1,
                "fleet",
                Map.of("fleet", "nodeloss")));
        try {
            int refused = fleet.register();
            if (refused > 0) {
                throw new IllegalStateException("the API refused " + refused + " first heartbeats");
            }
            fleet.startHeartbeats(Duration.ofSeconds(10)); // the schedulers' heartbeat period in this run
            return new SimulatedAgents(fleet, uris);
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    /** By agents: the connections' nodes, each connection carrying its agents. */
    @Override
    public String busiestNode(Path clusterDir) {
        int b = 0;
        int c = 0;
        int pb = AgentJvms.port(uris[1]);
        int pc = AgentJvms.port(uris[2]);
        for (Fleet.ConnectionEvents e : fleet.connectionEvents()) {
            if (e.port() == pb) {
                b += e.agents();
            } else if (e.port() == pc) {
                c += e.agents();
            }
        }
        String lost = NodeLoss.busier("simulated agents", b, c);
        lostPort = lost.equals("b") ? pb : pc;
        return lost;
    }

    @Override
    public Action draft(String name) throws Exception {
        return NodeLoss.draft(name, FleetEchoModule.NAME, "{}");
    }

    @Override
    public Figures figures() {
        int lost = 0;
        int back = 0;
        long slowest = 0;
        for (Fleet.ConnectionEvents e : fleet.connectionEvents()) {
            if (e.lostNanos() != 0 && e.lostPort() == lostPort) {
                lost += e.agents();
                if (e.recoveredNanos() != 0 && e.open() && e.port() != lostPort) {
                    back += e.agents();
                    slowest = Math.max(slowest, e.recoveredNanos() - e.lostNanos());
                }
            }
        }
        return new Figures(lost, back, slowest / 1e9, -1, fleet.resultsPublishedAgain());
    }

    @Override
    public void close() {
        fleet.close();
    }
}
