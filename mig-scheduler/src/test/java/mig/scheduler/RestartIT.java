package mig.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.Command;
import mig.common.GenId;
import mig.common.json.GoJson;
import mig.database.scheduling.ActionClaim;
import mig.database.scheduling.ActionQueue;
import mig.database.scheduling.Dispatch;
import mig.scheduler.dispatch.CommandFactory;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Nothing is lost when a scheduler stops at any point of the flow and another one starts. */
@ExtendWith(MigServices.class)
class RestartIT {

    @Test
    void aResultPublishedWhileNoSchedulerRunsIsStoredByTheNextOne(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            Scheduler first = f.start(Fixture.pushOnly());
            Agent agent = f.online("vm");
            BlockingQueue<Delivery> inbox = f.agentQueue(agent);
            Action a = f.submit("name='vm'", Duration.ofMinutes(5));
            Command sent = GoJson.unmarshal(inbox.poll(5, TimeUnit.SECONDS).getBody(), Command.class);
            first.close();

            f.publishResult(
                    GoJson.marshalBytes(sent.withOutcome(Command.STATUS_SUCCESS, sent.results(), Instant.now())));
            await("the result waiting in the durable queue")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> readyResults(f) == 1);
            assertEquals(Action.STATUS_INFLIGHT, f.action(a.id()).status());

            f.start(Fixture.pushOnly());
            await("action completed")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_COMPLETED));
            assertEquals(
                    new ActionCounters(1, 1, 0, 1, 0, 0, 0, 0), f.action(a.id()).counters());
            assertNull(inbox.poll(300, TimeUnit.MILLISECONDS), "the command was not sent again");
        }
    }

    @Test
    void anActionClaimedByASchedulerThatStoppedIsDispatchedByTheNextOne(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            Agent agent = f.online("vm");
            Action a = f.submit("name='vm'", Duration.ofMinutes(5));
            ActionQueue queue = new ActionQueue(f.db.dataSource());
            assertEquals(List.of(a.id()), queue.claimRunnable(Instant.now(), 10));
            assertEquals(Action.STATUS_SCHEDULED, f.action(a.id()).status());
            BlockingQueue<Delivery> inbox = f.agentQueue(agent);
            f.start(Fixture.pushOnly());

            await("action inflight")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_INFLIGHT));
            Delivery d = inbox.poll(5, TimeUnit.SECONDS);
            assertNotNull(d);
            assertEquals(
                    a.id(),
                    GoJson.unmarshal(d.getBody(), Command.class).action().id());
        }
    }

    @Test
    void commandsStoredButNeverPublishedArePublishedByTheNextSchedulerUnchanged(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            Agent agent = f.online("vm");
            BlockingQueue<Delivery> inbox = f.agentQueue(agent);
            Action a = f.submit("name='vm'", Duration.ofMinutes(5));
            // A scheduler that committed the commands and stopped before publishing them.
            ActionQueue queue = new ActionQueue(f.db.dataSource());
            queue.claimRunnable(Instant.now(), 10);
            List<Command> stored;
            try (ActionClaim claim = queue.lockScheduled(a.id()).orElseThrow()) {
                stored = new CommandFactory(GenId::next)
                        .create(claim.action(), List.of(agent), Instant.now().truncatedTo(ChronoUnit.MICROS));
                Dispatch never = claim.prepare(stored, stored.get(0).startTime());
                never.close();
            }
            assertEquals(Action.STATUS_PREPARING, f.action(a.id()).status());

            f.start(Fixture.pushOnly());
            Delivery d = inbox.poll(5, TimeUnit.SECONDS);
            assertNotNull(d, "published by the next scheduler");
            assertEquals(GoJson.marshal(stored.get(0)), new String(d.getBody(), StandardCharsets.UTF_8));
            await("action inflight")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_INFLIGHT));
            assertNull(inbox.poll(300, TimeUnit.MILLISECONDS), "published once");
        }
    }

    @Test
    void theNextSchedulerExpiresAnActionTheStoppedOneWasTiming(TestDatabase tdb, TestBroker broker) throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            Scheduler first = f.start(Fixture.pushOnly());
            Agent agent = f.online("silent");
            BlockingQueue<Delivery> inbox = f.agentQueue(agent);
            Action a = f.submit("name='silent'", Duration.ofSeconds(3));
            assertNotNull(inbox.poll(5, TimeUnit.SECONDS));
            first.close();

            // Started while the action is still valid: only its re-armed timer can expire it (poll 1 h).
            f.start(Fixture.pushOnly());
            await("action completed by expiry")
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_COMPLETED));
            assertEquals(
                    new ActionCounters(1, 1, 0, 0, 0, 1, 0, 0), f.action(a.id()).counters());
        }
    }

    private static long readyResults(Fixture f) {
        try {
            return f.channel.messageCount("mig.agt.results");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
