package mig.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import mig.client.config.ClientContext;
import mig.client.config.MigRc;
import mig.common.Version;
import mig.common.cli.GoCli;
import mig.common.config.ConfigException;
import mig.common.logging.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-runner -c /etc/mig/runner.cfg}: runs scheduled MIG actions and hands their results to
 * output plugins until stopped (SIGINT or SIGTERM). Flags and exit status 9 on a bad configuration
 * are the original's.
 */
public final class RunnerMain {
    private RunnerMain() {}

    @CommandLine.Command(name = "mig-runner")
    static final class Flags {
        @Option(
                names = {"-c", "--c"},
                description = "Load configuration from file")
        String c = "/etc/mig/runner.cfg";

        @Option(
                names = {"-V", "--V"},
                description = "Show build version and exit")
        boolean version;
    }

    public static void main(String[] args) throws InterruptedException {
        Flags flags = new Flags();
        CommandLine cl = GoCli.commandLine(flags);
        try {
            GoCli.parse(cl, List.of(args));
        } catch (GoCli.Failure e) {
            if (!e.help()) {
                System.err.println(e.getMessage());
            }
            System.err.print("Usage of mig-runner:\n" + GoCli.defaults(cl.getCommandSpec()));
            System.exit(e.help() ? 0 : 2);
        }
        if (flags.version) {
            System.out.println(Version.VERSION);
            System.exit(0);
        }
        Runner runner;
        try {
            runner = start(Path.of(flags.c), System.err);
        } catch (ConfigException | mig.client.signing.SigningException | IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(9);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            org.slf4j.LoggerFactory.getLogger("mig-runner").info("signal, exiting");
            runner.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Reads the configuration, sets up logging and the client, and starts the runner. */
    static Runner start(Path config, PrintStream err) throws IOException {
        RunnerConfig cfg = RunnerConfig.read(config);
        LogSetup.apply(cfg.logging(), "mig-runner");
        org.slf4j.LoggerFactory.getLogger("mig-runner").info("logging routine started");
        MigRc rc;
        try {
            rc = MigRc.read(cfg.clientConf());
        } catch (ConfigException e) {
            throw new ConfigException(config + ": [client] clientconfpath: " + e.getMessage(), e);
        }
        ClientContext client = new ClientContext(rc, "mig-runner", null, Clock.systemUTC(), cfg.passphrase());
        // load the key now: a wrong passphrase is a start-up error, not a failure at the first run
        client.signer();
        Runner runner = new Runner(cfg, client, Clock.systemUTC(), Duration.ofSeconds(5));
        runner.start();
        return runner;
    }
}
