package mig.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.Command;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TcpProxy;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scheduler rides out a lost broker connection: nothing published or received is lost. */
@ExtendWith(MigServices.class)
class BrokerOutageIT {

    @Test
    void commandsThatCouldNotBePublishedGoOutWhenTheRelayIsBackAndResultsFlowAgain(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker);
                TcpProxy proxy = new TcpProxy(broker.host(), broker.port())) {
            ConnectionFactory throughProxy = broker.connectionFactory();
            throughProxy.setPort(proxy.port());
            Scheduler s = Scheduler.start(Fixture.pushOnly(), f.db, throughProxy);
            try {
                Agent agent = f.online("vm");
                BlockingQueue<Delivery> inbox = f.agentQueue(agent);
                Action before = f.submit("name='vm'", Duration.ofMinutes(5));
                assertNotNull(inbox.poll(5, TimeUnit.SECONDS), "dispatched before the outage");
                // confirmed and marked inflight before the cut; otherwise recovery re-publishes it (at least once)
                await("first action inflight")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> f.action(before.id()).status().equals(Action.STATUS_INFLIGHT));

                proxy.cut();
                Action during = f.submit("name='vm'", Duration.ofMinutes(5));

                // The connection comes back (5 s recovery interval) and a full round publishes.
                Delivery d = inbox.poll(20, TimeUnit.SECONDS);
                assertNotNull(d, "the command stored during the outage was published after it");
                Command sent = GoJson.unmarshal(d.getBody(), Command.class);
                assertEquals(during.id(), sent.action().id());
                await("action inflight")
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> f.action(during.id()).status().equals(Action.STATUS_INFLIGHT));

                // The results consumer is back too.
                f.publishResult(
                        GoJson.marshalBytes(sent.withOutcome(Command.STATUS_SUCCESS, sent.results(), Instant.now())));
                await("action completed")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> f.action(during.id()).status().equals(Action.STATUS_COMPLETED));
                assertEquals(
                        new ActionCounters(1, 1, 0, 1, 0, 0, 0, 0),
                        f.action(during.id()).counters());
            } finally {
                s.close();
            }
        }
    }
}
