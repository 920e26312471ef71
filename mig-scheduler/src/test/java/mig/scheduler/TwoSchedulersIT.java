package mig.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.Command;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several schedulers on one database and one relay share the work without doing any of it twice. */
@ExtendWith(MigServices.class)
class TwoSchedulersIT {

    static final int AGENTS = 3;
    static final int ACTIONS = 30;

    @Test
    void everyCommandIsCreatedAndPublishedExactlyOnce(TestDatabase tdb, TestBroker broker) throws Exception {
        try (Fixture f = Fixture.open(tdb, broker)) {
            f.start(Fixture.pushOnly());
            f.start(Fixture.pushOnly());
            List<BlockingQueue<Delivery>> inboxes = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                Agent agent = f.online("agent" + i);
                inboxes.add(f.agentQueue(agent));
            }
            List<Action> submitted = new ArrayList<>();
            for (int i = 0; i < ACTIONS; i++) {
                submitted.add(f.submit("name LIKE 'agent%'", Duration.ofMinutes(5)));
            }

            Map<Long, Integer> perAction = new HashMap<>();
            Set<Long> commandIds = new HashSet<>();
            for (BlockingQueue<Delivery> inbox : inboxes) {
                for (int i = 0; i < ACTIONS; i++) {
                    Delivery d = inbox.poll(10, TimeUnit.SECONDS);
                    assertTrue(d != null, "command " + (i + 1) + " of " + ACTIONS + " arrived");
                    Command c = GoJson.unmarshal(d.getBody(), Command.class);
                    assertTrue(commandIds.add(c.id()), "command " + c.id() + " published once");
                    perAction.merge(c.action().id(), 1, Integer::sum);
                }
                assertEquals(null, inbox.poll(500, TimeUnit.MILLISECONDS), "no duplicate command");
            }
            for (Action a : submitted) {
                assertEquals(AGENTS, perAction.get(a.id()), "one command per agent for action " + a.id());
                Action back = f.action(a.id());
                assertEquals(Action.STATUS_INFLIGHT, back.status());
                assertEquals(
                        new ActionCounters(AGENTS, 0, AGENTS, 0, 0, 0, 0, 0),
                        back.counters(),
                        "exactly " + AGENTS + " command rows for action " + a.id());
            }
        }
    }
}
