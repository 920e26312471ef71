package mig.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import mig.agent.build.AgentBuild;
import mig.agent.command.CommandIntake;
import mig.agent.command.CommandProcessor;
import mig.agent.command.OperationRunner;
import mig.agent.config.AgentConfig;
import mig.agent.env.ApiHttp;
import mig.agent.env.EnvironmentProbe;
import mig.agent.env.HostFacts;
import mig.agent.env.LocalEnvironment;
import mig.agent.heartbeat.Heartbeats;
import mig.agent.identity.AgentIdentity;
import mig.agent.persist.Dispatch;
import mig.agent.persist.PersistSettings;
import mig.agent.persist.PersistentModules;
import mig.agent.relay.Relay;
import mig.agent.spool.Spool;
import mig.agent.status.AgentStats;
import mig.agent.status.StatSocket;
import mig.agent.status.StatusPage;
import mig.agent.trust.TargetCheck;
import mig.agent.trust.Trust;
import mig.common.Agent;
import mig.common.AgentEnv;
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
 * API being down does not stop command processing). Wiring, in order: identity and spool from the
 * run folder, module runner, command processor and intake, heartbeats, relay, stat socket.
 */
public final class MigAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MigAgent.class);

    private final AgentIdentity identity;
    private final Spool spool;
    private final OperationRunner runner;
    private final Heartbeats heartbeats;
    private final Relay relay;
    private final Optional<StatSocket> statSocket;
    private final CountDownLatch stopRequested;
    private final PersistentModules persistent;

    private MigAgent(
            AgentIdentity identity,
            Spool spool,
            OperationRunner runner,
            Heartbeats heartbeats,
            Relay relay,
            Optional<StatSocket> statSocket,
            CountDownLatch stopRequested,
            PersistentModules persistent) {
        this.identity = identity;
        this.spool = spool;
        this.runner = runner;
        this.heartbeats = heartbeats;
        this.relay = relay;
        this.statSocket = statSocket;
        this.stopRequested = stopRequested;
        this.persistent = persistent;
    }

    /**
     * Starts an agent with the trust of its build (compiled-in ACL and keys) or, run from the
     * development tree, the keys and ACL found in {@code config.confDir()}.
     *
     * @see Trust#forAgent
     */
    public static MigAgent start(AgentConfig config) throws IOException {
        Optional<AgentBuild> build = AgentBuild.current();
        return start(
                config,
                Trust.forAgent(build, config),
                Modules.all(),
                Clock.systemUTC(),
                PersistSettings.forAgent(build, config));
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
        return start(config, trust, modules, clock, PersistSettings.NONE);
    }

    /**
     * Starts an agent with persistent modules (fswatch, dispatch) as {@code persist} configures
     * them; {@code [agent] nopersistmods} turns them off, as in the original.
     */
    public static MigAgent start(
            AgentConfig config, Trust trust, Map<String, Module> modules, Clock clock, PersistSettings persist)
            throws IOException {
        AgentIdentity identity = AgentIdentity.loadOrCreate(config.runDir(), EnvironmentProbe.goos());
        Spool spool = Spool.open(config.runDir(), clock);
        OperationRunner runner =
                new OperationRunner(modules, RunContext.halfTheCores(), clock, config.extraPrivacyMode());
        AgentStats stats = new AgentStats(config.statsMaxActions(), clock);
        CommandProcessor processor =
                new CommandProcessor(trust, runner, config.moduleTimeout(), identity.queueLoc(), clock, stats);
        CommandIntake intake = new CommandIntake(processor, spool);
        ApiHttp http = new ApiHttp(Duration.ofSeconds(5));
        LocalEnvironment environment = new LocalEnvironment(config, http, List.copyOf(modules.keySet()));
        String mode = config.checkin() ? Agent.MODE_CHECKIN : Agent.MODE_DAEMON;
        Heartbeats heartbeats = new Heartbeats(config, identity.queueLoc(), mode, environment::detect, http, clock);
        processor.refusingCommandsNotFor(TargetCheck.of(heartbeats::facts, identity.queueLoc(), mode, config.tags()));
        Relay relay = new Relay(config, identity, intake::handle, spool, clock);
        heartbeats.start();
        relay.start();
        CountDownLatch stopRequested = new CountDownLatch(1);
        Optional<StatSocket> statSocket = config.checkin()
                ? Optional.empty()
                : StatSocket.start(
                        config.socket(),
                        identity.uid(),
                        () -> StatusPage.render(config, heartbeats.facts(), stats, binPath()),
                        stopRequested::countDown);
        PersistSettings running = persist;
        if (config.noPersistMods() && !persist.isEmpty()) {
            LOG.info("nopersistmods is set: persistent modules are not started");
            running = PersistSettings.NONE;
        }
        PersistentModules persistent = PersistentModules.start(
                running,
                config.runDir(),
                () -> heartbeats
                        .facts()
                        .map(f -> new Dispatch.Origin(f.hostname(), f.env(), config.tags()))
                        .orElseGet(() -> new Dispatch.Origin(hostnameNow(), AgentEnv.EMPTY, config.tags())),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                clock);
        LOG.info(
                "Mozilla InvestiGator version {}: started agent in {} mode with modules {}",
                Version.VERSION,
                mode,
                modules.keySet());
        return new MigAgent(identity, spool, runner, heartbeats, relay, statSocket, stopRequested, persistent);
    }

    private static String hostnameNow() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** The persistent modules this agent runs (none unless configured). */
    public PersistentModules persistentModules() {
        return persistent;
    }

    /** Where the agent's code comes from (its jar), for the status page. */
    private static String binPath() {
        try {
            return Path.of(MigAgent.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return ProcessHandle.current().info().command().orElse("java");
        }
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

    /** The spool of commands and results, in {@code <rundir>/spool}. */
    public Spool spool() {
        return spool;
    }

    /** The stat socket's port, once it listens (empty when it is off or its port is busy). */
    public Optional<Integer> statSocketPort() {
        return statSocket.flatMap(StatSocket::port);
    }

    /**
     * Waits until someone asks the agent to stop through the stat socket ({@code mig-agent -q
     * shutdown}); {@code mig-agent} then closes the agent and exits 0.
     */
    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    /** The endpoint facts of the last heartbeat, once the first look at the endpoint is done. */
    public Optional<HostFacts> facts() {
        return heartbeats.facts();
    }

    /** Stops heartbeats and consumption; a command under way gets a few seconds, then stays queued. */
    @Override
    public void close() {
        statSocket.ifPresent(StatSocket::close);
        persistent.close();
        heartbeats.close();
        relay.close();
        runner.close();
        LOG.info("agent stopped");
    }
}
