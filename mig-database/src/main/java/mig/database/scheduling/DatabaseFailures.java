package mig.database.scheduling;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a database that is briefly unavailable (connection lost, server restarting, pool
 * exhausted, deadlock) from a statement that will never succeed (a target comparing a number with
 * text, say). The scheduler retries the first kind and gives up on the second.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {}

    /** True if retrying the same work later may succeed. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException e && e.getSQLState() != null) {
                String state = e.getSQLState();
                // 08 connection, 53 insufficient resources, 57P operator intervention (shutdown),
                // 40 transaction rollback (serialization failure, deadlock).
                if (state.startsWith("08")
                        || state.startsWith("53")
                        || state.startsWith("57P")
                        || state.startsWith("40")) {
                    return true;
                }
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** True if the failure is a primary key clash (two processes made the same GenID). */
    public static boolean isDuplicateKey(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && "23505".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
