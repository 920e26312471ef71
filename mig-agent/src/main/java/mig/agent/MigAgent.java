package mig.agent;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mig.agent.command.CommandProcessor;
import mig.agent.command.OperationRunner;
import mig.agent.config.AgentConfig;
import mig.agent.env.EnvironmentProbe;
import mig.agent.env.HostFacts;
import mig.agent.env.LocalEnvironment;
import mig.agent.heartbeat.Heartbeats;
import mig.agent.identity.AgentIdentity;
import mig.agent.relay.Relay;
import mig.agent.trust.Trust;
import mig.common.Agent;
import mig.common.Version;
import mig.modules.Module;
import mig.modules.Modules;
import mig.modules.RunContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MIG agent, in this process: the front door for {@code mig-agent}, the standalone
 * platform and tests.
 *
 * <pre>{@code
 * AgentConfig config = AgentConfig.builder().relay(amqpUri).api(apiUrl).runDir(dir).build();
 * Trust trust = new Trust(keyring, Acl.parse(aclJson), false);
 * try (MigAgent agent = MigAgent.start(config, trust)) {
 *     agent.awaitConsuming(Duration.ofSeconds(30));
 *     ... publish commands to "toagents" with routing key "mig.agt." + agent.queueLoc() ...
 * }
 * }</pre>
 *
 * <p>{@link #start} returns at once: the relay connection is made in the background (retried
 * while the relay is down) and so is the first look at the endpoint and the first heartbeat (the
 * API being down does not stop command processing). Wiring, in order: identity from the run
 * folder, module runner, command processor, heartbeats, relay.
 */
public final class MigAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MigAgent.class);

    private final AgentIdentity identity;
    private final OperationRunner runner;
    private final Heartbeats heartbeats;
    private final Relay relay;

    private MigAgent(AgentIdentity identity, OperationRunner runner, Heartbeats heartbeats, Relay relay) {
        this.identity = identity;
        this.runner = runner;
        this.heartbeats = heartbeats;
        this.relay = relay;
    }

    /** Starts an agent trusting the keys and ACL found in {@code config.confDir()}. */
    public static MigAgent start(AgentConfig config) throws IOException {
        return start(config, Trust.load(config.aclFile(), config.keysDir(), config.onlyVerifyPubKey()));
    }

    /** Starts an agent with the modules on the class path and the system clock. */
    public static MigAgent start(AgentConfig config, Trust trust) throws IOException {
        return start(config, trust, Modules.all(), Clock.systemUTC());
    }

    /**
     * Starts an agent.
     *
     * @param modules the modules it offers, by name (normally {@link Modules#all()})
     * @throws IOException if the run folder or its id file cannot be used
     */
    public static MigAgent start(AgentConfig config, Trust trust, Map<String, Module> modules, Clock clock)
            throws IOException {
        AgentIdentity identity = AgentIdentity.loadOrCreate(config.runDir(), EnvironmentProbe.goos());
        OperationRunner runner = new OperationRunner(modules, RunContext.halfTheCores(), clock,
                config.extraPrivacyMode());
        CommandProcessor processor = new CommandProcessor(trust, runner, config.moduleTimeout(), identity.queueLoc(),
                clock);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        LocalEnvironment environment = new LocalEnvironment(config, http, List.copyOf(modules.keySet()));
        String mode = config.checkin() ? Agent.MODE_CHECKIN : Agent.MODE_DAEMON;
        Heartbeats heartbeats = new Heartbeats(config, identity.queueLoc(), mode, environment::detect, http, clock);
        Relay relay = new Relay(config, identity, processor::process, clock);
        heartbeats.start();
        relay.start();
        LOG.info("Mozilla InvestiGator version {}: started agent in {} mode with modules {}", Version.VERSION, mode,
                modules.keySet());
        return new MigAgent(identity, runner, heartbeats, relay);
    }

    /** This endpoint's queue location, {@code linux.<uid>}. */
    public String queueLoc() {
        return identity.queueLoc();
    }

    /** The AMQP queue commands for this agent go to, {@code mig.agt.<queueloc>}. */
    public String queueName() {
        return identity.queueName();
    }

    /** Waits until the agent consumes its queue. @return false if it did not within {@code timeout} */
    public boolean awaitConsuming(Duration timeout) throws InterruptedException {
        return relay.awaitConsuming(timeout);
    }

    /** True when the agent consumes, runs no command and received nothing for {@code quiet}. */
    public boolean idleFor(Duration quiet) {
        return relay.idleFor(quiet);
    }

    /** The endpoint facts of the last heartbeat, once the first look at the endpoint is done. */
    public Optional<HostFacts> facts() {
        return heartbeats.facts();
    }

    /** Stops heartbeats and consumption; a command under way gets a few seconds, then stays queued. */
    @Override
    public void close() {
        heartbeats.close();
        relay.close();
        runner.close();
        LOG.info("agent stopped");
    }
}
