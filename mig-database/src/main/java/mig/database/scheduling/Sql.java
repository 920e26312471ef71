package mig.database.scheduling;

import java.sql.Connection;
import java.sql.SQLException;

/** Column conversions and small queries shared by the scheduling stores. */
final class Sql {

    /** Columns of {@code actions} in the order {@link mig.database.ActionStore#read} expects by name. */
    static final String ACTION_COLUMNS = mig.database.ActionStore.COLUMNS;

    /** Columns of {@code agents} as {@link mig.database.AgentStore#read} reads them by name. */
    static final String AGENT_COLUMNS = "ag.id, ag.name, ag.queueloc, ag.mode, ag.version, ag.pid, ag.starttime, "
            + "ag.destructiontime, ag.heartbeattime, ag.refreshtime, ag.status, ag.environment, ag.tags, "
            + "ag.loadername";

    private Sql() {}

    /** Rolls back, keeping the first failure as the one reported. */
    static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
