package mig.testkit;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The built-in places a test AMQP broker comes from, in the order {@link ServiceResolver} tries them.
 * A RabbitMQ qualifies only if it takes our login and we can make vhosts on it.
 */
final class AmqpSources {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    static final AmqpEndpoint LOCAL = new AmqpEndpoint(false, "127.0.0.1", 5672, "guest", "guest");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private AmqpSources() {}

    /** The broker named by MIG_TEST_AMQP_URL; asked for explicitly, so any failure is an error. */
    static ServiceSource<AmqpServer> environment(AmqpEndpoint url) {
        return new SimpleSource<>("AMQP broker from " + TestSettings.AMQP_URL, () -> {
            try {
                return openRabbitMq(ServiceOrigin.ENVIRONMENT, "broker from " + TestSettings.AMQP_URL, url, TIMEOUT);
            } catch (ServiceSource.Unavailable e) {
                throw new IllegalStateException(
                        TestSettings.AMQP_URL + " points at " + url.describe() + " but " + e.getMessage()
                                + ". Fix the URL, or unset it to use a local or the embedded broker",
                        e);
            }
        });
    }

    /** A RabbitMQ on 127.0.0.1:5672 that lets guest/guest in. */
    static ServiceSource<AmqpServer> local() {
        return new SimpleSource<>(
                "local RabbitMQ on 127.0.0.1:5672",
                () -> openRabbitMq(ServiceOrigin.LOCAL, "local server", LOCAL, PROBE_TIMEOUT));
    }

    /** Qpid Broker-J in this JVM on a free port of 127.0.0.1. */
    static ServiceSource<AmqpServer> embedded() {
        return new SimpleSource<>("embedded Qpid Broker-J", () -> {
            EmbeddedQpid qpid;
            try {
                qpid = EmbeddedQpid.start();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "the embedded Qpid Broker-J did not start: " + e.getMessage() + "; set " + TestSettings.AMQP_URL
                                + " to a RabbitMQ instead",
                        e);
            }
            AmqpEndpoint endpoint = new AmqpEndpoint(false, "127.0.0.1", qpid.port(), "guest", "guest");
            try {
                return AmqpServer.open(
                        ServiceOrigin.EMBEDDED, "embedded server", endpoint, qpid.vhostAdmin(), TIMEOUT, qpid);
            } catch (IOException | RuntimeException e) {
                qpid.close();
                throw new IllegalStateException("the embedded Qpid Broker-J started but " + e.getMessage(), e);
            }
        });
    }

    private static AmqpServer openRabbitMq(ServiceOrigin origin, String what, AmqpEndpoint endpoint, Duration timeout)
            throws ServiceSource.Unavailable {
        String product;
        try (Connection c = endpoint.connectionFactory("/", timeout).newConnection("mig-testkit-probe")) {
            product = String.valueOf(c.getServerProperties().get("product"));
        } catch (IOException | TimeoutException e) {
            throw new ServiceSource.Unavailable("logging in to vhost / failed: " + describe(e), e);
        }
        if (!product.equals("RabbitMQ")) {
            throw new ServiceSource.Unavailable("it is " + product + ", and per-test vhosts are only made on RabbitMQ");
        }
        VhostAdmin admin = VhostAdmin.forRabbitMq(endpoint)
                .orElseThrow(() -> new ServiceSource.Unavailable(
                        "it takes the login, but per-test vhosts cannot be made: enable the rabbitmq_management plugin"
                                + " (port 15672) or, for a broker on this machine, let this user run rabbitmqctl"));
        try {
            // the login probe is quick; making the first vhosts may take longer on a busy machine
            return AmqpServer.open(origin, what, endpoint, admin, TIMEOUT, null);
        } catch (IOException e) {
            throw new ServiceSource.Unavailable(e.getMessage(), e);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
