package mig.testkit;

/**
 * Stops what the test kit started when the JVM exits, so an embedded PostgreSQL or a pile of test
 * vhosts does not outlive a test run that never called close. Explicit closing unregisters the hook.
 */
final class ShutdownHooks {

    private ShutdownHooks() {}

    static Thread register(String name, Runnable action) {
        Thread hook = new Thread(action, "mig-testkit-shutdown-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Unregisters {@code hook}, unless it is running already (the JVM is exiting). */
    static void unregister(Thread hook) {
        if (hook == null || hook == Thread.currentThread()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // The JVM is shutting down and the hook runs anyway.
        }
    }
}
