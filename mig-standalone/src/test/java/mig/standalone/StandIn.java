package mig.standalone;

/**
 * A process standing in for a second agent of the endpoint in {@link KillOrderIT}: the same JVM as
 * the platform's agent, started with the agent's main class name as its argument (what
 * agentdestroy checks on its command line), sleeping until killed (10 minutes at most).
 */
public final class StandIn {
    private StandIn() {}

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(600_000);
    }
}
