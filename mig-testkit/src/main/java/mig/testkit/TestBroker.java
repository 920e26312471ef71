package mig.testkit;

import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An AMQP virtual host of one's own for one test. MIG's exchange names are fixed ({@code toagents},
 * {@code toschedulers}), so unique names cannot keep tests apart; a fresh vhost can, down to the
 * exchange flags. {@link #close()} deletes the vhost with its exchanges, queues and messages.
 */
public final class TestBroker implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final AmqpEndpoint endpoint;
    private final String vhost;
    private final VhostPool pool;
    private final AtomicBoolean closed = new AtomicBoolean();

    TestBroker(AmqpEndpoint endpoint, String vhost, VhostPool pool) {
        this.endpoint = endpoint;
        this.vhost = vhost;
        this.pool = pool;
    }

    /** {@code amqp://USER:PASSWORD@HOST:PORT/VHOST}, each part URL-encoded, as MIG's config takes it. */
    public String uri() {
        return endpoint.uri(vhost);
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

    /** The vhost name, {@code mig_test_} and 16 random hex digits. */
    public String vhost() {
        return vhost;
    }

    /** A new factory for connections to this vhost (10 s connect and handshake timeouts). */
    public ConnectionFactory connectionFactory() {
        return endpoint.connectionFactory(vhost, CONNECT_TIMEOUT);
    }

    /** Deletes the vhost (in the background: the next test gets another one anyway). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.release(vhost);
        }
    }

    @Override
    public String toString() {
        return "TestBroker[" + endpoint.describe() + ", vhost " + vhost + "]";
    }
}
