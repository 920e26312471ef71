package mig.agent.testmodules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import mig.common.ModuleResult;
import mig.modules.Module;
import mig.modules.RunContext;

/**
 * Test-only module {@code hog}: keeps allocating 1 MiB blocks until the heap is exhausted, as a
 * module reading a huge file into memory would. Only for agents in a child JVM with a small heap.
 */
public final class HogModule implements Module {

    @Override
    public String name() {
        return "hog";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        List<byte[]> blocks = new ArrayList<>();
        while (true) {
            blocks.add(new byte[1 << 20]);
        }
    }
}
