package mig.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.client.config.InvestigatorKey;
import mig.client.config.MigRc;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.common.pgp.AuthToken;
import mig.common.pgp.SecretKey;
import mig.modules.HasResultsPrinter;
import mig.modules.Module;
import mig.modules.Modules;
import mig.modules.RunContext;

/**
 * One investigation as the original client runs it: build the action, sign it, show how many
 * agents the target selects, count down, post, follow, print the results.
 *
 * <p>Following uses our API's long poll ({@code action/wait}) when the API has it, so results show
 * as soon as they are committed; against the original API it polls {@code GET /action}.
 */
final class Investigation {

    private static final String YELLOW = "\u001b[33m";
    private static final String BLUE = "\u001b[34m";
    private static final String RED = "\u001b[31m";
    private static final String MAGENTA = "\u001b[35m";
    private static final String RESET = "\u001b[0m";

    private final GlobalFlags flags;
    private final MigRc rc;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private SecretKey key;
    private MigApiClient api;

    Investigation(GlobalFlags flags, MigRc rc, PrintStream out, PrintStream err, Clock clock) {
        this.flags = flags;
        this.rc = rc;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** {@code -t local}: run the module in this process, print its findings. */
    static int runLocal(Module module, JsonNode params, GlobalFlags flags, PrintStream out, PrintStream err) {
        ModuleResult result = module.run(params, RunContext.withTimeout(flags.expiration()));
        if (flags.render().equals("json") || !(module instanceof HasResultsPrinter)) {
            out.println(GoJson.marshal(result));
        } else {
            ((HasResultsPrinter) module).printResults(result, true).forEach(out::println);
        }
        return MigMain.EXIT_OK;
    }

    /** Builds the action of one module operation and launches it. */
    int launchModule(String module, JsonNode params, String name) throws ApiException {
        String target = flags.target();
        if (target.isEmpty()) {
            target = "status='online'";
            if (flags.targetFound().isEmpty() && flags.targetNotFound().isEmpty()) {
                err.println("[notice] no target specified, defaulting to all online agents");
            }
        }
        target = rc.macros().getOrDefault(target, target);
        if (!flags.targetFound().isEmpty() || !flags.targetNotFound().isEmpty()) {
            boolean found = !flags.targetFound().isEmpty();
            String id = found ? flags.targetFound() : flags.targetNotFound();
            // the original prepends "<chain> AND <target>"; the parentheses keep a target with a
            // top-level OR inside the chain
            target = "id IN (select agentid from commands, json_array_elements(commands.results) as r where actionid="
                    + id + " and r#>>'{foundanything}' = '" + found + "') AND (" + target + ")";
        }
        Operation op = new Operation(module, params, false, flags.compress());
        Action a = Action.draft(name, target, null, null, List.of(op));
        if (flags.printAndExit()) {
            out.println(GoJson.indent(GoJson.marshalInOrder(a), "    "));
            return MigMain.EXIT_OK;
        }
        return launch(a);
    }

    /** Signs (unless already valid in time), evaluates the target, posts, follows and prints. */
    int launch(Action draft) throws ApiException {
        Action a = draft;
        if (a.validFrom().equals(mig.common.json.GoTime.ZERO)) {
            Instant from = clock.instant().minusSeconds(60);
            a = a.withTimes(from, from.plus(flags.expiration()).plusSeconds(60));
        } else {
            err.println("[notice] action already had validity time period, which was left as is");
        }
        List<Operation> ops = new ArrayList<>();
        for (Operation op : a.operations()) {
            ops.add(op.wantCompressed() || flags.compress() ? op.compressed() : op);
        }
        a = a.withOperations(ops);
        a = ActionSignatures.sign(a, key());
        if (flags.signAndPrint()) {
            out.println(GoJson.indent(GoJson.marshalInOrder(a), "    "));
            return MigMain.EXIT_OK;
        }
        List<Agent> agents = api().evaluateTarget(a.target());
        countdown(agents.size());
        Action posted = api().postAction(a);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            main.interrupt();
        });
        installInterrupt(hook);
        try {
            follow(posted, agents.size(), interrupted);
        } finally {
            removeInterrupt();
        }
        if (interrupted.get()) {
            err.println("[notice] stopped following action, but agents may still be running.");
            err.println("fetching available results:");
        }
        printResults(posted);
        return MigMain.EXIT_OK;
    }

    private void countdown(int n) {
        err.print(YELLOW + n + " agents will be targeted. ctrl+c to cancel. launching in " + RESET);
        if (!flags.noCountdown()) {
            for (int i = 5; i > 0; i--) {
                sleep(Duration.ofSeconds(1));
                err.print(YELLOW + i + RESET + " ");
            }
        }
        err.print(YELLOW + "GO\n" + RESET);
    }

    private void follow(Action a, int total, AtomicBoolean interrupted) throws ApiException {
        err.println(BLUE + "Following action ID " + a.id() + "." + RESET);
        Progress progress = new Progress(err, total, System.console() != null);
        Action current = a;
        boolean longPoll = true;
        int done = 0;
        while (!interrupted.get()) {
            try {
                Action next = longPoll ? api().waitAction(a.id(), Duration.ofSeconds(10)) : null;
                if (next == null) {
                    if (longPoll) {
                        longPoll = false;
                    } else {
                        sleep(Duration.ofSeconds(1));
                    }
                    next = api().getAction(a.id());
                }
                current = next;
            } catch (ApiException e) {
                if (interrupted.get()) {
                    break;
                }
                throw e;
            }
            if (current.counters().done() > done) {
                done = current.counters().done();
                progress.update(done);
            }
            if (isFinal(current)) {
                break;
            }
        }
        Thread.interrupted();
        progress.finish(done);
        Action last = api().getAction(a.id());
        double completion = last.counters().sent() == 0 ? 0 : 100.0 * last.counters().done() / last.counters().sent();
        err.println(BLUE + String.format("%2.1f%% done in %s", completion,
                GoDuration.format(Duration.between(last.startTime(), clock.instant()))) + RESET);
        err.println(BLUE + last.counters().summary());
        err.print(RESET);
    }

    private boolean isFinal(Action a) {
        String s = a.status();
        boolean running = s.equals("pending") || s.equals("scheduled") || s.equals("preparing") || s.equals("inflight");
        return !running || (a.counters().done() > 0 && a.counters().done() >= a.counters().sent())
                || clock.instant().isAfter(a.expireAfter().plusSeconds(10));
    }

    private void printResults(Action a) throws ApiException {
        String show = flags.show();
        boolean onlyFound = show.equals("found");
        String filter = switch (show) {
            case "found" -> "&foundanything=true";
            case "notfound" -> "&foundanything=false";
            default -> "";
        };
        int agents = 0;
        for (int offset = 0; ; offset += MigApiClient.PAGE) {
            List<Command> page = api().commands(a.id(), MigApiClient.PAGE, offset, filter);
            if (page.isEmpty()) {
                break;
            }
            for (Command cmd : page) {
                if (flags.render().equals("json")) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("action", cmd.action().id());
                    o.put("command", cmd.id());
                    o.put("agent", cmd.agent().name());
                    o.put("status", cmd.status());
                    o.put("results", cmd.results());
                    out.println(GoJson.marshal(o));
                } else {
                    printCommand(cmd, onlyFound);
                }
            }
            agents += page.size();
        }
        err.println(RED + agents + " " + (agents > 1 ? "agents have" : "agent has") + " " + show + " results" + RESET);
        if (!show.equals("all")) {
            for (String status : List.of(Command.STATUS_CANCELLED, Command.STATUS_EXPIRED, Command.STATUS_FAILED,
                    Command.STATUS_TIMEOUT)) {
                List<String> names = new ArrayList<>();
                for (int offset = 0; ; offset += MigApiClient.PAGE) {
                    List<Command> page = api().commands(a.id(), MigApiClient.PAGE, offset, "&status=" + status);
                    if (page.isEmpty()) {
                        break;
                    }
                    page.forEach(c -> names.add(c.agent().name()));
                }
                if (!names.isEmpty()) {
                    err.println(MAGENTA + status + ": " + String.join(", ", names) + RESET);
                }
            }
        }
    }

    /** The original's {@code PrintCommandResults} with the agent name as prefix. */
    void printCommand(Command cmd, boolean onlyFound) {
        String prefix = cmd.agent().name() + " ";
        if (!cmd.status().equals(Command.STATUS_SUCCESS)) {
            if (!onlyFound) {
                err.println(prefix + "command did not succeed. status=" + cmd.status());
            }
            return;
        }
        List<ModuleResult> results = cmd.results() == null ? List.of() : cmd.results();
        for (int i = 0; i < results.size(); i++) {
            List<Operation> ops = cmd.action().operations();
            if (ops == null || ops.size() <= i) {
                if (!onlyFound) {
                    err.println(prefix + "[error] operation " + i + " did not return results");
                }
                continue;
            }
            String moduleName = ops.get(i).module();
            var module = Modules.get(moduleName);
            if (module.isEmpty()) {
                if (!onlyFound) {
                    err.println(prefix + "[error] unknown module '" + moduleName + "'");
                }
                continue;
            }
            if (module.get() instanceof HasResultsPrinter printer) {
                for (String line : printer.printResults(results.get(i), onlyFound)) {
                    out.println(prefix + line);
                }
            } else if (!onlyFound) {
                err.println(prefix + "[error] no printer available for module '" + moduleName + "'");
            }
        }
        if (!onlyFound) {
            out.println(prefix + "command " + cmd.status());
        }
    }

    private SecretKey key() {
        if (key == null) {
            key = InvestigatorKey.load(rc);
        }
        return key;
    }

    private MigApiClient api() {
        if (api == null) {
            if (rc.apiUrl().isEmpty()) {
                throw new mig.common.config.ConfigException(rc.source() + ": [api] url is not set");
            }
            SecretKey k = key();
            api = new MigApiClient(rc.apiUrl(), () -> AuthToken.make(k, Clock.systemUTC()), "cmd", flags.verbose());
        }
        return api;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("removal")
    private static void installInterrupt(Thread hook) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> hook.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGINT on this platform: Ctrl-C ends the process as usual
        }
    }

    private static void removeInterrupt() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_DFL);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // nothing was installed
        }
    }
}
