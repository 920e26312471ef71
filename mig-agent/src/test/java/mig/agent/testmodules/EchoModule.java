package mig.agent.testmodules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import mig.common.ModuleResult;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.RunContext;

/**
 * Test-only module {@code echo}: returns its parameters as its elements and remembers every call,
 * so a test can tell whether a refused action ever reached a module.
 */
public final class EchoModule implements Module, HasResultsPrinter {

    private static final ConcurrentLinkedQueue<JsonNode> CALLS = new ConcurrentLinkedQueue<>();

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        CALLS.add(parameters);
        return new ModuleResult(
                true,
                true,
                parameters,
                JsonNodeFactory.instance.objectNode().put("parallelism", context.parallelism()),
                null);
    }

    @Override
    public List<String> printResults(ModuleResult result, boolean foundOnly) {
        return List.of("echo " + result.elements());
    }

    /** Every parameters object this module was run with, in this JVM. */
    public static List<JsonNode> calls() {
        return List.copyOf(CALLS);
    }

    /** Whether some call had {@code "marker": marker} in its parameters. */
    public static boolean ranWith(String marker) {
        return CALLS.stream().anyMatch(p -> marker.equals(p.path("marker").asText(null)));
    }
}
