package mig.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where the test PostgreSQL and AMQP broker come from, once, on first use, and keeps them.
 * The order is the project's rule: what the environment names, else a server on 127.0.0.1 that
 * takes a real login, else one started in this JVM. Each service is resolved separately, so a test
 * that needs only a database never starts a broker.
 *
 * <p>Testcontainers would be one more {@link ServiceSource} in {@link #postgresSources} and
 * {@link #amqpSources}, between the local and the embedded one. It is left out because no Docker
 * engine runs on the project's machines or in CI.
 *
 * <p>{@link TestServices} holds the one resolver of a test JVM, built from the real environment;
 * build one here from an explicit map to test the resolution itself.
 */
public final class ServiceResolver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceResolver.class);

    private final Once<PostgresServer> postgres;
    private final Once<AmqpServer> amqp;

    /** A resolver that will try the sources in list order. */
    public ServiceResolver(
            List<? extends ServiceSource<PostgresServer>> postgresSources,
            List<? extends ServiceSource<AmqpServer>> amqpSources) {
        this.postgres = new Once<>(
                () -> first("PostgreSQL", postgresSources, PostgresServer::description), PostgresServer::close);
        this.amqp = new Once<>(() -> first("AMQP broker", amqpSources, AmqpServer::description), AmqpServer::close);
    }

    /**
     * A resolver for the settings in {@code env}: {@code MIG_TEST_PG_URL}, {@code MIG_TEST_AMQP_URL},
     * and {@code MIG_TEST_PG} / {@code MIG_TEST_AMQP} set to {@code embedded}. Nothing is started yet.
     *
     * @throws IllegalArgumentException when a setting is malformed; the message names the variable
     */
    public static ServiceResolver resolve(Map<String, String> env) {
        TestSettings settings = TestSettings.from(env);
        return new ServiceResolver(postgresSources(settings), amqpSources(settings));
    }

    static List<ServiceSource<PostgresServer>> postgresSources(TestSettings settings) {
        if (settings.forcePostgresEmbedded()) {
            return List.of(PostgresSources.embedded());
        }
        if (settings.postgresUrl().isPresent()) {
            return List.of(PostgresSources.environment(settings.postgresUrl().get()));
        }
        // A Testcontainers source would go between these two.
        return List.of(PostgresSources.local(), PostgresSources.embedded());
    }

    static List<ServiceSource<AmqpServer>> amqpSources(TestSettings settings) {
        if (settings.forceAmqpEmbedded()) {
            return List.of(AmqpSources.embedded());
        }
        if (settings.amqpUrl().isPresent()) {
            return List.of(AmqpSources.environment(settings.amqpUrl().get()));
        }
        // A Testcontainers source would go between these two.
        return List.of(AmqpSources.local(), AmqpSources.embedded());
    }

    /** The PostgreSQL server, found or started on the first call. Thread-safe. */
    public PostgresServer postgres() {
        return postgres.get();
    }

    /** The AMQP broker, found or started on the first call. Thread-safe. */
    public AmqpServer amqp() {
        return amqp.get();
    }

    /** Stops what this resolver started and deletes its leftover vhosts; found servers stay up. */
    @Override
    public void close() {
        amqp.close();
        postgres.close();
    }

    private static <S> S first(String kind, List<? extends ServiceSource<S>> sources, Function<S, String> describe) {
        List<String> skipped = new ArrayList<>();
        for (ServiceSource<S> source : sources) {
            long start = System.nanoTime();
            try {
                S server = source.open();
                long millis = (System.nanoTime() - start) / 1_000_000;
                log.info(
                        "{} for tests: {}, ready in {} ms{}",
                        kind,
                        describe.apply(server),
                        millis,
                        skipped.isEmpty() ? "" : " (skipped: " + String.join("; ", skipped) + ")");
                return server;
            } catch (ServiceSource.Unavailable e) {
                skipped.add(source.description() + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("no " + kind + " for tests: " + String.join("; ", skipped));
    }

    /** A value computed on first use by one thread, failure included, and disposed of on close. */
    private static final class Once<T> {
        private final Supplier<T> compute;
        private final Consumer<T> dispose;
        private T value;
        private RuntimeException failure;
        private boolean closed;

        Once(Supplier<T> compute, Consumer<T> dispose) {
            this.compute = compute;
            this.dispose = dispose;
        }

        synchronized T get() {
            if (closed) {
                throw new IllegalStateException("the test services were already closed");
            }
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            if (value == null) {
                try {
                    value = compute.get();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return value;
        }

        synchronized void close() {
            closed = true;
            if (value != null) {
                dispose.accept(value);
            }
        }
    }
}
