package mig.scheduler;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import mig.common.Version;
import mig.common.config.ConfigException;
import mig.common.logging.LogSetup;
import mig.database.DatabaseException;
import mig.database.MigDatabase;
import mig.scheduler.config.SchedulerConfigFile;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-scheduler}: reads {@code scheduler.cfg} (flag {@code -c}, default
 * {@code /etc/mig/scheduler.cfg}), connects to PostgreSQL and the relay, and runs
 * {@link Scheduler} until stopped (SIGTERM, Ctrl-C). {@code -d} logs at debug level, {@code -V}
 * prints the version. A configuration or connection problem exits 9, as the original's
 * {@code FATAL} start failures do; a usage error exits 2.
 */
@CommandLine.Command(
        name = "mig-scheduler",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "MIG scheduler: turns actions into commands for agents, collects results, tracks agents.")
public final class SchedulerMain implements Callable<Integer> {

    static final int EXIT_FATAL = 9;

    @Option(
            names = {"-c", "--c"},
            paramLabel = "<file>",
            description = "Load configuration from file " + "(default /etc/mig/scheduler.cfg)")
    Path config = Path.of("/etc/mig/scheduler.cfg");

    @Option(
            names = {"-d", "--d"},
            description = "Log at debug level on stdout (overrides [logging])")
    boolean debug;

    @Option(
            names = {"-V", "--V"},
            description = "Show build version and exit")
    boolean showVersion;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit")
    boolean help;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SchedulerMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        if (showVersion) {
            System.out.println(Version.VERSION);
            return 0;
        }
        SchedulerConfigFile cfg;
        try {
            cfg = SchedulerConfigFile.read(config);
        } catch (ConfigException e) {
            System.err.println("FATAL: " + e.getMessage());
            return EXIT_FATAL;
        }
        LogSetup.apply(debug ? cfg.logging().debug() : cfg.logging(), "mig-scheduler");
        MigDatabase db;
        Scheduler scheduler;
        try {
            db = MigDatabase.open(cfg.postgres(), "mig-scheduler");
        } catch (DatabaseException e) {
            System.err.println("FATAL: " + e.getMessage() + "; check [postgres] in " + config);
            return EXIT_FATAL;
        }
        try {
            scheduler = Scheduler.start(cfg.scheduler(), db, cfg.mq().connectionFactory());
        } catch (SchedulerException | DatabaseException | ConfigException e) {
            System.err.println("FATAL: " + e.getMessage());
            db.close();
            return EXIT_FATAL;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            scheduler.close();
                            db.close();
                            stopped.countDown();
                        },
                        "mig-scheduler-shutdown"));
        stopped.await();
        return 0;
    }
}
