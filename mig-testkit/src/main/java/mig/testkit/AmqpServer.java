package mig.testkit;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMQP 0-9-1 broker the tests of this JVM share, whichever {@link ServiceSource} provided it.
 * Tests ask it for a {@link TestBroker}, a vhost of their own; how vhosts are made depends on the
 * broker (management API, rabbitmqctl or Qpid's broker model) and is hidden here.
 */
public final class AmqpServer {

    private static final Logger log = LoggerFactory.getLogger(AmqpServer.class);

    private final ServiceOrigin origin;
    private final String description;
    private final AmqpEndpoint endpoint;
    private final VhostPool pool;
    private final AutoCloseable stopper;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread shutdownHook;

    private AmqpServer(
            ServiceOrigin origin, String description, AmqpEndpoint endpoint, VhostPool pool, AutoCloseable stopper) {
        this.origin = origin;
        this.description = description;
        this.endpoint = endpoint;
        this.pool = pool;
        this.stopper = stopper;
    }

    /**
     * Makes a first vhost with {@code admin} and logs in to it within {@code timeout}. That proves
     * both the login and that {@code admin} manages this very broker (a rabbitmqctl may talk to
     * another node); the vhost then serves the first test.
     *
     * @param stopper stops the broker on {@link #close()}, or null when it is not ours to stop
     */
    static AmqpServer open(
            ServiceOrigin origin,
            String what,
            AmqpEndpoint endpoint,
            VhostAdmin admin,
            Duration timeout,
            AutoCloseable stopper)
            throws IOException {
        VhostPool pool = new VhostPool(admin);
        String first = pool.take();
        try (Connection c = endpoint.connectionFactory(first, timeout).newConnection("mig-testkit-probe")) {
            String product = String.valueOf(c.getServerProperties().get("product"));
            String version = String.valueOf(c.getServerProperties().get("version"));
            pool.putBack(first);
            String description = what + " (" + product + " " + version + ") at " + endpoint.describe() + ", vhosts by "
                    + admin.description();
            AmqpServer server = new AmqpServer(origin, description, endpoint, pool, stopper);
            server.shutdownHook = ShutdownHooks.register("amqp", server::close);
            return server;
        } catch (IOException | TimeoutException e) {
            pool.release(first);
            pool.close();
            throw new IOException(
                    "cannot log in to vhost " + first + " at " + endpoint.describe() + " right after creating it with "
                            + admin.description() + ": " + e.getMessage(),
                    e);
        }
    }

    public ServiceOrigin origin() {
        return origin;
    }

    /** Which broker this is and how its vhosts are made, for logs. */
    public String description() {
        return description;
    }

    public String host() {
        return endpoint.host();
    }

    public int port() {
        return endpoint.port();
    }

    public String user() {
        return endpoint.user();
    }

    public String password() {
        return endpoint.password();
    }

    /** A fresh vhost for one test, with full permissions for {@link #user()}; close it to delete it. */
    public TestBroker newBroker() {
        try {
            return new TestBroker(endpoint, pool.take(), pool);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a test vhost on " + description + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the vhosts still around and stops the broker if this JVM started it. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ShutdownHooks.unregister(shutdownHook);
        pool.close();
        if (stopper != null) {
            try {
                stopper.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", description, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "AmqpServer[" + origin + ", " + description + "]";
    }
}
