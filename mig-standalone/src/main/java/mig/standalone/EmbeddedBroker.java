package mig.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;

/**
 * An AMQP 0-9-1 broker inside the demo process (Apache Qpid Broker-J) with one virtual host,
 * {@code mig}, as the original's relay has, and the guest login on 127.0.0.1 only. Queues live in
 * memory: after a restart the scheduler and agent declare them again.
 */
final class EmbeddedBroker implements AutoCloseable {

    private static final String CONFIG = "/mig/standalone/qpid-config.json";

    private final SystemLauncher launcher;
    private final int port;

    private EmbeddedBroker(SystemLauncher launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    static EmbeddedBroker start(Path workDir, int port) throws Exception {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("initial-config.json");
        try (InputStream in = EmbeddedBroker.class.getResourceAsStream(CONFIG)) {
            if (in == null) {
                throw new IllegalStateException("resource " + CONFIG + " is missing from the mig-standalone jar");
            }
            Files.copy(in, config, StandardCopyOption.REPLACE_EXISTING);
        }
        SystemLauncher launcher = new SystemLauncher();
        launcher.startup(Map.of(
                "type", "Memory",
                "initialConfigurationLocation", config.toUri().toString(),
                "startupLoggedToSystemOut", false,
                "context", Map.of(
                        "qpid.amqp_port", Integer.toString(port),
                        "qpid.work_dir", workDir.toString(),
                        "QPID_WORK", workDir.toString())));
        return new EmbeddedBroker(launcher, port);
    }

    /** The relay URI agents and the scheduler use: vhost {@code mig}. */
    String uri() {
        return "amqp://guest:guest@127.0.0.1:" + port + "/mig";
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        launcher.shutdown();
    }
}
