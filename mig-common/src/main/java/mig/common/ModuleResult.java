package mig.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;

/**
 * What one operation returned on one agent: MIG's {@code modules.Result}. {@code elements} and
 * {@code statistics} are module-specific JSON; {@code foundanything} drives {@code -show found}.
 */
public record ModuleResult(
        @JsonProperty("foundanything") boolean foundAnything,
        @JsonProperty("success") boolean success,
        @JsonProperty("elements") JsonNode elements,
        @JsonProperty("statistics") JsonNode statistics,
        @JsonProperty("errors") List<String> errors) {

    /** The placeholder the scheduler puts in a new command, one per operation. */
    public static final ModuleResult EMPTY = new ModuleResult(false, false, null, null, null);

    public ModuleResult {
        elements = elements == null ? NullNode.getInstance() : elements;
        statistics = statistics == null ? NullNode.getInstance() : statistics;
        errors = errors == null ? null : List.copyOf(errors);
    }

    /** A failed result carrying one error, as the agent reports a refused or broken operation. */
    public static ModuleResult error(String message) {
        return new ModuleResult(false, false, null, null, List.of(message));
    }
}
