package mig.testkit;

/**
 * Where a test service came from. Tests and logs use it to say which path was taken, because the
 * same test suite runs against very different servers (a developer's local PostgreSQL, a CI
 * service, an in-process broker) and a failure is read differently in each case.
 */
public enum ServiceOrigin {
    /** Named by {@code MIG_TEST_PG_URL} / {@code MIG_TEST_AMQP_URL}. */
    ENVIRONMENT,
    /** A server already running on 127.0.0.1 that accepted a real login. */
    LOCAL,
    /** Started inside this JVM (zonky PostgreSQL, Qpid Broker-J), stopped at JVM exit. */
    EMBEDDED
}
