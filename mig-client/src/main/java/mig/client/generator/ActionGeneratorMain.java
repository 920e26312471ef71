package mig.client.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import mig.client.api.ApiException;
import mig.client.cli.ExitCodes;
import mig.client.cli.MigMain;
import mig.client.cli.UsageException;
import mig.client.config.ClientContext;
import mig.client.config.MigRc;
import mig.client.signing.SigningException;
import mig.common.Action;
import mig.common.Operation;
import mig.common.Version;
import mig.common.cli.GoCli;
import mig.common.config.ConfigException;
import mig.common.config.GoDuration;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-action-generator -i <action.json>}: sets an action's validity window (and target),
 * signs it with the investigator's key and launches it, or with {@code -nolaunch} prints it for
 * someone else to launch. Flags and output are the original's.
 */
public final class ActionGeneratorMain {
    private static final String NO_FILE = "/path/to/file";
    private static final String NO_TARGET = "some.target.example.net";

    private ActionGeneratorMain() {}

    public static void main(String[] args) {
        int code = run(List.of(args), MigMain.Io.system());
        System.out.flush();
        System.exit(code);
    }

    /** The original's flags (Go's {@code flag} package rules, see {@link GoCli}). */
    @CommandLine.Command(name = "mig-action-generator")
    static final class Flags {
        @Option(
                names = {"-c", "--c"},
                description = "Load configuration from file")
        String c = MigRc.defaultPath().toString();

        @Option(
                names = {"-p", "--p"},
                description = "Print signed action in pretty JSON format")
        boolean p;

        @Option(
                names = {"-urlencode", "--urlencode"},
                description = "URL Encode marshalled JSON before printing it (implies '-p')")
        boolean urlencode;

        @Option(
                names = {"-i", "--i"},
                description = "Load action from file")
        String i = NO_FILE;

        @Option(
                names = {"-t", "--t"},
                description = "Set the target of the action")
        String t = NO_TARGET;

        @Option(
                names = {"-validfrom", "--validfrom"},
                description = "(optional) set an ISO8601 date the action will be valid from. If unset, use 'now'.")
        String validfrom = "now";

        @Option(
                names = {"-expireafter", "--expireafter"},
                description = "(optional) set a validity duration for the action. If unset, use '30m'.")
        String expireafter = "30m";

        @Option(
                names = {"-nolaunch", "--nolaunch"},
                description = "Don't launch the action. Print it and exit. (implies '-p')")
        boolean nolaunch;

        @Option(
                names = {"-V", "--V"},
                description = "Show build version and exit")
        boolean version;
    }

    public static int run(List<String> args, MigMain.Io io) {
        Flags flags = new Flags();
        CommandLine cl = GoCli.commandLine(flags);
        try {
            GoCli.parse(cl, args);
        } catch (GoCli.Failure e) {
            if (!e.help()) {
                io.err().println(e.getMessage());
            }
            io.err().print(usage(cl));
            return e.help() ? ExitCodes.OK : ExitCodes.USAGE;
        }
        if (flags.version) {
            io.out().println(Version.VERSION);
            return ExitCodes.OK;
        }
        try {
            return generate(flags, io);
        } catch (UsageException e) {
            io.err().println("ERROR: " + e.getMessage());
            io.err().print(usage(cl));
            return ExitCodes.USAGE;
        } catch (ConfigException | SigningException e) {
            io.err().println("FATAL: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (ApiException e) {
            io.err().println("FATAL: " + e.getMessage());
            return ExitCodes.of(e);
        }
    }

    private static int generate(Flags flags, MigMain.Io io) throws UsageException, ApiException {
        boolean nolaunch = flags.nolaunch;
        boolean pretty = flags.p || nolaunch;
        ClientContext ctx = new ClientContext(MigRc.read(Path.of(flags.c)), "generator", null, io.clock());
        if (flags.i.equals(NO_FILE)) {
            throw new UsageException("Missing action file");
        }
        Path file = Path.of(flags.i);
        Action a;
        try {
            a = GoJson.unmarshal(Files.readString(file), Action.class);
        } catch (IOException e) {
            throw new UsageException("cannot read action file " + file + ": " + e.getMessage());
        } catch (GoJsonException e) {
            throw new UsageException(file + " is not an action: " + e.getMessage());
        }
        Instant from;
        if (flags.validfrom.equals("now")) {
            from = ctx.clock().instant().minusSeconds(60);
        } else {
            try {
                from = OffsetDateTime.parse(flags.validfrom, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException e) {
                throw new UsageException(
                        "invalid -validfrom '" + flags.validfrom + "': use now or RFC 3339, e.g. 2017-02-10T14:15:31Z");
            }
        }
        Duration period;
        try {
            period = GoDuration.parse(flags.expireafter);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid -expireafter '" + flags.expireafter + "': " + e.getMessage());
        }
        a = a.withTimes(from, from.plus(period));
        if (!flags.t.equals(NO_TARGET)) {
            // a migrc macro (-t all) means what it means to mig; the original generator sent its name
            String target = ctx.rc().resolveMacro(flags.t);
            a = a.withNameAndTarget(a.name(), target);
        }
        if (a.operations() != null) {
            List<Operation> ops = new ArrayList<>();
            for (Operation op : a.operations()) {
                ops.add(op.wantCompressed() && !op.isCompressed() ? op.compressed() : op);
            }
            a = a.withOperations(ops);
        }
        a = ctx.sign(a);
        String json = GoJson.marshal(a);
        if (pretty) {
            json = GoJson.indent(json, "\t");
            io.out().println(json);
        }
        if (flags.urlencode) {
            String encoded = queryEscape(json);
            if (pretty) {
                io.out().println(encoded);
            }
        }
        if (!nolaunch) {
            Action posted = ctx.api().postAction(a);
            io.out().println("Successfully launched action " + posted.id());
        }
        return ExitCodes.OK;
    }

    /** Go's {@code url.QueryEscape}: unreserved characters kept, space as '+', the rest %XX. */
    static String queryEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int ch = x & 0xFF;
            if ((ch >= 'a' && ch <= 'z')
                    || (ch >= 'A' && ch <= 'Z')
                    || (ch >= '0' && ch <= '9')
                    || ch == '-'
                    || ch == '_'
                    || ch == '.'
                    || ch == '~') {
                b.append((char) ch);
            } else if (ch == ' ') {
                b.append('+');
            } else {
                b.append('%')
                        .append(Character.toUpperCase(Character.forDigit(ch >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(ch & 0xF, 16)));
            }
        }
        return b.toString();
    }

    private static String usage(CommandLine cl) {
        return "Mozilla InvestiGator Action Generator\nusage: mig-action-generator -i <input file>\n\n"
                + "Command line to generate and sign MIG Actions.\nConfiguration is read from ~/.migrc by default.\n\n"
                + "Options:\n" + GoCli.defaults(cl.getCommandSpec());
    }
}
