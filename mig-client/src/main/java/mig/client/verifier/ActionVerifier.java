package mig.client.verifier;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import mig.client.config.MigRc;
import mig.common.Action;
import mig.common.ActionSignatures;
import mig.common.ActionSignatures.ActionSignatureException;
import mig.common.Command;
import mig.common.InvalidActionException;
import mig.common.Version;
import mig.common.config.ConfigException;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import mig.common.pgp.Keyring;
import mig.common.pgp.PgpException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-action-verifier}: checks an action (or the action inside a command) the way the
 * original tool does: prints any validation problem (an expired action, say), then verifies every
 * signature against {@code <gpg home>/pubring.gpg} of the migrc and prints {@code Valid signature}.
 *
 * <p>Unlike the original, which printed the error and still exited 0, a bad signature, a tampered
 * action or an unknown key exits 1 with a message saying which. Usage errors exit 2, a missing or
 * unreadable migrc or keyring 3 (the codes of {@code mig}).
 */
@CommandLine.Command(
        name = "mig-action-verifier",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Mozilla InvestiGator Action Verifier",
        description = "Verify the signatures of an action *or* a command against the investigators' public keys.")
public final class ActionVerifier implements Callable<Integer> {

    static final int EXIT_OK = mig.client.cli.ExitCodes.OK;
    static final int EXIT_INVALID = mig.client.cli.ExitCodes.FAILED;
    static final int EXIT_USAGE = mig.client.cli.ExitCodes.USAGE;
    static final int EXIT_CONFIG = mig.client.cli.ExitCodes.CONFIG;

    @Option(
            names = {"-a", "--a"},
            paramLabel = "<action file>",
            description = "Load action from file")
    Path actionFile;

    @Option(
            names = {"-c", "--c"},
            paramLabel = "<command file>",
            description = "Load command from file")
    Path commandFile;

    @Option(
            names = {"-conf", "--conf"},
            paramLabel = "<migrc>",
            description = "Load configuration from file (default ~/.migrc); its [gpg] home holds pubring.gpg")
    Path conf;

    @Option(
            names = {"-k", "--keys"},
            paramLabel = "<key file>",
            description = "Armoured public key file or keyring to verify with (repeatable; then no migrc is needed)")
    List<Path> keyFiles = new ArrayList<>();

    @Option(
            names = {"-V", "--V"},
            description = "Show build version and exit")
    boolean showVersion;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit")
    boolean help;

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    ActionVerifier(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Clock.systemUTC()));
    }

    /** Runs the tool and returns its exit code (for tests and {@link #main}). */
    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        CommandLine cl = new CommandLine(new ActionVerifier(out, err, clock));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("[error] " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        if (showVersion) {
            out.println(Version.VERSION);
            return EXIT_OK;
        }
        if ((actionFile == null) == (commandFile == null)) {
            err.println("[error] either an action file or a command file must be provided");
            new CommandLine(this).usage(err);
            return EXIT_USAGE;
        }
        Action action;
        try {
            action = actionFile != null
                    ? GoJson.unmarshal(readFile(actionFile), Action.class)
                    : GoJson.unmarshal(readFile(commandFile), Command.class).action();
        } catch (GoJsonException | IllegalArgumentException e) {
            err.println("[error] " + e.getMessage());
            return EXIT_USAGE;
        }
        Keyring keyring;
        try {
            keyring = loadKeyring();
        } catch (ConfigException | PgpException | IllegalArgumentException e) {
            err.println("[error] " + e.getMessage());
            return EXIT_CONFIG;
        }
        try {
            // the syntax version is not signed: the client sets it when it posts the action, so an
            // action signed for a co-signer or a later launch (mig -s, mig-action-generator
            // -nolaunch) has none yet, and that is no defect to report beside its signature
            Action checked = action.syntaxVersion() != 0
                    ? action
                    : new Action(
                            action.id(),
                            action.name(),
                            action.target(),
                            action.description(),
                            action.threat(),
                            action.validFrom(),
                            action.expireAfter(),
                            action.operations(),
                            action.pgpSignatures(),
                            action.investigators(),
                            action.status(),
                            action.startTime(),
                            action.finishTime(),
                            action.lastUpdateTime(),
                            action.counters(),
                            Action.SYNTAX_VERSION);
            checked.validate(clock.instant());
        } catch (InvalidActionException e) {
            out.println(e.getMessage());
        }
        try {
            List<String> signers = ActionSignatures.verify(action, keyring);
            out.println("Valid signature");
            for (String fp : signers) {
                err.println("signed by " + fp);
            }
            return EXIT_OK;
        } catch (ActionSignatureException e) {
            out.println("[error] " + e.getMessage());
            return EXIT_INVALID;
        }
    }

    private Keyring loadKeyring() throws PgpException {
        Keyring keyring = Keyring.empty();
        for (Path k : keyFiles) {
            keyring = keyring.merge(Keyring.fromFile(k));
        }
        if (!keyFiles.isEmpty() && conf == null) {
            return keyring;
        }
        MigRc rc = MigRc.read(conf != null ? conf : MigRc.defaultPath());
        Path pubring = rc.pubring()
                .orElseThrow(() -> new ConfigException(
                        rc.source() + ": [gpg] home is not set; it must name the folder that holds pubring.gpg"));
        if (!Files.isRegularFile(pubring)) {
            throw new ConfigException(
                    "public keyring " + pubring + " not found (GnuPG 2.1+ users: " + "gpg --export > " + pubring + ")");
        }
        return keyring.merge(Keyring.fromFile(pubring));
    }

    private static String readFile(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
