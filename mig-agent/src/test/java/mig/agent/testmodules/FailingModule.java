package mig.agent.testmodules;

import com.fasterxml.jackson.databind.JsonNode;
import mig.common.ModuleResult;
import mig.modules.Module;
import mig.modules.RunContext;

/** Test-only module {@code boom}: throws, as a buggy module would. */
public final class FailingModule implements Module {

    @Override
    public String name() {
        return "boom";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        throw new IllegalStateException("boom went the module");
    }
}
