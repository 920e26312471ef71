package mig.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener.DefaultSystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.ConfiguredObject;
import org.apache.qpid.server.model.State;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.VirtualHost;
import org.apache.qpid.server.model.VirtualHostNode;

/**
 * Qpid Broker-J 10.1 running in this JVM, the broker of last resort when no RabbitMQ is around:
 * AMQP 0-9-1 on 127.0.0.1 at a free port, everything in memory, guest/guest over PLAIN. Its vhosts
 * are made at run time through Qpid's broker model (a Memory virtual host node per vhost), which is
 * in-process and takes milliseconds.
 */
final class EmbeddedQpid implements AutoCloseable {

    private static final String CONFIG_RESOURCE = "/mig/testkit/qpid-initial-config.json";
    private static final String MEMORY = "{\"type\":\"Memory\"}";

    private final SystemLauncher launcher;
    private final Broker<?> broker;
    private final int port;
    private final Path workDir;

    private EmbeddedQpid(SystemLauncher launcher, Broker<?> broker, int port, Path workDir) {
        this.launcher = launcher;
        this.broker = broker;
        this.port = port;
        this.workDir = workDir;
    }

    static EmbeddedQpid start() throws Exception {
        Path workDir = Files.createTempDirectory("mig-testkit-qpid");
        Path config = workDir.resolve("initial-config.json");
        try (InputStream in = EmbeddedQpid.class.getResourceAsStream(CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + CONFIG_RESOURCE + " is missing from mig-testkit");
            }
            Files.copy(in, config);
        }
        int port = freePort();
        AtomicReference<Broker<?>> broker = new AtomicReference<>();
        SystemLauncher launcher = new SystemLauncher(new DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> systemConfig) {
                broker.set((Broker<?>) systemConfig.getContainer());
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
        if (broker.get() == null) {
            launcher.shutdown();
            throw new IllegalStateException("Qpid started but never handed out its broker object");
        }
        return new EmbeddedQpid(launcher, broker.get(), port, workDir);
    }

    int port() {
        return port;
    }

    /** Makes and deletes vhosts in this broker. */
    VhostAdmin vhostAdmin() {
        return new VhostAdmin() {
            @Override
            public String description() {
                return "Qpid broker model";
            }

            @Override
            public int batchSize() {
                return 1;
            }

            @Override
            public void create(List<String> vhosts) throws IOException {
                for (String name : vhosts) {
                    createVhost(name);
                }
            }

            @Override
            public void delete(String vhost) {
                VirtualHostNode<?> node = broker.getChildByName(VirtualHostNode.class, vhost);
                if (node != null) {
                    node.delete();
                }
            }
        };
    }

    private void createVhost(String name) throws IOException {
        VirtualHostNode<?> node = broker.createChild(
                VirtualHostNode.class,
                Map.of(
                        ConfiguredObject.NAME, name,
                        ConfiguredObject.TYPE, "Memory",
                        VirtualHostNode.VIRTUALHOST_INITIAL_CONFIGURATION, MEMORY));
        VirtualHost<?> vhost = node.getVirtualHost();
        if (vhost == null || vhost.getState() != State.ACTIVE) {
            throw new IOException("Qpid made virtual host node " + name + " but its vhost is "
                    + (vhost == null ? "missing" : vhost.getState()));
        }
    }

    @Override
    public void close() {
        launcher.shutdown();
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Only a temp folder left behind.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
