package mig.agent;

import static mig.agent.TestActions.ALICE;
import static mig.agent.TestActions.BOB;
import static mig.agent.TestActions.MALLORY;
import static mig.agent.TestActions.command;
import static mig.agent.TestActions.draft;
import static mig.agent.TestActions.op;
import static mig.agent.TestActions.signed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mig.agent.config.AgentConfig;
import mig.agent.testmodules.EchoModule;
import mig.agent.testmodules.NapModule;
import mig.agent.testmodules.SleepModule;
import mig.common.Action;
import mig.common.Command;
import mig.common.Operation;
import mig.common.json.GoJson;
import mig.testkit.MigServices;
import mig.testkit.TcpProxy;
import mig.testkit.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on a real AMQP broker, set up as the scheduler sets it up: commands published to
 * {@code toagents} with the agent's queue name as routing key, results read from the durable
 * {@code mig.agt.results} queue bound to {@code toschedulers}.
 */
@ExtendWith(MigServices.class)
class AgentIT {

    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    @TempDir
    Path runDir;

    private Connection scheduler;
    private Channel channel;
    private final BlockingQueue<Delivery> results = new LinkedBlockingQueue<>();

    @BeforeEach
    void actLikeTheScheduler(TestBroker broker) throws Exception {
        scheduler = broker.connectionFactory().newConnection("test-scheduler");
        channel = scheduler.createChannel();
        channel.exchangeDeclare("toagents", BuiltinExchangeType.DIRECT, true, false, null);
        channel.exchangeDeclare("toschedulers", BuiltinExchangeType.DIRECT, true, false, null);
        channel.queueDeclare("mig.agt.results", true, false, false, null);
        channel.queueBind("mig.agt.results", "toschedulers", "mig.agt.results");
        channel.basicConsume("mig.agt.results", true, (tag, d) -> results.add(d), tag -> {});
    }

    @AfterEach
    void close() throws Exception {
        scheduler.close();
    }

    private AgentConfig config(TestBroker broker, Duration moduleTimeout) {
        return AgentConfig.builder()
                .relay(broker.uri())
                .api("http://127.0.0.1:1/api/v1/")
                .discoverPublicIp(false)
                .heartbeatFreq(HEARTBEAT)
                .moduleTimeout(moduleTimeout)
                .socket("")
                .runDir(runDir)
                .build();
    }

    private MigAgent start(TestBroker broker, Duration moduleTimeout) throws Exception {
        MigAgent agent = MigAgent.start(config(broker, moduleTimeout), TestActions.trust());
        assertTrue(agent.awaitConsuming(Duration.ofSeconds(30)), "agent did not consume within 30 s");
        return agent;
    }

    private void send(MigAgent agent, Command cmd) throws Exception {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("text/plain")
                .expiration("360000")
                .build();
        channel.basicPublish("toagents", agent.queueName(), true, props, GoJson.marshalBytes(cmd));
    }

    private Delivery nextResult() throws InterruptedException {
        Delivery d = results.poll(30, TimeUnit.SECONDS);
        assertNotNull(d, "no result within 30 s");
        return d;
    }

    private static Operation nap(String marker, double seconds, Path effects) {
        return Operation.of(
                "nap",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("marker", marker)
                        .put("seconds", seconds)
                        .put("effects", effects.toString()));
    }

    private static Command parse(Delivery d) {
        return GoJson.unmarshal(d.getBody(), Command.class);
    }

    /**
     * The attack of upstream issue #129: someone who can publish on the relay takes an action an
     * investigator validly signed for another host and publishes it to this agent's queue under a
     * new command id. The signature holds, but the signed target excludes this agent.
     */
    @Test
    void aSignedActionReplayedToAnAgentItsTargetExcludesIsAnsweredFailedWithoutRunning(TestBroker broker)
            throws Exception {
        try (MigAgent agent = start(broker, Duration.ofSeconds(30))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.facts().isPresent());
            String us = agent.facts().orElseThrow().hostname();

            Command replay = command(
                    signed(draft("for another host", "name='other-host'", op("echo", "it-replayed")), ALICE),
                    agent.queueLoc());
            send(agent, replay);
            Command refused = parse(nextResult());
            assertEquals(replay.id(), refused.id());
            assertEquals(Command.STATUS_FAILED, refused.status());
            assertEquals(
                    List.of("parseCommands() -> checkActionAuthorization() -> action target does not select "
                            + "this agent (" + us + "): name='other-host'"),
                    refused.results().get(0).errors());
            assertFalse(EchoModule.ranWith("it-replayed"), "the replayed action reached the module");

            Map<String, String> runs = new LinkedHashMap<>();
            runs.put("it-named", "name='" + us + "'");
            runs.put("it-heartbeat", "heartbeattime > NOW() - interval '1 minute'");
            runs.put("it-loader", "loadername = 'some-loader' AND mode = 'daemon'");
            runs.put(
                    "it-chained",
                    "id IN (select agentid from commands, json_array_elements(commands.results) as r "
                            + "where actionid=1 and r#>>'{foundanything}' = 'true')");
            for (var run : runs.entrySet()) {
                send(
                        agent,
                        command(
                                signed(draft(run.getKey(), run.getValue(), op("echo", run.getKey())), ALICE),
                                agent.queueLoc()));
                Command got = parse(nextResult());
                assertEquals(Command.STATUS_SUCCESS, got.status(), run.getValue() + ": " + got.results());
                assertTrue(EchoModule.ranWith(run.getKey()), run.getValue() + " did not run");
            }
        }
    }

    @Test
    void aSignedCommandRunsAndItsResultComesBackAsGoJson(TestBroker broker) throws Exception {
        try (MigAgent agent = start(broker, Duration.ofSeconds(30))) {
            Command sent = command(signed(draft("echo it", op("echo", "it-success")), ALICE), "linux.somebody-else");
            send(agent, sent);
            Delivery d = nextResult();

            assertEquals("toschedulers", d.getEnvelope().getExchange());
            assertEquals("mig.agt.results", d.getEnvelope().getRoutingKey());
            assertEquals(2, d.getProperties().getDeliveryMode());
            assertEquals("text/plain", d.getProperties().getContentType());
            assertEquals(
                    Long.toString(HEARTBEAT.toMillis() * 10), d.getProperties().getExpiration());
            assertNotNull(d.getProperties().getTimestamp());

            String body = new String(d.getBody(), StandardCharsets.UTF_8);
            Command got = parse(d);
            assertEquals(body, GoJson.marshal(got), "the body is Go JSON, field for field");
            assertEquals(sent.id(), got.id());
            assertEquals(Command.STATUS_SUCCESS, got.status());
            assertEquals(agent.queueLoc(), got.agent().queueLoc());
            assertEquals(1, got.results().size());
            assertTrue(got.results().get(0).success());
            assertEquals(
                    "it-success", got.results().get(0).elements().get("marker").asText());
            assertEquals(sent.action().canonicalString(), got.action().canonicalString());
            assertEquals(sent.action().pgpSignatures(), got.action().pgpSignatures());
        }
    }

    @Test
    void refusedCommandsComeBackFailedWithTheReasonAndRunNothing(TestBroker broker) throws Exception {
        Instant now = Instant.now();
        Map<String, Action> cases = new LinkedHashMap<>();
        cases.put("unknown key", signed(draft("mallory", op("echo", "it-unknown-key")), MALLORY));
        cases.put("light signer", signed(draft("bob", op("echo", "it-light")), BOB));
        cases.put(
                "tampered",
                signed(draft("tampered", op("echo", "it-before")), ALICE)
                        .withOperations(List.of(op("echo", "it-tampered"))));
        cases.put(
                "expired",
                signed(
                        draft("expired", op("echo", "it-expired"))
                                .withTimes(now.minusSeconds(600), now.minusSeconds(30)),
                        ALICE));
        cases.put(
                "not yet valid",
                signed(
                        draft("later", op("echo", "it-later")).withTimes(now.plusSeconds(600), now.plusSeconds(1200)),
                        ALICE));
        cases.put("unsigned", draft("unsigned", op("echo", "it-unsigned")));
        cases.put("unknown module", signed(draft("nope", op("nope", "it-nope")), ALICE));
        String prefix = "parseCommands() -> checkActionAuthorization() -> ";
        Map<String, String> expected = Map.of(
                "unknown key",
                        prefix + "action ACL verification failed: failed to retrieve fingerprint from "
                                + "signatures: signature 1 of 1: ",
                "light signer",
                        prefix + "action ACL verification failed: permission denied for operation echo, "
                                + "insufficient signatures weight (need 2, got 1)",
                "tampered",
                        prefix + "action ACL verification failed: failed to retrieve fingerprint from "
                                + "signatures: signature 1 of 1: ",
                "expired", prefix + "action validation failed: action expireafter is in the past",
                "not yet valid", prefix + "Action ValidFrom date is in the future",
                "unsigned", prefix + "action validation failed: action pgpsignatures is empty",
                "unknown module", "module 'nope' is not available");

        try (MigAgent agent = start(broker, Duration.ofSeconds(30))) {
            Map<Long, String> caseOfCommand = new HashMap<>();
            for (var c : cases.entrySet()) {
                Command cmd = command(c.getValue(), agent.queueLoc());
                caseOfCommand.put(cmd.id(), c.getKey());
                send(agent, cmd);
            }
            for (int i = 0; i < cases.size(); i++) {
                Command got = parse(nextResult());
                String name = caseOfCommand.remove(got.id());
                assertNotNull(name, "unexpected result " + got.id());
                assertEquals(Command.STATUS_FAILED, got.status(), name);
                assertEquals(1, got.results().size(), name);
                String error = got.results().get(0).errors().get(0);
                assertTrue(error.startsWith(expected.get(name)), name + ": " + error);
                assertFalse(got.results().get(0).success(), name);
            }
            assertTrue(caseOfCommand.isEmpty());
        }
        for (String marker :
                List.of("it-unknown-key", "it-light", "it-tampered", "it-expired", "it-later", "it-unsigned")) {
            assertFalse(EchoModule.ranWith(marker), marker + " reached the module");
        }
    }

    @Test
    void aModulePastItsTimeoutIsReportedPromptly(TestBroker broker) throws Exception {
        try (MigAgent agent = start(broker, Duration.ofSeconds(1))) {
            Operation sleep =
                    Operation.of("sleep", JsonNodeFactory.instance.objectNode().put("seconds", 120));
            int interruptedBefore = SleepModule.interruptions();
            send(agent, command(signed(draft("sleepy", sleep), ALICE), agent.queueLoc()));
            Command got = parse(nextResult());
            assertEquals(Command.STATUS_TIMEOUT, got.status());
            // Promptly: the 120 s sleep was stopped at the 1 s timeout, not waited for.
            await("the module interrupted")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> SleepModule.interruptions() > interruptedBefore);

            send(agent, command(signed(draft("after", op("echo", "it-after-timeout")), ALICE), agent.queueLoc()));
            assertEquals(Command.STATUS_SUCCESS, parse(nextResult()).status(), "the agent keeps working");
        }
    }

    @Test
    void theAgentWaitsForTheRelayAndRecoversFromALostConnection(TestBroker broker) throws Exception {
        try (TcpProxy relay = new TcpProxy(broker.host(), broker.port())) {
            relay.down();
            String uri = broker.uri()
                    .replace("@" + broker.host() + ":" + broker.port() + "/", "@127.0.0.1:" + relay.port() + "/");
            AgentConfig config = config(broker, Duration.ofSeconds(30)).toBuilder()
                    .relay(uri)
                    .build();
            try (MigAgent agent = MigAgent.start(config, TestActions.trust())) {
                assertFalse(agent.awaitConsuming(Duration.ofSeconds(2)), "the relay is down");
                relay.up();
                assertTrue(agent.awaitConsuming(Duration.ofSeconds(30)), "connected once the relay is up");
                Command before = command(signed(draft("before", op("echo", "it-before-cut")), ALICE), agent.queueLoc());
                send(agent, before);
                assertEquals(Command.STATUS_SUCCESS, parse(nextResult()).status());

                int connections = relay.accepted();
                relay.cut();
                await("the agent reconnects")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> relay.accepted() > connections);
                send(agent, command(signed(draft("after", op("echo", "it-after-cut")), ALICE), agent.queueLoc()));
                Command got = parse(nextResult());
                if (got.id() == before.id()) {
                    // The cut can fall between the broker routing the first result and its confirm
                    // reaching the agent: the agent then publishes it again from its spool once
                    // reconnected (at least once; the scheduler stores a command's result once).
                    got = parse(nextResult());
                }
                assertEquals(Command.STATUS_SUCCESS, got.status(), "consumer and publisher recovered");
                assertEquals(
                        "it-after-cut",
                        got.results().get(0).elements().get("marker").asText());
            }
        }
    }

    @Test
    void commandsSentWhileTheAgentIsDownRunWhenItComesBackInCheckinMode(TestBroker broker) throws Exception {
        String queueLoc;
        try (MigAgent first = start(broker, Duration.ofSeconds(30))) {
            queueLoc = first.queueLoc();
        }
        Command cmd = command(signed(draft("while away", op("echo", "it-while-away")), ALICE), queueLoc);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("text/plain")
                .build();
        channel.basicPublish("toagents", "mig.agt." + queueLoc, true, props, GoJson.marshalBytes(cmd));

        AgentConfig checkin =
                config(broker, Duration.ofSeconds(30)).toBuilder().checkin(true).build();
        try (MigAgent again = MigAgent.start(checkin, TestActions.trust())) {
            assertEquals(queueLoc, again.queueLoc());
            Command got = parse(nextResult());
            assertEquals(cmd.id(), got.id());
            assertEquals(Command.STATUS_SUCCESS, got.status());
            await("idle").atMost(Duration.ofSeconds(10)).until(() -> again.idleFor(Duration.ofMillis(500)));
        }
    }

    @Test
    void aCommandUnderWayAtShutdownStaysQueuedAndRunsAtTheNextStart(TestBroker broker) throws Exception {
        Path effects = runDir.resolve("nap-effects.log");
        Command cmd = command(signed(draft("slow", nap("slow", 2, effects)), ALICE), "linux.x");
        MigAgent first = start(broker, Duration.ofSeconds(60));
        send(first, cmd);
        await("the agent runs the command")
                .atMost(Duration.ofSeconds(30))
                .until(() -> NapModule.runs(effects, "slow") == 1);
        String queue = first.queueName();
        Thread closer = new Thread(first::close);
        closer.start();
        Command got = parse(nextResult());
        closer.join();
        assertEquals(cmd.id(), got.id());
        assertEquals(Command.STATUS_SUCCESS, got.status(), "close waited for the command to finish");
        assertEquals(0, channel.queueDeclarePassive(queue).getMessageCount(), "acked after publishing");

        Command stuck = command(signed(draft("stuck", nap("stuck", 120, effects)), ALICE), "linux.x");
        MigAgent second = start(broker, Duration.ofSeconds(60));
        send(second, stuck);
        // Taken and under way (not merely still waiting in the queue) when the agent is closed.
        await("the agent runs the command")
                .atMost(Duration.ofSeconds(30))
                .until(() -> NapModule.runs(effects, "stuck") == 1);
        second.close();
        assertEquals(1, channel.queueDeclarePassive(queue).getMessageCount(), "interrupted, so left queued");
        assertTrue(results.isEmpty());
    }
}
