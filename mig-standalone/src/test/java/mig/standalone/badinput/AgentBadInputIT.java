package mig.standalone.badinput;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import mig.agent.MigAgent;
import mig.agent.config.AgentConfig;
import mig.agent.trust.Trust;
import mig.bench.fleet.FleetEchoModule;
import mig.bench.platform.ConfigFiles;
import mig.bench.platform.Investigator;
import mig.common.Action;
import mig.common.Agent;
import mig.common.Command;
import mig.common.GenId;
import mig.common.Operation;
import mig.common.acl.Acl;
import mig.common.json.GoJson;
import mig.common.pgp.Keyring;
import mig.scheduler.dispatch.CommandFactory;
import mig.standalone.badinput.MessageCorpus.BadMessage;
import mig.testkit.MigServices;
import mig.testkit.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated corpus of malformed messages on a real agent's queue {@code mig.agt.<queueloc>}.
 * Bodies that are not a command are dropped with a log line and no answer; commands whose action
 * the agent must not run (unsigned, signature over other operations, expired, not yet valid,
 * signed by a stranger or by a key the ACL gives no weight) are answered {@code failed} with the
 * reason, once. No module runs for any of them, the queue drains (no redelivery loop), and the
 * agent then runs a valid command, once, even when it is delivered twice.
 */
@ExtendWith(MigServices.class)
class AgentBadInputIT {

    enum Expect {
        DROP,
        REFUSE,
        DROP_OR_REFUSE
    }

    record Case(BadMessage message, Expect expect, long commandId) {}

    @TempDir
    Path tmp;

    @Test
    void noMalformedOrUntrustedCommandRunsAModule(TestBroker broker) throws Exception {
        Investigator eve = Keys.eve();
        Investigator weightless = Keys.limited();
        Trust trust = new Trust(
                Keyring.of(List.of(
                        eve.key().secretKey().publicKey(),
                        weightless.key().secretKey().publicKey())),
                Acl.parse(eve.aclJson()),
                false);
        AgentConfig config = AgentConfig.builder()
                .relay(broker.uri())
                .api("http://127.0.0.1:9/api/v1/")
                .socket("127.0.0.1:" + ConfigFiles.freePort())
                .heartbeatFreq(Duration.ofHours(1))
                .moduleTimeout(Duration.ofSeconds(30))
                .discoverPublicIp(false)
                .runDir(tmp.resolve("run"))
                .build();
        Map<Long, Command> replies = new ConcurrentHashMap<>();
        try (Connection amqp = broker.connectionFactory().newConnection("bad-agent-input");
                LogCounter log = LogCounter.on("mig.agent");
                MigAgent agent = MigAgent.start(
                        config, trust, Map.of(FleetEchoModule.NAME, new FleetEchoModule()), Clock.systemUTC())) {
            Channel ch = amqp.createChannel();
            ch.exchangeDeclare("toschedulers", "direct", true, false, false, null);
            ch.queueDeclare("mig.agt.results", true, false, false, null);
            ch.queueBind("mig.agt.results", "toschedulers", "mig.agt.results");
            ch.basicConsume(
                    "mig.agt.results",
                    true,
                    (tag, d) -> {
                        Command c = GoJson.unmarshal(d.getBody(), Command.class);
                        if (replies.putIfAbsent(c.id(), c) != null) {
                            replies.put(-c.id(), c); // a second answer to the same command: the test fails below
                        }
                    },
                    tag -> {});
            assertTrue(agent.awaitConsuming(Duration.ofSeconds(30)), "the agent consumes its queue");
            Agent self = new Agent(
                    GenId.next(),
                    "bad-input-agent",
                    agent.queueLoc(),
                    Agent.MODE_DAEMON,
                    "1",
                    1,
                    "",
                    null,
                    null,
                    null,
                    null,
                    Agent.STATUS_ONLINE,
                    false,
                    null,
                    Map.of());

            List<Case> corpus = corpus(eve, weightless, Keys.stranger(), self);
            long runsBefore = FleetEchoModule.runs();
            int dropsBefore = handled(log);
            long start = System.nanoTime();
            for (Case c : corpus) {
                ch.basicPublish(
                        "toagents",
                        agent.queueName(),
                        true,
                        new AMQP.BasicProperties.Builder()
                                .deliveryMode(2)
                                .contentType("text/plain")
                                .build(),
                        c.message().body());
            }
            long refusals =
                    corpus.stream().filter(c -> c.expect() == Expect.REFUSE).count();
            await("every message handled")
                    .atMost(Duration.ofSeconds(40))
                    .until(() -> agent.idleFor(Duration.ofMillis(500))
                            && replies.size() + handled(log) - dropsBefore >= corpus.size());
            double seconds = (System.nanoTime() - start) / 1e9;

            List<String> wrong = new ArrayList<>();
            for (Case c : corpus) {
                Command reply = replies.get(c.commandId());
                boolean answered = reply != null && c.commandId() != 0;
                if (c.expect() == Expect.DROP && answered) {
                    wrong.add(c.message().what() + ": answered " + reply.status() + ", expected a drop");
                } else if (c.expect() == Expect.REFUSE
                        && (reply == null || !reply.status().equals("failed"))) {
                    wrong.add(c.message().what() + ": " + (reply == null ? "no answer" : "answered " + reply.status())
                            + ", expected failed");
                } else if (answered && !reply.status().equals("failed")) {
                    wrong.add(c.message().what() + ": answered " + reply.status());
                }
            }
            assertEquals(List.of(), wrong);
            assertEquals(runsBefore, FleetEchoModule.runs(), "modules run for bad or untrusted commands");
            assertTrue(replies.keySet().stream().noneMatch(id -> id < 0), "a command answered twice");
            assertEquals(0, ch.queueDeclarePassive(agent.queueName()).getMessageCount(), "messages left or requeued");
            assertEquals(List.of(), log.withStackTraces(), "drops are logged in one line, without stack traces");
            Map<String, Integer> families = new TreeMap<>();
            corpus.forEach(c -> families.merge(c.message().family(), 1, Integer::sum));
            System.out.printf(
                    "agent bad input: %d messages in %.1f s, %d refused with an answer, the rest dropped%n",
                    corpus.size(), seconds, refusals);
            families.forEach((k, v) -> System.out.printf("  %-48s %d%n", k, v));

            // Still running commands: a valid one runs once, and a second delivery of it is dropped.
            Command valid = command(eve.sign(action("valid", 0)), self);
            for (int i = 0; i < 2; i++) {
                ch.basicPublish("toagents", agent.queueName(), true, null, GoJson.marshalBytes(valid));
            }
            await("the valid command answered")
                    .atMost(Duration.ofSeconds(40))
                    .until(() -> replies.containsKey(valid.id()));
            await("its copy dropped")
                    .atMost(Duration.ofSeconds(40))
                    .until(() -> log.count("CommandIntake", "already answered; dropping the copy") >= 1);
            assertEquals("success", replies.get(valid.id()).status());
            assertEquals(runsBefore + 1, FleetEchoModule.runs(), "the valid command ran once");
            assertTrue(corpus.size() >= 100, "a corpus of " + corpus.size() + " messages");
        }
    }

    private static List<Case> corpus(Investigator eve, Investigator weightless, Investigator stranger, Agent self)
            throws Exception {
        List<Case> out = new ArrayList<>();
        for (BadMessage m : MessageCorpus.notJson("not JSON")) {
            out.add(new Case(m, Expect.DROP, 0));
        }
        Command unsigned = command(action("unsigned", 0), self);
        for (BadMessage m : MessageCorpus.truncated("command cut short", GoJson.marshal(unsigned), 30)) {
            // A cut right after a whole member, closed with a brace, is a command with no action: refused.
            out.add(new Case(m, Expect.DROP_OR_REFUSE, unsigned.id()));
        }
        Map<String, List<String>> wrongTypes = Map.of(
                "/id",
                MessageCorpus.NOT_NUMBER,
                "/action",
                MessageCorpus.NOT_OBJECT,
                "/agent",
                MessageCorpus.NOT_OBJECT,
                "/results",
                List.of("\"x\"", "42", "{}", "[null]"),
                "/action/operations",
                List.of("\"x\"", "42", "{}", "[null]", "[42]"),
                "/action/pgpsignatures",
                List.of("\"x\"", "42", "{}", "[null]", "[42]"),
                "/action/validfrom",
                MessageCorpus.NOT_TIME,
                "/action/expireafter",
                MessageCorpus.NOT_TIME,
                "/action/syntaxversion",
                List.of("\"x\"", "1.5", "[]"));
        for (var e : wrongTypes.entrySet()) {
            for (String value : e.getValue()) {
                // A command of its own for each, so that the agent's spool does not take it for a copy.
                Command typed = command(action("wrong types", 0), self);
                BadMessage m = MessageCorpus.wrongTypes(
                                "command field of the wrong type (unsigned action)",
                                GoJson.marshal(typed),
                                Map.of(e.getKey(), List.of(value)))
                        .get(0);
                out.add(new Case(m, Expect.DROP_OR_REFUSE, typed.id()));
            }
        }
        Action signed = eve.sign(action("signed", 0));
        Instant vf = signed.validFrom();
        Instant ea = signed.expireAfter();
        Map<String, Action> refused = new java.util.LinkedHashMap<>();
        refused.put("unsigned", action("unsigned", 0));
        refused.put("empty signature list", action("no signatures", 0).withSignatures(List.of()));
        refused.put(
                "module changed after signing",
                signed.withOperations(List.of(Operation.of("file", JsonNodeFactory.instance.objectNode()))));
        refused.put(
                "parameters changed after signing",
                signed.withOperations(List.of(Operation.of(
                        FleetEchoModule.NAME,
                        JsonNodeFactory.instance.objectNode().put("sleepms", 1)))));
        refused.put(
                "operation added after signing",
                signed.withOperations(
                        List.of(signed.operations().get(0), signed.operations().get(0))));
        refused.put("validity widened after signing", signed.withTimes(vf.minusSeconds(3600), ea.plusSeconds(3600)));
        refused.put(
                "expired (signed)",
                eve.sign(Action.draft(
                        "expired",
                        "status='online'",
                        vf.minusSeconds(7200),
                        vf.minusSeconds(3600),
                        signed.operations())));
        refused.put(
                "not yet valid (signed)",
                eve.sign(Action.draft(
                        "later", "status='online'", vf.plusSeconds(3600), ea.plusSeconds(7200), signed.operations())));
        refused.put(
                "expireafter before validfrom (signed)",
                eve.sign(Action.draft(
                        "inverted", "status='online'", vf.plusSeconds(600), vf.plusSeconds(60), signed.operations())));
        refused.put("signed by a key the agent does not know", stranger.sign(action("stranger", 0)));
        refused.put("signed by a key the ACL gives no weight", weightless.sign(action("weightless", 0)));
        refused.put(
                "signature cut in half",
                signed.withSignatures(List.of(signed.pgpSignatures()
                        .get(0)
                        .substring(0, signed.pgpSignatures().get(0).length() / 2))));
        refused.put("a signature that is not one", signed.withSignatures(List.of("hello")));
        refused.put(
                "a good signature and a bad one",
                signed.withSignatures(List.of(signed.pgpSignatures().get(0), "AAAA")));
        refused.put(
                "syntax version 1 (signed)",
                new Action(
                        0,
                        signed.name(),
                        signed.target(),
                        null,
                        null,
                        vf,
                        ea,
                        signed.operations(),
                        signed.pgpSignatures(),
                        null,
                        "",
                        null,
                        null,
                        null,
                        null,
                        1));
        refused.put("no operations (signed)", eve.sign(Action.draft("no ops", "status='online'", vf, ea, null)));
        refused.put(
                "a module the agent does not have (signed)",
                eve.sign(new Action(
                        0,
                        "unknown module",
                        "status='online'",
                        null,
                        null,
                        vf,
                        ea,
                        List.of(Operation.of("nosuchmodule", JsonNodeFactory.instance.objectNode())),
                        List.of(),
                        null,
                        "",
                        null,
                        null,
                        null,
                        null,
                        2)));
        for (var e : refused.entrySet()) {
            Command c = command(e.getValue(), self);
            out.add(new Case(
                    new BadMessage("refused: untrusted or invalid action", e.getKey(), GoJson.marshalBytes(c)),
                    Expect.REFUSE,
                    c.id()));
        }
        Command idZero = command(signed, self);
        out.add(new Case(
                BadMessage.of(
                        "not a command",
                        "command id 0 (signed action)",
                        GoJson.marshal(idZero).replaceFirst("\"id\":" + idZero.id(), "\"id\":0")),
                Expect.DROP,
                0));
        long hugeId = GenId.next();
        out.add(new Case(MessageCorpus.huge("huge", 5, "{\"id\":" + hugeId + ","), Expect.DROP_OR_REFUSE, hugeId));
        return out;
    }

    /** Log lines by which the agent says it dropped a message: not a command, or a copy of one answered. */
    private static int handled(LogCounter log) {
        return log.count("CommandIntake", "dropping a message that is not a command")
                + log.count("CommandIntake", "dropping the copy")
                + log.count("CommandIntake", "waits in the spool");
    }

    /** An action for {@code fleetecho}, valid from a minute ago for ten minutes, unsigned. */
    private static Action action(String name, long sleepMs) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Action.draft(
                name,
                "status='online'",
                now.minusSeconds(60),
                now.plusSeconds(600),
                List.of(Operation.of(
                        FleetEchoModule.NAME,
                        JsonNodeFactory.instance.objectNode().put("sleepms", sleepMs))));
    }

    /** The command the scheduler would publish for this action and agent, with a new id. */
    private static Command command(Action a, Agent self) {
        return new CommandFactory(GenId::next)
                .create(a.withId(GenId.next()), List.of(self), Instant.now().truncatedTo(ChronoUnit.MICROS))
                .get(0);
    }
}
