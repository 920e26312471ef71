package mig.agent.testmodules;

import com.fasterxml.jackson.databind.JsonNode;
import mig.common.ModuleResult;
import mig.modules.Module;
import mig.modules.RunContext;

/** Test-only module {@code sleep}: sleeps {@code "seconds"} seconds, ignoring its deadline (but not interrupts). */
public final class SleepModule implements Module {

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        try {
            Thread.sleep((long) (parameters.path("seconds").asDouble(60) * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ModuleResult.error("interrupted");
        }
        return new ModuleResult(false, true, null, null, null);
    }
}
