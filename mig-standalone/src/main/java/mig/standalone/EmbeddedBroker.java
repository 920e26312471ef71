package mig.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.SystemConfig;
import org.slf4j.LoggerFactory;

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
        AtomicReference<SystemConfig<?>> system = new AtomicReference<>();
        SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> config) {
                system.set(config);
            }
        });
        launcher.startup(Map.of(
                "type",
                "Memory",
                "initialConfigurationLocation",
                config.toUri().toString(),
                "startupLoggedToSystemOut",
                false,
                "context",
                Map.of(
                        "qpid.amqp_port", Integer.toString(port),
                        "qpid.work_dir", workDir.toString(),
                        "QPID_WORK", workDir.toString())));
        dropQpidShutdownHook(system.get());
        return new EmbeddedBroker(launcher, port);
    }

    /**
     * Qpid's broker adds its own JVM shutdown hook, which runs beside mig-standalone's on Ctrl-C:
     * it closed the broker under the still running scheduler and agent (their "connection lost"
     * warnings) and then our {@link #close()} found Qpid's task executor stopped, which Qpid logs as
     * {@code ERROR TaskExecutorImpl ... not in ACTIVE state} on every stop. Without that hook, ours
     * stops everything in order: platform, broker, database. Qpid offers no setting for it, so the
     * hook is read from the broker; should a later Qpid rename the field, the stop is only noisy again.
     */
    private static void dropQpidShutdownHook(SystemConfig<?> system) {
        try {
            Object broker = system == null ? null : system.getContainer();
            if (broker == null) {
                return;
            }
            Field f = Class.forName("org.apache.qpid.server.model.BrokerImpl").getDeclaredField("_shutdownHook");
            f.setAccessible(true);
            Runtime.getRuntime().removeShutdownHook((Thread) f.get(broker));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(EmbeddedBroker.class).debug("Qpid's shutdown hook stays: {}", e.toString());
        }
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
