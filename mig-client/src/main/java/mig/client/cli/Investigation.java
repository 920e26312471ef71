package mig.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mig.client.api.ApiException;
import mig.client.config.ClientContext;
import mig.common.Action;
import mig.common.Agent;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.RunContext;

/**
 * One investigation as the original client runs it: build the action, sign it, show how many
 * agents the target selects, count down, post, follow, print the results.
 */
final class Investigation {

    private final GlobalFlags flags;
    private final ClientContext ctx;
    private final Console console;

    /** Where the investigation talks: streams, colours, and whether stderr is a terminal. */
    record Console(PrintStream out, PrintStream err, Colours colours, boolean errIsTerminal) {}

    Investigation(GlobalFlags flags, ClientContext ctx, Console console) {
        this.flags = flags;
        this.ctx = ctx;
        this.console = console;
    }

    /** {@code -t local}: run the module in this process, print its findings (the original's way). */
    static int runLocal(Module module, JsonNode params, GlobalFlags flags, PrintStream out, PrintStream err) {
        // The investigator's own foreground command may use every core; the agent keeps the
        // original's half-the-cores rule, since it runs beside the host's real work.
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        ModuleResult result = module.run(params, RunContext.withTimeout(flags.expiration(), cores));
        if (flags.render().equals("json") || !(module instanceof HasResultsPrinter)) {
            out.println(GoJson.marshal(result));
        } else {
            ((HasResultsPrinter) module).printResults(result, true).forEach(out::println);
            String cut = ActionResults.truncation(Operation.of(module.name(), params), result);
            if (cut != null) {
                err.println(cut);
            }
        }
        if (!result.success()) {
            ActionResults.reasons(new ModuleResult[] {result}).forEach(r -> err.println("[error] " + r));
            return ExitCodes.COMMANDS_FAILED;
        }
        return ExitCodes.OK;
    }

    /**
     * The target the flags ask for: default all online, macros resolved, result chains prepended.
     * Unlike the original, the investigator's target is parenthesised after the chain, so a target
     * with a top-level OR stays inside it.
     */
    static String target(GlobalFlags flags, java.util.function.UnaryOperator<String> macros, PrintStream err) {
        String target = flags.target();
        if (target.isEmpty()) {
            target = "status='online'";
            if (flags.targetFound().isEmpty() && flags.targetNotFound().isEmpty()) {
                err.println("[notice] no target specified, defaulting to all online agents");
            }
        }
        target = macros.apply(target);
        if (!flags.targetFound().isEmpty() || !flags.targetNotFound().isEmpty()) {
            boolean found = !flags.targetFound().isEmpty();
            String id = found ? flags.targetFound() : flags.targetNotFound();
            target = "id IN (select agentid from commands, json_array_elements(commands.results) as r where actionid="
                    + id + " and r#>>'{foundanything}' = '" + found + "') AND (" + target + ")";
        }
        return target;
    }

    /**
     * The action of one module operation, not yet timed or signed, as the original builds it: no
     * signatures ({@code null}) and syntax version 0 until it is posted, so {@code -p} prints what the
     * original prints.
     */
    static Action draft(String module, JsonNode params, String name, String target, boolean compress) {
        Action a = Action.draft(name, target, null, null, List.of(new Operation(module, params, false, compress)));
        return new Action(
                a.id(),
                a.name(),
                a.target(),
                a.description(),
                a.threat(),
                a.validFrom(),
                a.expireAfter(),
                a.operations(),
                null,
                a.investigators(),
                a.status(),
                a.startTime(),
                a.finishTime(),
                a.lastUpdateTime(),
                a.counters(),
                0);
    }

    /** Times (unless set), compresses, signs; then prints it ({@code -s}) or launches and follows it. */
    int launch(Action draft) throws ApiException {
        PrintStream err = console.err();
        Action a = draft;
        if (a.validFrom().equals(GoTime.ZERO)) {
            Instant from = ctx.clock().instant().minusSeconds(60);
            a = a.withTimes(from, from.plus(flags.expiration()).plusSeconds(60));
        } else {
            err.println("[notice] action already had validity time period, which was left as is");
        }
        List<Operation> ops = new ArrayList<>();
        for (Operation op : a.operations()) {
            boolean want = op.wantCompressed() || flags.compress();
            ops.add(want && !op.isCompressed() ? op.compressed() : op);
        }
        a = ctx.sign(a.withOperations(ops));
        if (flags.signAndPrint()) {
            console.out().println(GoJson.indent(GoJson.marshalInOrder(a), "    "));
            return ExitCodes.OK;
        }
        List<Agent> agents = ctx.api().evaluateTarget(a.target());
        if (agents.isEmpty()) {
            // the original stops here, before creating anything: its search answers 404
            err.println("error: HTTP 404. API call failed with error 'no results found': no agent matches the"
                    + " target, nothing was launched (target: " + a.target() + ")");
            return ExitCodes.FAILED;
        }
        countdown(agents.size());
        Action posted = ctx.api().postAction(a);
        ActionFollower follower =
                new ActionFollower(ctx.api(), err, console.colours(), ctx.clock(), console.errIsTerminal());
        try (Interrupts sigint = Interrupts.onSigint(follower::stop)) {
            follower.follow(posted, agents.size());
        } finally {
            Thread.interrupted();
        }
        if (follower.stopped()) {
            err.println("[notice] stopped following action, but agents may still be running.");
            err.println("fetching available results:");
        }
        int unsuccessful = new ActionResults(
                        console.out(), err, console.colours(), flags.render().equals("json"))
                .print(ctx.api(), posted.id(), flags.show());
        return unsuccessful > 0 ? ExitCodes.COMMANDS_FAILED : ExitCodes.OK;
    }

    private void countdown(int n) {
        Colours c = console.colours();
        PrintStream err = console.err();
        err.print(c.paint(Colours.YELLOW, n + " agents will be targeted. ctrl+c to cancel. launching in "));
        if (!flags.noCountdown()) {
            for (int i = 5; i > 0; i--) {
                err.flush();
                sleep(Duration.ofSeconds(1));
                err.print(c.paint(Colours.YELLOW, Integer.toString(i)) + " ");
            }
        }
        err.print(c.code(Colours.YELLOW) + "GO\n" + c.code(Colours.RESET));
        err.flush();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
