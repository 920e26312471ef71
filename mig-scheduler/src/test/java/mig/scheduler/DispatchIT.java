package mig.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An action goes out to its agent and its result comes back, on a real PostgreSQL and broker. */
@ExtendWith(MigServices.class)
class DispatchIT {

    @Test
    void dispatchesAPendingActionAsSoonAsItIsCommittedAndStoresItsResultOnce(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.start(Fixture.pushOnly());
            Agent agent = f.online("vm");
            BlockingQueue<Delivery> inbox = f.agentQueue(agent);

            // Warm-up action (first use of JIT paths and pooled connections), then the measured ones.
            long[] latencies = new long[5];
            Action action = null;
            Delivery delivery = null;
            for (int i = -1; i < latencies.length; i++) {
                long start = System.nanoTime();
                action = f.submit("name='vm'", Duration.ofMinutes(5));
                delivery = inbox.poll(5, TimeUnit.SECONDS);
                assertNotNull(delivery, "no command received for action " + action.id());
                if (i >= 0) {
                    latencies[i] = (System.nanoTime() - start) / 1_000_000;
                }
            }
            System.out.println("commit -> command received, ms: " + java.util.Arrays.toString(latencies));
            // Each command came within the 5 s poll of the inbox while the scheduler polls every hour: only
            // the NOTIFY of the commit can have dispatched it. The figures above are for reading, not a limit.
            assertNull(inbox.poll(300, TimeUnit.MILLISECONDS), "one command per action and agent");

            // The body is the stored command as the original publishes it, with its properties.
            String body = new String(delivery.getBody(), StandardCharsets.UTF_8);
            Command sent = GoJson.unmarshal(body, Command.class);
            Action stored = f.action(action.id());
            Command row = f.commands.get(sent.id()).orElseThrow();
            Command expected = new Command(
                    row.id(),
                    stored.withProgress(
                            Action.STATUS_PREPARING,
                            stored.startTime(),
                            GoTime.ZERO,
                            GoTime.ZERO,
                            new ActionCounters(1, 0, 0, 0, 0, 0, 0, 0),
                            null),
                    f.agents.get(agent.id()).orElseThrow(),
                    Command.STATUS_SENT,
                    row.results(),
                    row.startTime(),
                    GoTime.ZERO);
            assertEquals(GoJson.marshal(expected), body);
            assertEquals(List.of(ModuleResult.EMPTY), sent.results());
            assertEquals(2, delivery.getProperties().getDeliveryMode());
            assertEquals("text/plain", delivery.getProperties().getContentType());
            assertEquals(
                    Long.toString(Duration.between(action.validFrom(), action.expireAfter())
                            .toMillis()),
                    delivery.getProperties().getExpiration());
            assertNotNull(delivery.getProperties().getTimestamp());
            assertEquals("toagents", delivery.getEnvelope().getExchange());

            assertEquals(Action.STATUS_INFLIGHT, stored.status());
            assertEquals(new ActionCounters(1, 0, 1, 0, 0, 0, 0, 0), stored.counters());
            assertTrue(stored.startTime().isAfter(action.validFrom()));

            // The agent answers; the action completes.
            JsonNodeFactory json = JsonNodeFactory.instance;
            Command answered = sent.withOutcome(
                    Command.STATUS_SUCCESS,
                    List.of(new ModuleResult(
                            true,
                            true,
                            json.objectNode().put("found", "/usr/bin/ls"),
                            json.objectNode().put("filescount", 3),
                            null)),
                    Instant.now());
            f.publishResult(GoJson.marshalBytes(answered));
            final long actionId = action.id();
            await("action completed")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(actionId).status().equals(Action.STATUS_COMPLETED));
            Action done = f.action(actionId);
            assertEquals(new ActionCounters(1, 1, 0, 1, 0, 0, 0, 0), done.counters());
            assertTrue(done.finishTime().isBefore(GoTime.FAR_FUTURE)
                    && done.finishTime().isAfter(stored.startTime()));
            Command result = f.commands.get(sent.id()).orElseThrow();
            assertEquals(Command.STATUS_SUCCESS, result.status());
            assertEquals(GoJson.marshal(answered.results()), GoJson.marshal(result.results()));
            assertTrue(result.finishTime().isBefore(GoTime.FAR_FUTURE));

            // The same result again, then junk: neither changes anything nor jams the queue, which a
            // later result proves by being stored (the queue is consumed in order).
            Command second = GoJson.unmarshal(delivery.getBody(), Command.class);
            Action other = f.submit("name='vm'", Duration.ofMinutes(5));
            Command otherSent = GoJson.unmarshal(inbox.poll(5, TimeUnit.SECONDS).getBody(), Command.class);
            f.publishResult(GoJson.marshalBytes(answered.withOutcome(Command.STATUS_FAILED, List.of(), Instant.now())));
            f.publishResult("{not json at all}".getBytes(StandardCharsets.UTF_8));
            f.publishResult("short".getBytes(StandardCharsets.UTF_8));
            f.publishResult(GoJson.marshalBytes(second));
            f.publishResult(
                    GoJson.marshalBytes(otherSent.withOutcome(Command.STATUS_FAILED, List.of(), Instant.now())));
            await("the later result stored")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(other.id()).status().equals(Action.STATUS_COMPLETED));
            assertEquals(
                    new ActionCounters(1, 1, 0, 0, 0, 0, 1, 0),
                    f.action(other.id()).counters());
            Command unchanged = f.commands.get(sent.id()).orElseThrow();
            assertEquals(Command.STATUS_SUCCESS, unchanged.status());
            assertEquals(result.finishTime(), unchanged.finishTime());
            assertEquals(done.finishTime(), f.action(actionId).finishTime());
            assertEquals(0, f.channel.messageCount("mig.agt.results"));
        }
    }

    @Test
    void marksActionsItCannotRunInvalid(TestDatabase tdb, TestBroker broker) throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.online("vm");
            Instant now = Instant.now();
            Action expired = f.submit("name='vm'", now.minusSeconds(60), now.minusSeconds(1));
            f.start(Fixture.pushOnly());
            Action noAgent = f.submit("name='nobody'", Duration.ofMinutes(5));
            Action refused = f.submit("name='vm'; DROP TABLE agents", Duration.ofMinutes(5));
            Action function = f.submit("pg_sleep(10) IS NULL", Duration.ofMinutes(5));

            for (Action a : List.of(expired, noAgent, refused, function)) {
                await("action '" + a.target() + "' invalid")
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> f.action(a.id()).status().equals(Action.STATUS_INVALID));
                Action back = f.action(a.id());
                assertTrue(back.finishTime().isBefore(GoTime.FAR_FUTURE), "finish time set");
                assertEquals(back.finishTime(), back.lastUpdateTime());
                assertEquals(ActionCounters.EMPTY, back.counters());
            }
        }
    }

    @Test
    void expiresTheCommandsOfSilentAndOfflineAgentsAndCompletesTheAction(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.start(Fixture.pushOnly());
            Agent silent = f.online("silent");
            Agent gone = f.online("gone");
            List<BlockingQueue<Delivery>> inboxes = List.of(f.agentQueue(silent), f.agentQueue(gone));
            Action a = f.submit("name IN ('silent', 'gone')", Duration.ofSeconds(2));
            await("action inflight")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_INFLIGHT));
            // The second agent stops heartbeating and goes offline while the action runs.
            new mig.database.scheduling.AgentUpkeep(f.db.dataSource())
                    .markIdle(Instant.now().plusSeconds(3600));
            new mig.database.scheduling.AgentUpkeep(f.db.dataSource())
                    .markOffline(Instant.now().plusSeconds(3600));
            assertEquals(
                    Agent.STATUS_OFFLINE, f.agents.get(gone.id()).orElseThrow().status());

            await("action completed by expiry")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_COMPLETED));
            Action done = f.action(a.id());
            assertEquals(new ActionCounters(2, 2, 0, 0, 0, 2, 0, 0), done.counters());
            assertTrue(!done.finishTime().isBefore(a.expireAfter()), "completed at expiry, not before");
            for (BlockingQueue<Delivery> inbox : inboxes) {
                Command sent = GoJson.unmarshal(inbox.poll(1, TimeUnit.SECONDS).getBody(), Command.class);
                Command row = f.commands.get(sent.id()).orElseThrow();
                assertEquals(
                        Command.STATUS_EXPIRED,
                        row.status(),
                        "command of " + sent.agent().name());
                assertTrue(!row.finishTime().isBefore(a.expireAfter())
                        && row.finishTime().isBefore(GoTime.FAR_FUTURE));
            }
        }
    }

    @Test
    void runsAnActionThatIsNotValidYetWhenItBecomesValid(TestDatabase tdb, TestBroker broker) throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.start(Fixture.pushOnly());
            Agent agent = f.online("vm");
            BlockingQueue<Delivery> inbox = f.agentQueue(agent);
            Instant validFrom = Instant.now().plusMillis(1500);
            Action later = f.submit("name='vm'", validFrom, validFrom.plusSeconds(300));

            assertNull(inbox.poll(1000, TimeUnit.MILLISECONDS), "nothing before validfrom");
            assertEquals(Action.STATUS_PENDING, f.action(later.id()).status());
            Delivery d = inbox.poll(3, TimeUnit.SECONDS);
            assertNotNull(d, "dispatched once valid, by its own wake-up (the poll is 1 h)");
            Instant received = Instant.now();
            assertTrue(!received.isBefore(validFrom), "not before validfrom");
            System.out.println("validfrom -> command received, ms: "
                    + Duration.between(validFrom, received).toMillis());
        }
    }
}
