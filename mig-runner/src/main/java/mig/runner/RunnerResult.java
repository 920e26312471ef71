package mig.runner;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import mig.common.Action;
import mig.common.Command;

/**
 * What the runner keeps of one launched action and hands to a plugin: the original's
 * {@code mig.RunnerResult}, field for field ({@code action}, {@code commands}, {@code name},
 * {@code plugin}). {@code commands} is null until the results are fetched.
 */
public record RunnerResult(
        @JsonProperty("action") Action action,
        @JsonProperty("commands") List<Command> commands,
        @JsonProperty("name") String entityName,
        @JsonProperty("plugin") String usePlugin) {

    public RunnerResult {
        action = action == null ? Action.EMPTY : action;
        commands = commands == null ? null : List.copyOf(commands);
        entityName = entityName == null ? "" : entityName;
        usePlugin = usePlugin == null ? "" : usePlugin;
    }

    RunnerResult withCommands(List<Command> fetched) {
        return new RunnerResult(action, fetched, entityName, usePlugin);
    }
}
