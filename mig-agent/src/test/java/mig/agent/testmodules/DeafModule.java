package mig.agent.testmodules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import mig.common.ModuleResult;
import mig.modules.Module;
import mig.modules.RunContext;

/**
 * Test-only module {@code deaf}: holds its thread for {@code "seconds"} seconds (default 600),
 * ignoring both its deadline and interrupts, as a module stuck in an uninterruptible call would.
 */
public final class DeafModule implements Module {

    @Override
    public String name() {
        return "deaf";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        long end = System.nanoTime()
                + TimeUnit.SECONDS.toNanos(parameters.path("seconds").asLong(600));
        while (System.nanoTime() < end) {
            try {
                // Holding the thread is what this module is for.
                Thread.sleep(100);
            } catch (InterruptedException e) {
                // ignored on purpose: this module stands for one that does not listen
            }
        }
        return new ModuleResult(false, true, null, null, null);
    }
}
