package mig.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.Delivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.Agent;
import mig.scheduler.dispatch.NewActionListener;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The LISTEN connection comes back by itself, and what was committed meanwhile is not missed. */
@ExtendWith(MigServices.class)
class ReconnectIT {

    @Test
    void anActionCommittedWhileTheListenConnectionIsDownIsDispatchedWhenItComesBack(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.start(Fixture.pushOnly());
            Agent agent = f.online("vm");
            BlockingQueue<Delivery> inbox = f.agentQueue(agent);
            await("the LISTEN session").atMost(Duration.ofSeconds(5)).until(() -> listeners(tdb) == 1);

            assertEquals(1, terminateListeners(tdb));
            Action a = f.submit("name='vm'", Duration.ofMinutes(5));

            Delivery d = inbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(d, "dispatched after the LISTEN connection was re-opened (the poll is 1 h)");
            await("action inflight")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_INFLIGHT));
            assertEquals(1, listeners(tdb));
        }
    }

    private static int listeners(TestDatabase tdb) {
        return query(tdb, "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = ?");
    }

    private static int terminateListeners(TestDatabase tdb) {
        return query(
                tdb,
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE datname = ? AND application_name = ?");
    }

    private static int query(TestDatabase tdb, String sql) {
        try (Connection c = tdb.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tdb.name());
            ps.setString(2, NewActionListener.APPLICATION_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
