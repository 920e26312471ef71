package mig.agent.command;

import java.util.Objects;
import mig.common.Command;
import mig.common.ModuleResult;

/**
 * How one operation ended on this agent: a command status ({@code success}, {@code failed},
 * {@code timeout}) and the module's result, placed at the operation's index in the command.
 */
public record OperationOutcome(String status, ModuleResult result) {

    public OperationOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(result, "result");
    }

    static OperationOutcome success(ModuleResult r) {
        return new OperationOutcome(Command.STATUS_SUCCESS, r);
    }

    static OperationOutcome failed(String error) {
        return new OperationOutcome(Command.STATUS_FAILED, ModuleResult.error(error));
    }

    /** A module stopped at its deadline: its partial result if it returned one, else the empty one. */
    static OperationOutcome timeout(ModuleResult partial) {
        return new OperationOutcome(Command.STATUS_TIMEOUT, partial);
    }
}
