package mig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a module's integration test sees through the extension: each test method gets a fresh
 * database and vhost, shared with its {@code @BeforeEach}, gone after the test; a
 * {@code @BeforeAll} parameter lives as long as the class.
 */
@ExtendWith(MigServices.class)
class MigServicesIT {

    private static final List<TestDatabase> usedDatabases = new CopyOnWriteArrayList<>();
    private static final List<TestBroker> usedBrokers = new CopyOnWriteArrayList<>();
    private static TestDatabase classDatabase;

    private TestDatabase fromBeforeEach;
    private TestBroker brokerFromBeforeEach;

    @BeforeAll
    static void keepOneForTheClass(TestDatabase db) {
        classDatabase = db;
    }

    @BeforeEach
    void migrate(TestDatabase db, TestBroker broker) throws Exception {
        fromBeforeEach = db;
        brokerFromBeforeEach = broker;
        try (java.sql.Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE investigators (id bigint PRIMARY KEY, name text NOT NULL)");
        }
    }

    /**
     * Runs three times, each time writing the same row and declaring {@code toagents} with other
     * flags: a database or vhost left from an earlier repetition would make it fail.
     */
    @RepeatedTest(3)
    void eachTestStartsEmpty(TestDatabase db, TestBroker broker) throws Exception {
        assertSame(fromBeforeEach, db);
        assertSame(brokerFromBeforeEach, broker);
        assertNotEquals(classDatabase.name(), db.name());
        usedDatabases.add(db);
        usedBrokers.add(broker);
        try (java.sql.Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO investigators VALUES (1, 'Alice')");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM investigators")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
        try (Connection c = broker.connectionFactory().newConnection()) {
            BuiltinExchangeType type =
                    usedBrokers.size() % 2 == 0 ? BuiltinExchangeType.TOPIC : BuiltinExchangeType.DIRECT;
            c.createChannel().exchangeDeclare("toagents", type, usedBrokers.size() % 2 == 0);
        }
    }

    @AfterAll
    static void allWereClosed(TestDatabase sameClassDatabase) throws Exception {
        assertSame(classDatabase, sameClassDatabase);
        assertEquals(
                3, usedDatabases.stream().map(TestDatabase::name).distinct().count());
        assertEquals(3, usedBrokers.stream().map(TestBroker::vhost).distinct().count());
        try (java.sql.Connection c = classDatabase.connect();
                Statement st = c.createStatement()) {
            for (TestDatabase db : usedDatabases) {
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db.name() + "'")) {
                    assertFalse(rs.next(), db.name() + " was not dropped after its test");
                }
            }
        }
        for (TestBroker broker : usedBrokers) {
            IsolationChecks.assertVhostGone(broker);
        }
    }
}
