package mig.api;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import mig.common.Version;
import mig.common.cli.GoCli;
import mig.common.config.ConfigException;
import mig.common.logging.LogSetup;
import mig.database.DatabaseException;
import mig.database.MigDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-api [-c /etc/mig/api.cfg] [-d] [-V]}: reads the configuration, opens the database
 * (applying pending migrations when the configured user may) and serves the API until stopped. Other programs (tests, the standalone platform)
 * call {@link #start} to run it in-process.
 */
public final class ApiMain {
    private static final Logger LOG = LoggerFactory.getLogger(ApiMain.class);
    static final String DEFAULT_CONFIG = "/etc/mig/api.cfg";
    static final String USAGE = "usage: mig-api [-c <config file, default " + DEFAULT_CONFIG + ">] [-d (debug: log to "
            + "stdout at debug level)] [-V (print the version and exit)]";

    private ApiMain() {}

    /** Runs the API in-process over an open database; close the returned server to stop it. */
    public static ApiServer start(ApiConfig config, MigDatabase db) {
        return ApiServer.start(config, db);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The flags (Go's {@code flag} package rules, see {@link GoCli}). */
    @CommandLine.Command(name = "mig-api")
    static final class Flags {
        @Option(names = {"-c", "--c"})
        String config = DEFAULT_CONFIG;

        @Option(names = {"-d", "--d"})
        boolean debug;

        @Option(names = {"-V", "--V"})
        boolean version;
    }

    /** The command line, returning the exit status (0 stopped cleanly, 2 usage, 9 could not start). */
    static int run(String[] args) {
        Flags flags = new Flags();
        try {
            List<String> rest = GoCli.parse(GoCli.commandLine(flags), List.of(args));
            if (!rest.isEmpty()) {
                System.err.println("unknown argument '" + rest.get(0) + "'\n" + USAGE);
                return 2;
            }
        } catch (GoCli.Failure e) {
            if (e.help()) {
                System.err.println(USAGE);
                return 0;
            }
            System.err.println(
                    (e.argument() != null ? "unknown argument '" + e.argument() + "'" : e.getMessage()) + "\n" + USAGE);
            return 2;
        }
        if (flags.version) {
            System.out.println(Version.VERSION);
            return 0;
        }
        Path configFile = Path.of(flags.config);
        boolean debug = flags.debug;
        ApiConfig config;
        try {
            config = ApiConfig.load(configFile);
        } catch (ConfigException e) {
            System.err.println("FATAL: " + e.getMessage());
            return 9;
        }
        LogSetup.apply(debug ? config.logging().debug() : config.logging(), "mig-api");
        MigDatabase db;
        try {
            db = MigDatabase.open(config.postgres(), "mig-api");
        } catch (DatabaseException e) {
            LOG.error("cannot use the database: {}; check [postgres] in {}", e.getMessage(), configFile);
            return 9;
        }
        try {
            db.migrate();
        } catch (org.flywaydb.core.api.FlywayException e) {
            // The original's migapi role may not change the schema: then an administrator applies it.
            LOG.warn(
                    "could not bring the database schema up to date as user '{}' ({}); continuing with the schema "
                            + "as it is",
                    config.postgres().user(),
                    e.getMessage());
        }
        ApiServer server;
        try {
            server = start(config, db);
        } catch (RuntimeException e) {
            LOG.error("{}", e.getMessage());
            db.close();
            return 9;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("stopping the MIG API");
                            server.close();
                            db.close();
                            stopped.countDown();
                        },
                        "mig-api-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
