package mig.testkit;

import java.util.HashMap;
import java.util.Map;

/**
 * The test services of this JVM, for code that is not a JUnit test (benchmarks, a demo main) and
 * for {@link MigServices}. Settings come from the environment, and a system property overrides its
 * variable, which is handy from Maven ({@code mvn -Dmig.test.pg=embedded ...}):
 * <ul>
 *   <li>{@code MIG_TEST_PG_URL} / {@code mig.test.pg.url}: a JDBC URL of the server to use</li>
 *   <li>{@code MIG_TEST_AMQP_URL} / {@code mig.test.amqp.url}: an amqp:// URI of the RabbitMQ to use
 *       (a vhost in it is ignored: each test gets its own)</li>
 *   <li>{@code MIG_TEST_PG} / {@code mig.test.pg} = {@code embedded}: always start zonky</li>
 *   <li>{@code MIG_TEST_AMQP} / {@code mig.test.amqp} = {@code embedded}: always start Qpid</li>
 * </ul>
 * What was started here stops in a JVM shutdown hook.
 */
public final class TestServices {

    private static final Map<String, String> PROPERTIES = Map.of(
            "mig.test.pg", TestSettings.PG,
            "mig.test.pg.url", TestSettings.PG_URL,
            "mig.test.amqp", TestSettings.AMQP,
            "mig.test.amqp.url", TestSettings.AMQP_URL);

    private static ServiceResolver shared;

    private TestServices() {}

    /** The PostgreSQL server of this JVM, found or started on first use; ask it for databases. */
    public static PostgresServer postgres() {
        return shared().postgres();
    }

    /** The AMQP broker of this JVM, found or started on first use; ask it for vhosts. */
    public static AmqpServer amqp() {
        return shared().amqp();
    }

    /** The environment with the system properties laid over it. */
    static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>(System.getenv());
        PROPERTIES.forEach((property, variable) -> {
            String value = System.getProperty(property);
            if (value != null) {
                settings.put(variable, value);
            }
        });
        return settings;
    }

    private static synchronized ServiceResolver shared() {
        if (shared == null) {
            shared = ServiceResolver.resolve(settings());
        }
        return shared;
    }
}
