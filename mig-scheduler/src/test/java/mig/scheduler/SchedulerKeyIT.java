package mig.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import mig.common.pgp.SecretKey;
import mig.database.InvestigatorStore;
import mig.database.MigDatabase;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scheduler makes its own signing key on first start, once, as the original. */
@ExtendWith(MigServices.class)
class SchedulerKeyIT {

    @Test
    void twoSchedulersStartingOnAFreshDatabaseMakeOneKeyAndLaterStartsKeepIt(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (MigDatabase db = Fixture.openDatabase(tdb)) {
            InvestigatorStore investigators = new InvestigatorStore(db.dataSource());
            CompletableFuture<Scheduler> a = CompletableFuture.supplyAsync(
                    () -> Scheduler.start(Fixture.pushOnly(), db, broker.connectionFactory()));
            CompletableFuture<Scheduler> b = CompletableFuture.supplyAsync(
                    () -> Scheduler.start(Fixture.pushOnly(), db, broker.connectionFactory()));
            a.get().close();
            b.get().close();

            InvestigatorStore.SchedulerKey key = investigators.schedulerKey().orElseThrow();
            String armored = new String(key.privateKey(), StandardCharsets.UTF_8);
            assertTrue(armored.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----"), armored);
            SecretKey secret = SecretKey.fromArmored(armored, null);
            assertEquals(key.fingerprint(), secret.fingerprint());
            assertTrue(new String(key.publicKey(), StandardCharsets.UTF_8)
                    .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
            assertEquals(1, migschedulers(db));

            Scheduler.start(Fixture.pushOnly(), db, broker.connectionFactory()).close();
            assertEquals(key.id(), investigators.schedulerKey().orElseThrow().id());
            assertEquals(1, migschedulers(db));
        }
    }

    private static int migschedulers(MigDatabase db) throws Exception {
        try (Connection c = db.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM investigators WHERE name = 'migscheduler' "
                        + "AND permissions = 0 AND status = 'active'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
