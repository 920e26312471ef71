package mig.standalone.badinput;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import mig.common.Action;
import mig.common.ActionCounters;
import mig.common.Agent;
import mig.common.AgentEnv;
import mig.common.AgentEnvAws;
import mig.common.Command;
import mig.common.GenId;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.config.IniConfig;
import mig.common.json.GoJson;
import mig.common.json.GoTime;
import mig.database.ActionStore;
import mig.database.AgentStore;
import mig.database.DbConfig;
import mig.database.MigDatabase;
import mig.scheduler.Scheduler;
import mig.scheduler.config.SchedulerConfig;
import mig.standalone.badinput.MessageCorpus.BadMessage;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import mig.testkit.TestDatabase;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A generated corpus of malformed messages on the scheduler's two queues, {@code mig.agt.results}
 * and {@code mig.agt.heartbeats}: every one must be consumed and dropped with a log line (no
 * requeue loop, no stack trace, no dead consumer), and no row may change. One action is in flight
 * with one command, so results naming it from the wrong agent, with a status that is not final, or
 * broken in any field, have something to damage. Afterwards the scheduler still stores that
 * command's real result, once, and takes a valid heartbeat.
 */
@ExtendWith(MigServices.class)
class SchedulerBadInputIT {

    static final String RESULTS = "mig.agt.results";
    static final String HEARTBEATS = "mig.agt.heartbeats";

    @Test
    void everyMalformedMessageIsDroppedWithALogLineAndChangesNoRow(TestDatabase tdb, TestBroker broker)
            throws Exception {
        DbConfig config = DbConfig.ofJdbcUrl(tdb.jdbcUrl(), tdb.user(), tdb.password(), 8);
        try (MigDatabase db = MigDatabase.open(config, "bad-messages").migrate();
                Connection amqp = broker.connectionFactory().newConnection("bad-messages");
                LogCounter log = LogCounter.on("mig.scheduler")) {
            Channel ch = amqp.createChannel();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String queueLoc = "linux.badmessages" + "0".repeat(70);
            long agentId = new AgentStore(db.dataSource()).heartbeat(legacyHeartbeat(queueLoc, now), now);
            String agentQueue = "mig.agt." + queueLoc;
            ch.exchangeDeclare("toagents", "direct", true, false, false, null);
            ch.queueDeclare(agentQueue, true, false, false, null);
            ch.queueBind(agentQueue, "toagents", agentQueue);
            Action action = pendingAction(now);
            new ActionStore(db.dataSource()).insert(action, List.of());

            try (Scheduler scheduler = Scheduler.start(
                    SchedulerConfig.from(
                            IniConfig.parse("[collector]\nfreq = 1h\n[periodic]\nfreq = 1h\n", "bad input")),
                    db,
                    broker.connectionFactory())) {
                GetResponse published = awaitMessage(ch, agentQueue);
                Command sent = GoJson.unmarshal(published.getBody(), Command.class);
                await("action inflight")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> status(db, action.id()).equals(Action.STATUS_INFLIGHT));
                String validResult = GoJson.marshal(sent.withOutcome(
                        Command.STATUS_SUCCESS,
                        List.of(new ModuleResult(
                                true,
                                true,
                                JsonNodeFactory.instance.objectNode().put("pong", true),
                                null,
                                null)),
                        Instant.now()));
                String validHeartbeat = GoJson.marshal(legacyHeartbeat(
                        "linux.newcomer" + "1".repeat(70), Instant.now().truncatedTo(ChronoUnit.MICROS)));

                List<BadMessage> results = resultCorpus(validResult, sent, agentId);
                List<BadMessage> heartbeats = heartbeatCorpus(validHeartbeat);
                RowSnapshot before = RowSnapshot.of(db.dataSource());
                int loggedBefore = handled(log);
                long start = System.nanoTime();
                for (BadMessage m : results) {
                    publish(ch, RESULTS, m.body());
                }
                for (BadMessage m : heartbeats) {
                    publish(ch, HEARTBEATS, m.body());
                }
                int total = results.size() + heartbeats.size();
                boolean allLogged = within(Duration.ofSeconds(30), () -> handled(log) - loggedBefore >= total);
                double seconds = (System.nanoTime() - start) / 1e9;
                // A message taken as valid changes a row (and is logged at debug only): say that first.
                assertEquals(before, RowSnapshot.of(db.dataSource()), "rows changed by malformed messages");
                assertTrue(
                        allLogged,
                        "a log line for each of the " + total + " messages, got " + (handled(log) - loggedBefore));
                assertEquals(0, ch.queueDeclarePassive(RESULTS).getMessageCount(), "results left or requeued");
                assertEquals(0, ch.queueDeclarePassive(HEARTBEATS).getMessageCount(), "heartbeats left or requeued");
                System.out.printf(
                        "scheduler bad input: %d results and %d heartbeats consumed and dropped in %.1f s%n",
                        results.size(), heartbeats.size(), seconds);
                summary(results, heartbeats).forEach((k, v) -> System.out.printf("  %-48s %d%n", k, v));

                // Still consuming: the real result is stored once, a replay of it changes nothing.
                publish(ch, RESULTS, validResult.getBytes(StandardCharsets.UTF_8));
                await("action completed")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> status(db, action.id()).equals(Action.STATUS_COMPLETED));
                publish(ch, RESULTS, validResult.getBytes(StandardCharsets.UTF_8));
                await("the replay handled")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> log.count("ResultIntake", "is success already") >= 1);
                assertEquals(
                        new ActionCounters(1, 1, 0, 1, 0, 0, 0, 0),
                        new ActionStore(db.dataSource()).counters(action.id()),
                        "the result counted once");
                publish(ch, HEARTBEATS, validHeartbeat.getBytes(StandardCharsets.UTF_8));
                await("the valid heartbeat recorded")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> new AgentStore(db.dataSource())
                                        .targeted("name='newcomer.example.net'", 0)
                                        .size()
                                == 1);
                assertTrue(total >= 150, "a corpus of " + total + " messages");
                assertEquals(List.of(), log.withStackTraces(), "drops are logged in one line, without stack traces");
            }
        }
    }

    private static List<BadMessage> resultCorpus(String valid, Command sent, long agentId) throws Exception {
        String family = "result";
        List<BadMessage> out = new ArrayList<>(MessageCorpus.notJson(family + " not JSON"));
        out.addAll(MessageCorpus.truncated(family + " cut short", valid, 40));
        out.addAll(MessageCorpus.wrongTypes(
                family + " field of the wrong type",
                valid,
                Map.of(
                        "/id",
                        MessageCorpus.NOT_NUMBER,
                        "/status",
                        MessageCorpus.NOT_STRING,
                        "/action",
                        MessageCorpus.NOT_OBJECT,
                        "/agent",
                        MessageCorpus.NOT_OBJECT,
                        "/results",
                        MessageCorpus.NOT_ARRAY,
                        "/starttime",
                        MessageCorpus.NOT_TIME,
                        "/finishtime",
                        MessageCorpus.NOT_TIME,
                        "/action/id",
                        MessageCorpus.NOT_NUMBER,
                        "/agent/queueloc",
                        List.of("[]", "{}"),
                        "/agent/id",
                        MessageCorpus.NOT_NUMBER)));
        String semantic = family + " well formed but wrong";
        out.add(BadMessage.of(
                semantic, "an unknown command id", valid.replace("\"id\":" + sent.id(), "\"id\":" + GenId.next())));
        out.add(BadMessage.of(semantic, "command id 0", valid.replace("\"id\":" + sent.id(), "\"id\":0")));
        out.add(BadMessage.of(semantic, "command id negative", valid.replace("\"id\":" + sent.id(), "\"id\":-7")));
        out.add(BadMessage.of(
                semantic,
                "from another endpoint",
                valid.replace(sent.agent().queueLoc(), "linux.impostor" + "9".repeat(70))));
        out.add(BadMessage.of(
                semantic,
                "from the right endpoint under another pid",
                valid.replace(
                        "\"pid\":" + sent.agent().pid() + ",",
                        "\"pid\":" + (sent.agent().pid() + 1) + ",")));
        for (String status : new String[] {"sent", "inflight", "bogus", "", "SUCCESS"}) {
            out.add(BadMessage.of(
                    semantic,
                    "status '" + status + "'",
                    valid.replace("\"status\":\"success\"", "\"status\":\"" + status + "\"")));
        }
        out.add(BadMessage.of(
                semantic,
                "results of 10,000 nested arrays",
                valid.replaceFirst("\"results\":\\[", "\"results\":[" + "[".repeat(10_000))));
        out.add(BadMessage.of(
                semantic,
                "NUL escapes for an unknown command",
                valid.replace("\"id\":" + sent.id(), "\"id\":" + GenId.next())
                        .replace("\"pong\":true", "\"pong\":\"\\u0000\\u0000\"")));
        out.add(MessageCorpus.huge(family + " huge", 8, "{\"id\":" + GenId.next() + ","));
        return out;
    }

    private static List<BadMessage> heartbeatCorpus(String valid) throws Exception {
        String family = "heartbeat";
        List<BadMessage> out = new ArrayList<>(MessageCorpus.notJson(family + " not JSON"));
        out.addAll(MessageCorpus.truncated(family + " cut short", valid, 30));
        out.addAll(MessageCorpus.wrongTypes(
                family + " field of the wrong type",
                valid,
                Map.of(
                        "/name",
                        MessageCorpus.NOT_STRING,
                        "/queueloc",
                        MessageCorpus.NOT_STRING,
                        "/pid",
                        MessageCorpus.NOT_NUMBER,
                        "/heartbeatts",
                        MessageCorpus.NOT_TIME,
                        "/environment",
                        MessageCorpus.NOT_OBJECT,
                        "/tags",
                        List.of("\"x\"", "42", "[1]"),
                        "/mode",
                        List.of("[]", "{}"))));
        String rules = family + " breaking the original's rules";
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Agent base = GoJson.unmarshal(valid, Agent.class);
        out.add(BadMessage.of(
                rules, "sent an hour ago", GoJson.marshal(legacyHeartbeat(base.queueLoc(), now.minusSeconds(3600)))));
        out.add(BadMessage.of(rules, "no heartbeat time", valid.replaceFirst("\"heartbeatts\":\"[^\"]*\",", "")));
        out.add(BadMessage.of(rules, "mode 'server'", valid.replace("\"mode\":\"daemon\"", "\"mode\":\"server\"")));
        out.add(BadMessage.of(
                rules, "a name of 1025 characters", valid.replace("newcomer.example.net", "n".repeat(1025))));
        out.add(BadMessage.of(
                rules, "a version of 129 characters", valid.replace("20260101-0.badinput", "v".repeat(129))));
        out.add(BadMessage.of(rules, "an empty queueloc", valid.replace(base.queueLoc(), "")));
        out.add(BadMessage.of(rules, "over 100 kB", valid.replace("newcomer.example.net", "n".repeat(110_000))));
        return out;
    }

    private static Map<String, Integer> summary(List<BadMessage> results, List<BadMessage> heartbeats) {
        Map<String, Integer> out = new TreeMap<>();
        results.forEach(m -> out.merge(m.family(), 1, Integer::sum));
        heartbeats.forEach(m -> out.merge(m.family(), 1, Integer::sum));
        return out;
    }

    /** Log lines by which the two intakes (and the consumer guarding them) say they handled a message. */
    private static int handled(LogCounter log) {
        return log.atLeast(ch.qos.logback.classic.Level.INFO, "ResultIntake")
                + log.atLeast(ch.qos.logback.classic.Level.INFO, "HeartbeatIntake")
                + log.atLeast(ch.qos.logback.classic.Level.INFO, "ManualAckConsumer")
                + log.atLeast(ch.qos.logback.classic.Level.INFO, "BatchingConsumer");
    }

    static Agent legacyHeartbeat(String queueLoc, Instant at) {
        String name = queueLoc.startsWith("linux.newcomer") ? "newcomer.example.net" : "victim.example.net";
        return new Agent(
                0,
                name,
                queueLoc,
                Agent.MODE_DAEMON,
                "20260101-0.badinput",
                4242,
                "",
                at,
                null,
                at,
                at,
                "",
                false,
                new AgentEnv(
                        "systemd",
                        "Debian 12",
                        "linux",
                        "amd64",
                        false,
                        "",
                        List.of("10.0.0.9/8"),
                        "192.0.2.9",
                        AgentEnvAws.EMPTY,
                        List.of("fleetecho")),
                Map.of("env", "test"));
    }

    private static Action pendingAction(Instant now) {
        return Action.draft(
                        "bad messages",
                        "status='online'",
                        now.minusSeconds(60),
                        now.plus(Duration.ofHours(1)),
                        List.of(Operation.of("fleetecho", JsonNodeFactory.instance.objectNode())))
                .withId(GenId.next())
                .withProgress(
                        Action.STATUS_PENDING,
                        GoTime.ACTION_START_PLACEHOLDER,
                        GoTime.ACTION_FINISH_PLACEHOLDER,
                        GoTime.ACTION_START_PLACEHOLDER,
                        null,
                        null);
    }

    private static void publish(Channel ch, String routingKey, byte[] body) throws Exception {
        ch.basicPublish(
                "toschedulers",
                routingKey,
                true,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType("text/plain")
                        .build(),
                body);
    }

    private static GetResponse awaitMessage(Channel ch, String queue) {
        return await("a command published to " + queue)
                .atMost(Duration.ofSeconds(20))
                .until(() -> ch.basicGet(queue, true), Objects::nonNull);
    }

    private static String status(MigDatabase db, long actionId) {
        return new ActionStore(db.dataSource())
                .get(actionId)
                .map(Action::status)
                .orElse("");
    }

    /** Whether {@code condition} holds within {@code timeout}. */
    private static boolean within(Duration timeout, Callable<Boolean> condition) {
        try {
            await().atMost(timeout).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
