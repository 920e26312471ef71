package mig.bench.cluster;

import java.nio.file.Path;
import mig.common.Action;

/** The agents of a node-loss run: real mig-agent JVMs ({@link AgentJvms}) or a simulated fleet ({@link SimulatedAgents}). */
interface Agents extends AutoCloseable {

    /**
     * What the agents saw of the node loss.
     *
     * @param lostAgents              agents whose connection was on the stopped node
     * @param reconnected             of those, the ones connected to another node since
     * @param slowestReconnectSeconds the longest time from a loss to its reconnection
     * @param published               results the agents published, -1 where not counted
     * @param publishedTwice          results published a second time (their confirm was lost with the node)
     */
    record Figures(
            int lostAgents, int reconnected, double slowestReconnectSeconds, int published, int publishedTwice) {}

    /** Node b or c (the schedulers are on a): the one to stop, where most agents are. */
    String busiestNode(Path clusterDir) throws Exception;

    /** An action for every online agent that these agents can run. */
    Action draft(String name) throws Exception;

    /** Read after the actions. */
    Figures figures();

    @Override
    void close();
}
