package mig.modules.agentdestroy;

/** A process for the tests to kill: sleeps until killed (10 minutes at most). */
public final class Sleeper {
    private Sleeper() {}

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(600_000);
    }
}
