package mig.scheduler.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.amqp.AmqpNames;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.database.scheduling.ActionQueue.SentCommand;
import mig.scheduler.Wire;
import org.junit.jupiter.api.Test;

/** Commands are built and published as the original scheduler did (recorded on its relay). */
class CommandFactoryTest {

    @Test
    void rebuildsEveryRecordedCommandByteForByte() {
        for (Wire.Message m : Wire.toAgents()) {
            Command recorded = GoJson.unmarshal(m.payload(), Command.class);
            // The action as the database holds it: other status, times and no counters.
            Action stored = recorded.action()
                    .withProgress(
                            Action.STATUS_PREPARING,
                            recorded.action().startTime(),
                            GoTime.ACTION_FINISH_PLACEHOLDER,
                            GoTime.ACTION_START_PLACEHOLDER,
                            null,
                            null);
            List<Command> rebuilt = new CommandFactory(() -> 0)
                    .rebuild(
                            stored,
                            recorded.action().counters().sent(),
                            List.of(new SentCommand(
                                    recorded.id(), recorded.agent(), recorded.results(), recorded.startTime())));
            assertEquals(m.payload(), GoJson.marshal(rebuilt.get(0)));
            assertEquals(
                    m.routingKey(), AmqpNames.agentQueue(rebuilt.get(0).agent().queueLoc()));
        }
    }

    @Test
    void newCommandsCarryThePreparingActionAndOneEmptyResultPerOperation() {
        Command recorded = GoJson.unmarshal(Wire.toAgents().get(0).payload(), Command.class);
        Instant now = Instant.parse("2026-11-28T18:58:50.491739Z");
        AtomicLong ids = new AtomicLong(100);
        List<Command> created = new CommandFactory(ids::incrementAndGet)
                .create(
                        recorded.action().withStatus(Action.STATUS_SCHEDULED),
                        List.of(recorded.agent(), recorded.agent()),
                        now);

        assertEquals(List.of(101L, 102L), created.stream().map(Command::id).toList());
        Command c = created.get(0);
        assertEquals(Command.STATUS_SENT, c.status());
        assertEquals(List.of(ModuleResult.EMPTY), c.results());
        assertEquals(now, c.startTime());
        assertEquals(GoTime.ZERO, c.finishTime());
        assertEquals(Action.STATUS_PREPARING, c.action().status());
        assertEquals(now, c.action().startTime());
        assertEquals(GoTime.ZERO, c.action().finishTime());
        assertEquals(GoTime.ZERO, c.action().lastUpdateTime());
        assertEquals(new ActionCounters(2, 0, 0, 0, 0, 0, 0, 0), c.action().counters());
        assertNull(c.action().investigators());
    }

    @Test
    void publishesWithTheRecordedProperties() {
        Wire.Message m = Wire.toAgents().get(0);
        Command recorded = GoJson.unmarshal(m.payload(), Command.class);
        Instant now = Instant.ofEpochSecond(m.properties().get("timestamp").asLong());
        CommandPublisher publisher = new CommandPublisher(null, Clock.fixed(now, ZoneOffset.UTC), false);

        AMQP.BasicProperties p = publisher.properties(recorded);

        assertEquals(m.properties().get("delivery_mode").asInt(), p.getDeliveryMode());
        assertEquals(m.properties().get("content_type").asText(), p.getContentType());
        assertEquals(m.properties().get("expiration").asText(), p.getExpiration());
        assertEquals(now, p.getTimestamp().toInstant());
    }
}
