package mig.client.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mig.client.api.ApiException;
import mig.client.cli.ActionFollower;
import mig.client.cli.Interrupts;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.Operation;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.modules.HasParamsParser;
import mig.modules.Modules;

/**
 * {@code create action} (or {@code copy} from a reader): the original's action launcher. Name,
 * target (macros resolved), operations built with each module's flags, validity window, optional
 * compression; {@code sign} and {@code launch} sign with the investigator's key, {@code launch}
 * posts, follows with the progress bar and opens the action reader on the result.
 */
final class ActionLauncher {
    static final String DEFAULT_EXPIRATION = "300s";
    static final List<String> ORDERS = List.of(
            "addoperation",
            "compress",
            "deloperation",
            "exit",
            "help",
            "json",
            "launch",
            "listagents",
            "load",
            "details",
            "setname",
            "settarget",
            "settimes",
            "sign",
            "times");

    private final Console c;
    private Action a;
    private boolean compress;
    private boolean hasTimes;
    private boolean hasSignatures;
    private boolean hasEvaluatedTarget;
    private int targeted;

    /** @param template the action to copy name, target, description, threat and operations from, or null */
    ActionLauncher(Console console, Action template) {
        this.c = console;
        this.a = template == null
                ? Action.draft("", "", null, null, List.of())
                : new Action(
                        0,
                        template.name(),
                        template.target(),
                        template.description(),
                        template.threat(),
                        null,
                        null,
                        template.operations() == null ? List.of() : template.operations(),
                        List.of(),
                        null,
                        "",
                        null,
                        null,
                        null,
                        ActionCounters.EMPTY,
                        Action.SYNTAX_VERSION);
    }

    void run() {
        if (a.name().isEmpty()) {
            c.out.println("Entering action launcher with empty template");
        } else {
            c.out.println("Entering action launcher using template '" + a.name() + "'");
        }
        c.out.println(c.plain("Type \u001b[32;1mexit\u001b[0m or press \u001b[32;1mctrl+d\u001b[0m to leave. "
                + "\u001b[32;1mhelp\u001b[0m may help."));
        Completions completions = (w, i) -> i == 0
                ? ORDERS
                : switch (w.get(0)) {
                    case "addoperation" -> Console.modules();
                    case "compress" -> List.of("true", "false");
                    case "json" -> List.of("pack");
                    case "launch" -> List.of("nofollow");
                    case "settarget" -> c.ctx.rc().macroNames();
                    case "settimes" -> i == 1 ? List.of("now") : List.of("+5m", "+10m", "+60m");
                    default -> List.of();
                };
        c.mode("\u001b[33;1mlauncher>\u001b[0m ", completions, this::order);
        c.out.println();
    }

    private boolean order(List<String> w, String input) throws Exception {
        switch (w.get(0)) {
            case "addoperation" -> addOperation(w);
            case "compress" -> {
                if (w.size() != 2 || !List.of("true", "false").contains(w.get(1).toLowerCase())) {
                    c.out.println("Wrong arguments: Expects 'compress <true|false>'\nexample: compress true");
                } else {
                    compress = w.get(1).equalsIgnoreCase("true");
                    List<Operation> ops = new ArrayList<>();
                    for (Operation op : a.operations()) {
                        ops.add(
                                compress
                                        ? new Operation(op.module(), op.parameters(), op.isCompressed(), true)
                                        : Operation.of(
                                                op.module(), op.decompressed().parameters()));
                    }
                    a = a.withOperations(ops).withSignatures(List.of());
                    hasSignatures = false;
                }
            }
            case "deloperation" -> {
                int n = w.size() == 2 && w.get(1).matches("[0-9]{1,4}") ? Integer.parseInt(w.get(1)) : -1;
                if (n < 0 || n >= a.operations().size()) {
                    c.refuse("error: <opnum> must be a positive integer between 0 and "
                            + (a.operations().size() - 1));
                } else {
                    List<Operation> ops = new ArrayList<>(a.operations());
                    ops.remove(n);
                    changed(a.withOperations(ops));
                }
            }
            case "details" -> {
                c.out.printf(
                        "ID       %d%nName     %s%nTarget   %s%nAuthor   %s <%s>%nRevision %d%nURL      %s%n"
                                + "Threat Type %s, Level %s, Family %s, Reference %s%n",
                        a.id(),
                        a.name(),
                        a.target(),
                        a.description().author(),
                        a.description().email(),
                        (long) a.description().revision(),
                        a.description().url(),
                        a.threat().type(),
                        a.threat().level(),
                        a.threat().family(),
                        a.threat().ref());
                StringBuilder ops = new StringBuilder(a.operations().size() + " operations: ");
                for (int i = 0; i < a.operations().size(); i++) {
                    ops.append(i)
                            .append('=')
                            .append(a.operations().get(i).module())
                            .append("; ");
                }
                c.out.println(ops);
            }
            case "exit" -> {
                c.out.println("exit");
                return false;
            }
            case "help" -> c.out.print(HELP);
            case "json" -> {
                boolean pack = w.size() > 1 && w.get(1).equals("pack");
                if (w.size() > 1 && !pack) {
                    c.refuse("Unknown option '" + w.get(1) + "'");
                }
                String json = GoJson.marshal(ActionReader.view(a));
                c.out.println(pack ? json : GoJson.indent(json, "  "));
            }
            case "launch" -> {
                return !launch(w);
            }
            case "listagents" -> {
                if (a.target().isEmpty()) {
                    c.out.println("A target string has not been set, use settarget first");
                } else {
                    c.out.println("----    ID      ---- + ----         Name         -------");
                    for (Agent agt : c.ctx.api().evaluateTarget(a.target())) {
                        c.seen.saw("agent", agt.id());
                        c.out.printf("%20d   %s%n", agt.id(), agt.name());
                    }
                }
            }
            case "load" -> load(w);
            case "sign" -> {
                if (!hasTimes) {
                    c.out.println("Times must be set prior to signing");
                } else {
                    sign();
                }
            }
            case "setname" -> {
                if (w.size() < 2) {
                    c.out.println("Wrong arguments. Must be 'setname <some_name>'");
                } else {
                    changed(rebuild(input.substring(input.indexOf(' ') + 1).strip(), a.target()));
                }
            }
            case "settarget" -> setTarget(w, input);
            case "settimes" -> setTimes(w);
            case "times" -> ActionReader.times(c, a);
            default -> c.refuse("Unknown order '" + w.get(0) + "'. You are in action launcher mode. Try `help`.");
        }
        return true;
    }

    private void addOperation(List<String> w) {
        if (w.size() != 2) {
            c.out.println("Wrong arguments. Expects 'addoperation <module_name>'\nexample: addoperation file");
            return;
        }
        String module = w.get(1);
        var m = Modules.get(module);
        if (m.isEmpty()) {
            c.out.println("Module " + module + " is not available in this console...");
            c.out.println("You can write your action by hand and import it using 'load <file>'");
            return;
        }
        if (!(m.get() instanceof HasParamsParser parser)) {
            c.out.println(module + " module does not provide a parameters creator.");
            c.out.println("You can write your action by hand and import it using 'load <file>'");
            return;
        }
        Optional<JsonNode> params = new ParamsBuilder(c, module, parser).build();
        if (params.isEmpty()) {
            return;
        }
        Operation op = new Operation(module, params.get(), false, compress);
        List<Operation> ops = new ArrayList<>(a.operations());
        ops.add(op);
        changed(a.withOperations(ops));
        c.out.println("Inserting " + module + " operation with parameters:\n"
                + GoJson.indent(GoJson.marshalInOrder(op), "  "));
    }

    private void setTarget(List<String> w, String input) throws ApiException {
        if (w.size() < 2) {
            c.out.println("Wrong arguments. Must be 'settarget <some_target_string>'");
            return;
        }
        String target =
                c.ctx.rc().resolveMacro(input.substring(input.indexOf(' ') + 1).strip());
        changed(rebuild(a.name(), target));
        targeted = c.ctx.api().evaluateTarget(target).size();
        c.out.println(targeted + " agents will be targetted. To get the list, use 'listagents'");
        hasEvaluatedTarget = true;
    }

    private void setTimes(List<String> w) throws ConsoleException {
        if (w.size() != 3) {
            c.out.println("Invalid times. Expects settimes <start> <stop>\nexamples:\n"
                    + "settimes 2014-06-30T12:00:00.0Z 2014-06-30T14:00:00.0Z\nsettimes now +60m");
            return;
        }
        if (w.get(1).equals("now")) {
            Duration period;
            try {
                period = GoDuration.parse(w.get(2).startsWith("+") ? w.get(2).substring(1) : w.get(2));
            } catch (IllegalArgumentException e) {
                throw new ConsoleException("Failed to parse duration '" + w.get(2) + "': " + e.getMessage());
            }
            Instant from = c.ctx.clock().instant().minusSeconds(60);
            changed(a.withTimes(from, from.plus(period).plusSeconds(60)));
        } else {
            changed(a.withTimes(time(w.get(1)), time(w.get(2))));
        }
        hasTimes = true;
    }

    private static Instant time(String s) throws ConsoleException {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new ConsoleException("Failed to parse time '" + s + "': use RFC 3339, e.g. 2014-06-30T12:00:00Z");
        }
    }

    private void load(List<String> w) throws ConsoleException {
        if (w.size() != 2) {
            c.out.println("Wrong arguments. Expects 'load <path_to_file>'");
            return;
        }
        try {
            a = GoJson.unmarshal(Files.readString(Path.of(w.get(1))), Action.class);
        } catch (IOException e) {
            throw new ConsoleException("error: cannot read " + w.get(1) + ": " + e.getMessage());
        }
        if (a.operations() == null) {
            a = a.withOperations(List.of());
        }
        hasTimes = !a.validFrom().equals(GoTime.ZERO);
        hasSignatures = a.pgpSignatures() != null && !a.pgpSignatures().isEmpty();
        hasEvaluatedTarget = false;
        c.out.println("Loaded action '" + a.name() + "' from " + w.get(1));
    }

    private void sign() {
        List<Operation> ops = new ArrayList<>();
        for (Operation op : a.operations()) {
            ops.add(op.wantCompressed() && !op.isCompressed() ? op.compressed() : op);
        }
        a = c.ctx.sign(a.withOperations(ops));
        hasSignatures = true;
    }

    /** Returns true when the launcher should close (launched). */
    private boolean launch(List<String> w) throws Exception {
        boolean follow = true;
        if (w.size() > 1) {
            if (w.get(1).equals("nofollow")) {
                follow = false;
            } else {
                c.refuse("Unknown option '" + w.get(1) + "'");
            }
        }
        if (a.name().isEmpty()) {
            c.out.println("Action has no name. Define one using 'setname <name>'");
            return false;
        }
        if (a.target().isEmpty()) {
            c.out.println("Action has no target. Define one using 'settarget <target>'");
            return false;
        }
        if (a.operations().isEmpty()) {
            c.out.println("Action has no operation. Add one using 'addoperation <module>'");
            return false;
        }
        if (!hasEvaluatedTarget || targeted == 0) {
            targeted = c.ctx.api().evaluateTarget(a.target()).size();
            if (targeted == 0) {
                c.refuse("0 agents match this target. launch aborted");
                return false;
            }
            c.out.printf("%d agents will be targeted by search \"%s\"%n", targeted, a.target());
            if (!c.ask("continue? (y/n)> ").equals("y")) {
                c.out.println("launch aborted");
                return false;
            }
        }
        if (!hasTimes) {
            c.out.println("Times are not defined. Setting validity from now until +" + DEFAULT_EXPIRATION);
            Instant from = c.ctx.clock().instant().minusSeconds(60);
            a = a.withTimes(
                    from, from.plus(GoDuration.parse(DEFAULT_EXPIRATION)).plusSeconds(60));
            hasTimes = true;
        }
        if (!hasSignatures) {
            sign();
        }
        Action posted = c.ctx.api().postAction(a);
        c.seen.saw("action", posted.id());
        c.out.printf(
                "Action '%s' successfully launched with ID '%d' on target '%s'%n",
                posted.name(), posted.id(), posted.target());
        if (follow) {
            ActionFollower follower = c.follower();
            try (Interrupts sigint = Interrupts.onSigint(follower::stop)) {
                follower.follow(posted, targeted);
            } finally {
                Thread.interrupted();
            }
            if (follower.stopped()) {
                c.out.println("stopped following; the agents may still be running");
            }
        }
        c.out.println();
        new ActionReader(c, posted.id()).run();
        return true;
    }

    /** A change to what is signed drops the signatures made so far. */
    private void changed(Action next) {
        a = next.withSignatures(List.of());
        hasSignatures = false;
    }

    private Action rebuild(String name, String target) {
        return a.withNameAndTarget(name, target);
    }

    static final String HELP = """
            The following orders are available:
            addoperation <module>	append a new operation of type <module> to the action operations
            compress <false|true>   request parameter compression in operations stored in action
            listagents		list agents targetted by an action
            deloperation <opnum>	remove operation numbered <opnum> from operations array, count starts at zero
            details			display the action details
            exit			exit this mode
            help			show this help
            json <pack>		show the json of the action
            launch <nofollow>	launch the action. to return before completion, add "nofollow"
            load <path>		load an action from a file at <path>
            setname <name>		set the name of the action
            settarget <target>	set the target
            settimes <start> <stop>	set the validity and expiration dates
            sign			PGP sign the action
            times			show the various timestamps of the action
            """;
}
