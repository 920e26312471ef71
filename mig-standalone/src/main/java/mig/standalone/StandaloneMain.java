package mig.standalone;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import mig.agent.trust.Trust;
import mig.common.Agent;
import mig.common.Version;
import mig.common.pgp.SecretKey;
import mig.database.AgentStore;
import mig.database.InvestigatorStore;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code mig-standalone}: the whole MIG platform in one process, like the original's
 * {@code docker run mozilla/mig} but without Docker: an embedded PostgreSQL and AMQP broker, the
 * API, the scheduler and one local agent, plus a demo investigator and a migrc. Prints what to
 * type next and runs until Ctrl-C, then stops everything it started.
 */
@CommandLine.Command(
        name = "mig-standalone",
        mixinStandardHelpOptions = true,
        versionProvider = StandaloneMain.V.class,
        description = "Run the whole MIG platform (API, scheduler, one agent, embedded PostgreSQL and AMQP broker) "
                + "in this process.")
public final class StandaloneMain implements Callable<Integer> {

    @Option(
            names = "--dir",
            paramLabel = "<folder>",
            description = "Demo folder: database, keys, agent trust " + "(default ~/.mig-standalone)")
    Path dir;

    @Option(
            names = "--api-port",
            paramLabel = "<port>",
            description = "API port (default 1664, or a free one if taken)")
    int apiPort = 1664;

    @Option(
            names = "--amqp-port",
            paramLabel = "<port>",
            description = "Broker port (default 5672, or a free one if " + "taken)")
    int amqpPort = 5672;

    @Option(
            names = "--migrc",
            paramLabel = "<file>",
            description = "Where to write the investigator's migrc "
                    + "(default ~/.migrc unless one exists that mig-standalone did not write)")
    Path migrc;

    @Option(names = "--heartbeat", paramLabel = "<seconds>", description = "Agent heartbeat period (default 30)")
    int heartbeatSeconds = 30;

    private final PrintStream out = System.out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // every component jar brings its own logback.xml; the demo uses its own, before any logger exists
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mig/standalone/logback-standalone.xml");
        }
        int code = new CommandLine(new StandaloneMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path home = userHome();
        Path demo = dir != null ? dir : home.resolve(".mig-standalone");
        // private: it holds the investigator's key, the database passwords and the PostgreSQL binaries;
        // a shared folder such as /tmp must not be made 0700 (nor used)
        if (Files.isDirectory(demo)
                && Files.getPosixFilePermissions(demo)
                        .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
            // the spec's command line, so the message goes where picocli prints its errors
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--dir " + demo + " is writable by every "
                            + "user; give the demo a folder of its own (it is made private: 0700)");
        }
        EmbeddedPostgres.privateDir(demo);
        System.setProperty(
                "mig.standalone.log", demo.resolve("mig-standalone.log").toString());
        if (heartbeatSeconds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--heartbeat must be at least 1 second");
        }
        int api = freeOr(apiPort);
        int amqp = freeOr(amqpPort);
        // the agent's stat socket keeps the original's fixed address (mig-agent -q finds it there);
        // when another agent holds it, the demo agent runs without one, and the banner says so
        boolean statSocketTaken = !free(STAT_SOCKET_PORT);

        DemoSetup setup = new DemoSetup(demo);
        SecretKey investigator = setup.investigatorKey();
        setup.writeAgentTrust(investigator);
        Trust trust = Trust.load(setup.aclFile(), setup.agentKeysDir(), false);

        EmbeddedPostgres pg = EmbeddedPostgres.start(demo, 0);
        EmbeddedBroker broker;
        Platform platform;
        try {
            broker = EmbeddedBroker.start(demo.resolve("qpid"), amqp);
        } catch (Exception e) {
            pg.close();
            throw e;
        }
        try {
            platform = Platform.start(new Platform.Settings(
                    pg.platformDatabase(10),
                    broker.uri(),
                    api,
                    trust.keyring(),
                    trust.acl(),
                    demo.resolve("agent-run"),
                    Duration.ofSeconds(heartbeatSeconds),
                    true));
        } catch (Exception e) {
            broker.close();
            pg.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println("\nstopping MIG standalone platform...");
                            // each part stops on its own: one failing (Qpid may already be stopping through its own
                            // hook) must not leave the next one running
                            quietly(platform);
                            quietly(broker);
                            quietly(pg);
                            out.println("stopped.");
                            stopped.countDown();
                        },
                        "mig-standalone-stop"));

        setup.register(new InvestigatorStore(platform.database().dataSource()), investigator.publicKey());
        Path rc = setup.writeMigrc(
                migrc != null ? migrc : home.resolve(".migrc"), platform.apiPort(), investigator.fingerprint());
        Agent agent = awaitAgent(new AgentStore(platform.database().dataSource()), Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - t0) / 1e9;

        out.printf("MIG standalone platform %s is running (ready in %.1f s)%n", Version.VERSION, seconds);
        out.printf(
                "  API           http://localhost:%d/api/v1/%s%n",
                platform.apiPort(), taken(apiPort, platform.apiPort(), "--api-port"));
        out.printf(
                "  relay         amqp://127.0.0.1:%d/mig (embedded Qpid Broker-J)%s%n",
                broker.port(), taken(amqpPort, broker.port(), "--amqp-port"));
        out.printf("  database      embedded PostgreSQL on port %d, data in %s%n", pg.port(), demo.resolve("pgdata"));
        out.printf(
                "  agent         %s (%s...)%n", agent.name(), agent.queueLoc().substring(0, 20));
        out.println("  stat socket   " + statSocket(platform, statSocketTaken));
        out.printf(
                "  investigator  %s %s, keys in %s%n",
                DemoSetup.NAME, investigator.fingerprint(), setup.investigatorHome());
        out.printf(
                "  web console   http://localhost:%d/ui/ (load %s)%n",
                platform.apiPort(), setup.investigatorHome().resolve("secring.gpg"));
        out.printf("  migrc         %s (macro 'all' = all online agents)%n", rc);
        out.printf("  log           %s%n", demo.resolve("mig-standalone.log"));
        String c = rc.equals(home.resolve(".migrc")) ? "" : " -c " + rc;
        out.println();
        out.println("From another terminal, try:");
        out.println("  bin/mig file" + c + " -t all -path /usr/bin -name '^ls$'");
        out.println("  bin/mig file" + c + " -t all -path /etc -content 'root' -name '^passwd$'");
        out.println("  bin/mig netstat" + c + " -t all -lp " + platform.apiPort());
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception | LinkageError e) {
            // stopping anyway; the log has the details
        }
    }

    /** {@code $HOME} when set (a scratch HOME works), else Java's idea of the user's home. */
    static Path userHome() {
        String env = System.getenv("HOME");
        return Path.of(env != null && !env.isBlank() ? env : System.getProperty("user.home"));
    }

    private static Agent awaitAgent(AgentStore agents, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Agent> online = agents.targeted("status='online'", 0);
            if (!online.isEmpty()) {
                return online.get(0);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(
                "the local agent did not send its heartbeat within " + timeout.toSeconds() + " s; see the log");
    }

    /** The agent's stat socket port, the original's default ({@code [agent] socket}). */
    static final int STAT_SOCKET_PORT = 51664;

    /** What the banner says of a port: nothing when it is the one asked for, else that it was taken. */
    static String taken(int asked, int got, String option) {
        return asked <= 0 || asked == got
                ? ""
                : " (port " + asked + " was taken, so another was picked; " + option + " chooses)";
    }

    /** The banner's stat socket line: where it listens, or that another process holds its port. */
    private static String statSocket(Platform platform, boolean takenBefore) throws InterruptedException {
        String address = "127.0.0.1:" + STAT_SOCKET_PORT;
        long deadline =
                System.nanoTime() + Duration.ofSeconds(takenBefore ? 0 : 2).toNanos();
        while (platform.agent().statSocketPort().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (platform.agent().statSocketPort().isPresent()) {
            return address + " (mig-agent -q pid)";
        }
        return address + " is held by another process (another mig-agent or mig-standalone?): this agent has"
                + " no stat socket, and mig-agent -q pid|shutdown reaches that process; the agent retries every 60 s";
    }

    /** Whether a port is free on loopback. */
    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** {@code preferred} if nothing listens there on loopback, else a free port. */
    static int freeOr(int preferred) throws IOException {
        if (preferred > 0) {
            try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                return preferred;
            } catch (IOException taken) {
                // fall through to a free port
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Version for {@code --version}. */
    static final class V implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.VERSION};
        }
    }
}
