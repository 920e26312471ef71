package mig.agent.testmodules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicInteger;
import mig.common.ModuleResult;
import mig.modules.Module;
import mig.modules.RunContext;

/**
 * Test-only module {@code sleep}: sleeps {@code "seconds"} seconds, ignoring its deadline (but not
 * interrupts). It counts the runs that were interrupted, so a test can tell that the agent stopped
 * the module rather than waited for it to end.
 */
public final class SleepModule implements Module {

    private static final AtomicInteger INTERRUPTED = new AtomicInteger();

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        try {
            // Sleeping is what this module is for: it stands for a slow module.
            Thread.sleep((long) (parameters.path("seconds").asDouble(60) * 1000));
        } catch (InterruptedException e) {
            INTERRUPTED.incrementAndGet();
            Thread.currentThread().interrupt();
            return ModuleResult.error("interrupted");
        }
        return new ModuleResult(false, true, null, null, null);
    }

    /** How many runs of this module were interrupted, in this JVM. */
    public static int interruptions() {
        return INTERRUPTED.get();
    }
}
