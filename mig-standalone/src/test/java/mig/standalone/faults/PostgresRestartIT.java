package mig.standalone.faults;

import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import mig.bench.fleet.Fleet;
import mig.bench.platform.ConfigFiles;
import mig.common.Action;
import mig.database.DbConfig;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarts under the API and the scheduler in the middle of an action. The machine's
 * shared PostgreSQL is left alone: this test runs a private one (zonky's PostgreSQL 17) and stops
 * and starts it on the same data folder and port, as an operator's restart would.
 *
 * <p>Meanwhile agents keep answering: the scheduler requeues the results it cannot store, the API
 * answers heartbeats 500, and the LISTEN connections and pools reconnect by themselves afterwards.
 */
@ExtendWith(MigServices.class)
class PostgresRestartIT {

    static final int AGENTS = 30;

    @TempDir
    Path tmp;

    @Test
    void anActionUnderWayCompletesExactlyOnceAndTheAgentsAreHeardAgain(TestBroker broker) throws Exception {
        int port = ConfigFiles.freePort();
        Path data = tmp.resolve("pgdata");
        EmbeddedPostgres pg = startPostgres(data, port);
        try (FaultRig rig = FaultRig.start(
                DbConfig.ofJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "", 8))) {
            rig.scheduler(broker.connectionFactory());
            Fleet fleet = rig.fleet(AGENTS, broker.uri(), 10);

            Action a = rig.submit("status='online'", 1_000, Duration.ofMinutes(2));
            await("the first results stored").atMost(Duration.ofSeconds(20)).until(() -> rig.finished(a.id()) >= 5);
            pg.close();
            long failuresBefore = fleet.heartbeatFailures();
            Thread.sleep(4_000); // the outage: results and heartbeats keep coming while PostgreSQL is away
            pg = startPostgres(data, port);
            long restartedAt = System.nanoTime();

            rig.awaitCompleted(a.id(), Duration.ofSeconds(40));
            rig.assertExactlyOnce(a.id(), AGENTS, Map.of("success", AGENTS));
            // Heartbeats sent during the outage are either refused or held by the connection pool until
            // PostgreSQL is back and then stored: both are right, and which one happens depends on
            // timing, so only the count is printed. What must hold is that the agents are heard again.
            System.out.printf(
                    "heartbeats refused during the restart: %d%n", fleet.heartbeatFailures() - failuresBefore);
            await("heartbeats answered 200 again")
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> fleet.heartbeatsBetween(restartedAt + 2_000_000_000L, System.nanoTime())
                                    .ok()
                            > 0);

            Action after = rig.submit("status='online'", 0, Duration.ofMinutes(2));
            rig.awaitCompleted(after.id(), Duration.ofSeconds(20));
            rig.assertExactlyOnce(after.id(), AGENTS, Map.of("success", AGENTS));
        } finally {
            pg.close();
        }
    }

    private static EmbeddedPostgres startPostgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .start();
    }
}
