package mig.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.rabbitmq.client.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Command;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Agents that heartbeat but have no queue on the relay (vanished, or fake): the broker returns
 * their commands as unroutable. As in the original, those commands are published once (mandatory,
 * the returns only logged) and expire with the action; the action goes inflight with the others
 * and is not published again by the safety poll.
 */
@ExtendWith(MigServices.class)
class UnroutableIT {

    static final int REAL = 3;
    static final int FAKE = 5;

    @Test
    void commandsOfAgentsWithoutAQueueArePublishedOnceAndExpireWithOneLogLine(TestDatabase tdb, TestBroker broker)
            throws Exception {
        try (Fixture f = Fixture.open(tdb, broker);
                Events log = Events.on("mig.scheduler")) {
            // A safety poll every second: a publisher that took the returns for failures would publish again.
            f.start(Fixture.config("[collector]\nfreq = 1s\n[periodic]\nfreq = 1h\n"));
            List<BlockingQueue<Delivery>> inboxes = new ArrayList<>();
            for (int i = 0; i < REAL; i++) {
                inboxes.add(f.agentQueue(f.online("real" + i)));
            }
            for (int i = 0; i < FAKE; i++) {
                f.online("fake" + i);
            }
            Action a = f.submit("status='online'", Duration.ofSeconds(6));

            for (BlockingQueue<Delivery> inbox : inboxes) {
                Delivery d = inbox.poll(5, TimeUnit.SECONDS);
                assertNotNull(d, "command received by a real agent");
                Command sent = GoJson.unmarshal(d.getBody(), Command.class);
                f.publishResult(
                        GoJson.marshalBytes(sent.withOutcome(Command.STATUS_SUCCESS, List.of(), Instant.now())));
            }
            await("the real agents' results stored")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> f.action(a.id()).counters().success() == REAL);
            assertEquals(
                    Action.STATUS_INFLIGHT,
                    f.action(a.id()).status(),
                    "inflight once published, not left preparing by the returns");

            await("action completed by expiry")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> f.action(a.id()).status().equals(Action.STATUS_COMPLETED));
            Action done = f.action(a.id());
            assertEquals(new ActionCounters(REAL + FAKE, REAL + FAKE, 0, REAL, 0, FAKE, 0, 0), done.counters());
            assertTrue(!done.finishTime().isBefore(a.expireAfter()), "completed at expiry, not before");
            for (BlockingQueue<Delivery> inbox : inboxes) {
                assertNull(inbox.poll(0, TimeUnit.SECONDS), "a real agent received its command once");
            }
            Map<String, Integer> returned = log.count("could not route");
            assertEquals(Map.of("WARN", 1), returned, "one log line for the action's unroutable commands");
            assertTrue(
                    log.messages("could not route").get(0).contains(FAKE + " commands"),
                    log.messages("could not route").toString());
            assertEquals(Map.of(), log.count("again"), "nothing published again");
        }
    }

    /** The log events of a logger and those below it. */
    static final class Events extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final Logger logger;
        private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

        private Events(Logger logger) {
            this.logger = logger;
        }

        static Events on(String name) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            Events e = new Events(l);
            e.setContext(l.getLoggerContext());
            e.start();
            l.addAppender(e);
            return e;
        }

        @Override
        protected void append(ILoggingEvent e) {
            events.add(e);
        }

        /** Events whose message contains {@code part}, by level. */
        Map<String, Integer> count(String part) {
            Map<String, Integer> out = new TreeMap<>();
            events.stream()
                    .filter(e -> e.getFormattedMessage().contains(part))
                    .forEach(e -> out.merge(e.getLevel().toString(), 1, Integer::sum));
            return out;
        }

        List<String> messages(String part) {
            return events.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains(part))
                    .toList();
        }

        @Override
        public void close() {
            logger.detachAppender(this);
            stop();
        }
    }
}
