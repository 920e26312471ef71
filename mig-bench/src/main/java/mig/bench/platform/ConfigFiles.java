package mig.bench.platform;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import mig.common.config.GoDuration;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;

/**
 * Writes the original's configuration files for MIG programs started as child JVMs by a bench or a
 * fault test ({@code api.cfg}, {@code scheduler.cfg}, {@code mig-agent.cfg} with its ACL and key
 * folder), pointed at a test database and vhost. Each file is what an operator would write: the
 * programs read them with their own parsers.
 */
public final class ConfigFiles {

    private ConfigFiles() {}

    /** Where a database is, as {@code [postgres]} wants it. */
    public record Postgres(String host, int port, String dbName, String user, String password, int maxConn) {

        public static Postgres of(TestDatabase tdb, int maxConn) {
            return new Postgres(tdb.host(), tdb.port(), tdb.name(), tdb.user(), tdb.password(), maxConn);
        }
    }

    /** Where the relay is, as {@code [mq]} wants it. */
    public record Mq(String host, int port, String user, String pass, String vhost) {

        public static Mq of(TestBroker broker) {
            return new Mq(broker.host(), broker.port(), broker.user(), broker.password(), broker.vhost());
        }

        /** The same relay reached through another port (a proxy on 127.0.0.1). */
        public Mq viaPort(int proxyPort) {
            return new Mq("127.0.0.1", proxyPort, user, pass, vhost);
        }
    }

    /** A free TCP port on 127.0.0.1 (free now; taken by whoever binds it first). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * {@code api.cfg}: 127.0.0.1:{@code port}, authentication on, logging to stdout at {@code level},
     * no per-address heartbeat limit: the simulated fleet heartbeats from 127.0.0.1 alone, up to
     * thousands a second at registration, which no real NAT address sends.
     */
    public static Path api(Path file, int port, Postgres pg, String level) throws IOException {
        String text = "[authentication]\n    enabled = on\n    tokenduration = 10m\n"
                + "[server]\n    ip = \"127.0.0.1\"\n    port = " + port + "\n"
                + "    host = \"http://localhost:" + port + "\"\n    baseroute = \"/api/v1\"\n"
                + "[heartbeats]\n    peraddress = 0\n"
                + postgres(pg) + logging(level);
        return write(file, text);
    }

    /**
     * {@code scheduler.cfg}: agents' heartbeat every {@code heartbeatFreq}, the safety poll every
     * {@code pollFreq}, the periodic job every {@code periodicFreq}.
     */
    public static Path scheduler(
            Path file,
            Postgres pg,
            Mq mq,
            Duration heartbeatFreq,
            Duration pollFreq,
            Duration periodicFreq,
            String level)
            throws IOException {
        String text = "[agent]\n    timeout = \"20m\"\n    heartbeatfreq = \"" + GoDuration.format(heartbeatFreq)
                + "\"\n"
                + "[collector]\n    freq = \"" + GoDuration.format(pollFreq) + "\"\n"
                + "[periodic]\n    freq = \"" + GoDuration.format(periodicFreq) + "\"\n"
                + postgres(pg)
                + "[mq]\n    host = " + quote(mq.host()) + "\n    port = " + mq.port() + "\n    user = "
                + quote(mq.user()) + "\n    pass = " + quote(mq.pass()) + "\n    vhost = " + quote(mq.vhost()) + "\n"
                + "    timeout = \"60s\"\n"
                + logging(level);
        return write(file, text);
    }

    /**
     * An agent's configuration folder: {@code mig-agent.cfg} (relay, API, a stat socket on a free
     * port, heartbeat and module timeout), {@code acl.cfg} and {@code agentkeys/<name>.asc} trusting {@code investigator}.
     *
     * @return the {@code mig-agent.cfg} file
     */
    public static Path agent(
            Path confDir, String relayUri, String apiUrl, Duration heartbeatFreq, Investigator investigator)
            throws IOException {
        Files.createDirectories(confDir.resolve("agentkeys"));
        write(confDir.resolve("acl.cfg"), investigator.aclJson());
        write(
                confDir.resolve("agentkeys").resolve(investigator.name() + ".asc"),
                investigator.key().armoredPublicKey());
        String text = "[agent]\n    relay = " + quote(relayUri) + "\n    api = " + quote(apiUrl) + "\n"
                + "    socket = \"127.0.0.1:" + freePort() + "\"\n"
                + "    heartbeatfreq = \"" + GoDuration.format(heartbeatFreq) + "\"\n"
                + "    moduletimeout = \"300s\"\n    discoverpublicip = on\n    refreshenv = \"\"\n"
                + "[logging]\n    mode = \"stdout\"\n    level = \"info\"\n";
        return write(confDir.resolve("mig-agent.cfg"), text);
    }

    private static String postgres(Postgres pg) {
        return "[postgres]\n    host = " + quote(pg.host()) + "\n    port = " + pg.port() + "\n    dbname = "
                + quote(pg.dbName()) + "\n    user = " + quote(pg.user()) + "\n    password = " + quote(pg.password())
                + "\n    sslmode = \"disable\"\n    maxconn = " + pg.maxConn() + "\n";
    }

    private static String logging(String level) {
        return "[logging]\n    mode = \"stdout\"\n    level = " + quote(level) + "\n";
    }

    /** A gcfg string: double quotes, with {@code "} and {@code \} escaped. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
