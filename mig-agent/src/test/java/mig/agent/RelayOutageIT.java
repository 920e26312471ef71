package mig.agent;

import static mig.agent.TestActions.ALICE;
import static mig.agent.TestActions.command;
import static mig.agent.TestActions.draft;
import static mig.agent.TestActions.op;
import static mig.agent.TestActions.signed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mig.agent.config.AgentConfig;
import mig.agent.spool.Spool;
import mig.agent.testmodules.NapModule;
import mig.common.Command;
import mig.common.Operation;
import mig.common.config.GoDuration;
import mig.testkit.MigServices;
import mig.testkit.TcpProxy;
import mig.testkit.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay goes away while the agent runs a command: the broker is cut off (a {@link TcpProxy}
 * between agent and broker drops every connection and refuses new ones, as a stopped RabbitMQ
 * would; the shared broker itself keeps running for other tests) for {@code -Dmig.agent.outage}
 * (default 30s; the Maven build passes 5s to keep CI short, see the module's pom).
 *
 * <p>What must hold: the result, finished during the outage, waits in the spool on disk and
 * arrives once after the relay is back; the command ran once (its effect file has one line) even
 * though the relay delivers it again; a command published during the outage runs after it.
 */
@ExtendWith(MigServices.class)
class RelayOutageIT {

    @TempDir
    Path tmp;

    static Duration outage() {
        return GoDuration.parse(System.getProperty("mig.agent.outage", "30s"));
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

    @Test
    void aCommandRunningWhenTheBrokerGoesAwayRunsOnceAndItsResultArrivesAfterTheOutage(TestBroker broker)
            throws Exception {
        Duration outage = outage();
        Path effects = tmp.resolve("effects.log");
        double napSeconds = Math.min(3, outage.toMillis() / 2000.0);
        try (TcpProxy relay = new TcpProxy(broker.host(), broker.port());
                FakeScheduler scheduler = new FakeScheduler(broker.connectionFactory())) {
            String uri = broker.uri()
                    .replace("@" + broker.host() + ":" + broker.port() + "/", "@127.0.0.1:" + relay.port() + "/");
            AgentConfig config = AgentConfig.builder()
                    .relay(uri)
                    .api("http://127.0.0.1:1/api/v1/")
                    .discoverPublicIp(false)
                    .heartbeatFreq(Duration.ofSeconds(5))
                    .moduleTimeout(Duration.ofMinutes(2))
                    .socket("")
                    .runDir(tmp.resolve("run"))
                    .build();
            try (MigAgent agent = MigAgent.start(config, TestActions.trust())) {
                assertTrue(agent.awaitConsuming(Duration.ofSeconds(30)), "agent did not consume within 30 s");
                Command running = command(
                        signed(draft("nap through the outage", nap("outage-nap", napSeconds, effects)), ALICE),
                        agent.queueLoc());
                scheduler.send(agent.queueLoc(), running);
                await("the command started")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> NapModule.runs(effects, "outage-nap") > 0);

                long cutAt = System.nanoTime();
                relay.down();
                Command sentDuringOutage = command(
                        signed(draft("sent while the relay is down", op("echo", "outage-queued")), ALICE),
                        agent.queueLoc());
                scheduler.send(agent.queueLoc(), sentDuringOutage);

                Path spooled = config.runDir().resolve("spool/outbox/" + running.id() + ".json");
                await("the result in the spool").atMost(outage.plusSeconds(30)).until(() -> Files.exists(spooled));
                // The outage lasts as configured, and past the spooled result however slow the machine:
                // the result must be seen to wait on disk while the relay is away.
                long left = outage.toMillis()
                        - Duration.ofNanos(System.nanoTime() - cutAt).toMillis();
                Duration stillDown = Duration.ofMillis(Math.max(left, 1_000));
                assertEquals(List.of(), scheduler.drain(stillDown), "nothing gets through the outage");
                relay.up();

                Map<Long, Command> got = new HashMap<>();
                for (int i = 0; i < 2; i++) {
                    Command c = scheduler.nextResult(Duration.ofSeconds(60));
                    got.put(c.id(), c);
                }
                assertEquals(Command.STATUS_SUCCESS, got.get(running.id()).status());
                assertEquals(
                        "outage-nap",
                        got.get(running.id()).results().get(0).elements().asText());
                assertEquals(
                        Command.STATUS_SUCCESS, got.get(sentDuringOutage.id()).status());

                assertEquals(List.of(), scheduler.drain(Duration.ofSeconds(3)), "no result twice");
                assertEquals(1, NapModule.runs(effects, "outage-nap"), "the command ran once");
                assertEquals(Spool.State.SENT, agent.spool().state(running.id()));
                assertEquals(0, agent.spool().pendingCount());
                int[] queue = scheduler.queueState(agent.queueName());
                assertEquals(1, queue[0], "the agent consumes again");
                assertEquals(0, queue[1], "nothing left on the agent's queue");
            }
        }
    }
}
