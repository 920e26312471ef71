package mig.testkit;

/**
 * One place a test service may come from. {@link ServiceResolver} tries a list of these in order
 * and keeps the first that delivers; the list is the extension point for new places (a
 * Testcontainers source would be one more implementation, tried before the embedded one).
 *
 * <p>A source that simply is not available here (nothing listening, login refused) throws
 * {@link Unavailable} so the next source is tried; any other exception means the source was asked
 * for explicitly and is broken, and resolution stops with that error.
 *
 * @param <S> the server handle it opens, {@link PostgresServer} or {@link AmqpServer}
 */
public interface ServiceSource<S> {

    /** What this source is, for logs and error messages, e.g. "local PostgreSQL on 127.0.0.1:5432". */
    String description();

    /** Opens (or starts) the service, or throws {@link Unavailable} to let the next source try. */
    S open() throws Unavailable;

    /**
     * Thrown when a source cannot provide its service on this machine; its message says why, and the
     * resolver logs it next to the source it finally chose.
     */
    final class Unavailable extends Exception {
        public Unavailable(String reason) {
            super(reason);
        }

        public Unavailable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
