package mig.testkit;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The test-service settings read from the environment, checked once so a typo fails the first test
 * with a message naming the variable instead of silently falling back to another server.
 *
 * @param forcePostgresEmbedded {@code MIG_TEST_PG=embedded}: skip every other PostgreSQL source
 * @param postgresUrl {@code MIG_TEST_PG_URL}: the PostgreSQL server to use, if set
 * @param forceAmqpEmbedded {@code MIG_TEST_AMQP=embedded}: skip every other broker source
 * @param amqpUrl {@code MIG_TEST_AMQP_URL}: the broker to use, if set
 */
record TestSettings(
        boolean forcePostgresEmbedded,
        Optional<PgEndpoint> postgresUrl,
        boolean forceAmqpEmbedded,
        Optional<AmqpEndpoint> amqpUrl) {

    static final String PG = "MIG_TEST_PG";
    static final String PG_URL = "MIG_TEST_PG_URL";
    static final String AMQP = "MIG_TEST_AMQP";
    static final String AMQP_URL = "MIG_TEST_AMQP_URL";

    /** Reads the four variables from {@code env}; unknown keys are ignored. */
    static TestSettings from(Map<String, String> env) {
        return new TestSettings(
                embedded(env, PG),
                value(env, PG_URL).map(v -> PgEndpoint.parse(v, PG_URL)),
                embedded(env, AMQP),
                value(env, AMQP_URL).map(v -> AmqpEndpoint.parse(v, AMQP_URL)));
    }

    private static boolean embedded(Map<String, String> env, String variable) {
        Optional<String> mode = value(env, variable);
        if (mode.isEmpty()) {
            return false;
        }
        if (mode.get().toLowerCase(Locale.ROOT).equals("embedded")) {
            return true;
        }
        throw new IllegalArgumentException(variable + "='" + mode.get() + "' is not understood: set it to"
                + " 'embedded' to force the in-process server, or leave it unset to use the usual order"
                + " (" + variable + "_URL, then a local server, then embedded)");
    }

    private static Optional<String> value(Map<String, String> env, String variable) {
        return Optional.ofNullable(env.get(variable)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
