package mig.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.GenId;
import mig.common.Investigator;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.database.ActionStore;
import mig.database.InvestigatorStore;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17: an investigator is disabled (key stolen, person gone) after submitting actions; their
 * pending and future-dated actions must not reach the agents. The original dispatched them anyway.
 */
@ExtendWith(MigServices.class)
class DisabledInvestigatorIT {

    @Test
    void theActionsOfADisabledInvestigatorAreNotDispatched(TestDatabase tdb, TestBroker broker) throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            InvestigatorStore investigators = new InvestigatorStore(f.db.dataSource());
            long eve = investigators.create("eve", null, null, 0, Instant.now());
            long frank = investigators.create("frank", null, null, 0, Instant.now());
            Agent agent = f.online("vm");
            BlockingQueue<Delivery> inbox = f.agentQueue(agent);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

            // submitted while eve was active: one due now, one dated 3 s ahead
            Action due = signed(f, eve, now.minusSeconds(1), now.plusSeconds(300));
            Action later = signed(f, eve, now.plusSeconds(3), now.plusSeconds(300));
            investigators.setStatus(eve, Investigator.STATUS_DISABLED, Instant.now());

            f.start(Fixture.pushOnly());
            await("eve's due action ended")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> !f.action(due.id()).status().equals(Action.STATUS_PENDING)
                            && !f.action(due.id()).status().equals(Action.STATUS_SCHEDULED));
            assertEquals(Action.STATUS_INVALID, f.action(due.id()).status());
            await("eve's future-dated action ended")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> f.action(later.id()).status().equals(Action.STATUS_INVALID));

            // an active investigator's action still goes out, and it is the only command the agent got
            Action franks = signed(
                    f, frank, Instant.now().minusSeconds(1), Instant.now().plusSeconds(300));
            Delivery d = inbox.poll(20, TimeUnit.SECONDS);
            assertNotNull(d, "frank's action was dispatched");
            Command cmd = GoJson.unmarshal(new String(d.getBody(), StandardCharsets.UTF_8), Command.class);
            assertEquals(franks.id(), cmd.action().id());
            assertNull(inbox.poll(500, TimeUnit.MILLISECONDS), "nothing of eve's reached the agent");
            assertEquals(0, commandsOf(f, due.id()));
            assertEquals(0, commandsOf(f, later.id()));
        }
    }

    private static int commandsOf(Fixture f, long actionId) throws java.sql.SQLException {
        try (java.sql.Connection c = f.db.connection();
                java.sql.PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM commands WHERE actionid = ?")) {
            ps.setLong(1, actionId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Stores a pending action signed by {@code investigator}, as the API does after verifying it. */
    private static Action signed(Fixture f, long investigator, Instant validFrom, Instant expireAfter) {
        Action a = Action.draft(
                        "by " + investigator,
                        "name='vm'",
                        validFrom,
                        expireAfter,
                        List.of(Operation.of(
                                "file", JsonNodeFactory.instance.objectNode().put("path", "/usr/bin"))))
                .withId(GenId.next())
                .withProgress(
                        Action.STATUS_PENDING,
                        GoTime.ACTION_START_PLACEHOLDER,
                        GoTime.ACTION_FINISH_PLACEHOLDER,
                        GoTime.ACTION_START_PLACEHOLDER,
                        null,
                        null);
        f.actions.insert(a, List.of(new ActionStore.Signer(investigator, "signature")));
        return a;
    }
}
