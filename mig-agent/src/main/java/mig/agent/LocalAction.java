package mig.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.agent.command.OperationOutcome;
import mig.agent.command.OperationRunner;
import mig.common.Action;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.RunContext;

/**
 * {@code mig-agent -i action.json}: runs an action's operations on this endpoint without any
 * signature or ACL check (the operator already has a shell here) and prints the results as the
 * original does: an indented JSON list, or with {@code -p} each module's human lines.
 */
final class LocalAction {

    private LocalAction() {}

    /** @return 0 when every operation ran, 1 otherwise (results are printed either way) */
    static int run(
            Path file,
            boolean pretty,
            Duration timeout,
            boolean extraPrivacy,
            Map<String, Module> modules,
            PrintStream out)
            throws IOException, InterruptedException {
        Action action = GoJson.unmarshal(Files.readString(file), Action.class);
        List<Operation> ops = action.operations() == null ? List.of() : action.operations();
        List<OperationOutcome> outcomes;
        Clock clock = Clock.systemUTC();
        try (OperationRunner runner = new OperationRunner(modules, RunContext.halfTheCores(), clock, extraPrivacy)) {
            outcomes = runner.runAll(ops, clock.instant().plus(timeout), "local action " + file.getFileName());
        }
        List<ModuleResult> results = new ArrayList<>(outcomes.size());
        outcomes.forEach(o -> results.add(o.result()));
        if (!pretty) {
            out.println(GoJson.indent(GoJson.marshal(results), "  "));
        } else {
            for (int i = 0; i < ops.size(); i++) {
                Module m = modules.get(ops.get(i).module());
                if (m instanceof HasResultsPrinter printer) {
                    printer.printResults(results.get(i), false).forEach(out::println);
                } else {
                    out.println("[error] no printer available for module '"
                            + ops.get(i).module() + "'");
                }
            }
        }
        out.flush();
        return outcomes.stream().allMatch(o -> o.status().equals("success")) ? 0 : 1;
    }
}
