package mig.agent.heartbeat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mig.agent.config.AgentConfig;
import mig.agent.env.ApiHttp;
import mig.agent.env.HostFacts;
import mig.common.Heartbeat;
import mig.common.Version;
import mig.common.config.GoDuration;
import mig.common.heartbeat.HeartbeatAuth;
import mig.common.json.GoJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's environment current and tells the API the agent is alive: the first heartbeat
 * right away, then one every {@code heartbeatfreq}, and an environment refresh every
 * {@code refreshenv} that bumps the refresh time when anything changed.
 *
 * <p>Concurrency: one scheduler thread runs both jobs, so {@code facts} and {@code refreshTime}
 * are only written there; they are volatile because {@link #facts()} is read from other threads. A
 * failed POST is logged and retried at the next tick; it never stops the agent (the original
 * panicked on a transport error).
 */
public final class Heartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);
    private static final Duration POST_TIMEOUT = Duration.ofSeconds(30);

    private final AgentConfig config;
    private final String queueLoc;
    private final String mode;
    private final Supplier<HostFacts> probe;
    private final ApiHttp http;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile HostFacts facts;
    private volatile Instant refreshTime;

    /**
     * @param mode  {@code daemon} or {@code checkin}
     * @param probe looks at the endpoint (slow: may query the API for the public IP)
     */
    public Heartbeats(
            AgentConfig config, String queueLoc, String mode, Supplier<HostFacts> probe, ApiHttp http, Clock clock) {
        this.config = config;
        this.queueLoc = queueLoc;
        this.mode = mode;
        this.probe = probe;
        this.http = http;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mig-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Looks at the endpoint, then schedules heartbeats (first one now) and refreshes. */
    public void start() {
        if (!config.discoverPublicIp()) {
            LOG.warn("discoverpublicip is off: the MIG API refuses heartbeats without a public IP");
        }
        long freq = config.heartbeatFreq().toMillis();
        scheduler.execute(this::refresh);
        scheduler.scheduleWithFixedDelay(this::guardedBeat, 0, freq, TimeUnit.MILLISECONDS);
        long refresh = config.refreshEnv().toMillis();
        if (refresh > 0) {
            LOG.info("environment will refresh every {}", GoDuration.format(config.refreshEnv()));
            scheduler.scheduleWithFixedDelay(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
        } else {
            LOG.info("periodic environment refresh is disabled");
        }
    }

    /** The latest facts, once the first look at the endpoint is done. */
    public Optional<HostFacts> facts() {
        return Optional.ofNullable(facts);
    }

    private void refresh() {
        try {
            HostFacts now = probe.get();
            HostFacts before = facts;
            if (before == null || !before.equals(now)) {
                refreshTime = clock.instant();
                if (before != null) {
                    LOG.info("agent environment has changed");
                }
            }
            facts = now;
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("error obtaining new agent environment: {}", e.toString(), e);
        }
    }

    /**
     * A heartbeat that cannot end the schedule: a periodic task that throws is never run again,
     * and an agent without heartbeats looks dead to the platform. A module exhausting the heap can
     * make any thread's allocation fail, this one's included.
     */
    private void guardedBeat() {
        try {
            beat();
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("heartbeat failed: {}; next one in {}", e.toString(), GoDuration.format(config.heartbeatFreq()));
        }
    }

    private void beat() {
        HostFacts f = facts;
        if (f == null) {
            return;
        }
        Heartbeat hb = Heartbeat.of(
                f.hostname(),
                f.env(),
                mode,
                Version.VERSION,
                ProcessHandle.current().pid(),
                queueLoc,
                clock.instant(),
                refreshTime,
                config.tags());
        String body = GoJson.marshal(hb);
        String url = config.apiUrl("heartbeat");
        LOG.debug("heartbeat {}", body);
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            // signed only when the build carries a secret: an API without one ignores the header
            ApiHttp.Response resp = http.postJson(
                    url,
                    bytes,
                    POST_TIMEOUT,
                    config.heartbeatSecret().isEmpty()
                            ? Map.of()
                            : Map.of(HeartbeatAuth.HEADER, HeartbeatAuth.sign(config.heartbeatSecret(), bytes)));
            if (resp.status() != 200) {
                LOG.error(
                        "heartbeat to {} answered HTTP {} (expected 200): {}",
                        url,
                        resp.status(),
                        resp.body().strip());
            }
        } catch (IOException e) {
            LOG.error(
                    "heartbeat to {} failed: {}; retrying in {}",
                    url,
                    why(e),
                    GoDuration.format(config.heartbeatFreq()));
        }
        writeOkFile();
    }

    private static String why(Exception e) {
        return e.getMessage() == null && e.getCause() != null ? e.getCause().toString() : e.toString();
    }

    /** {@code <rundir>/mig-agent.ok}: the time of the last heartbeat, for watchdogs. */
    private void writeOkFile() {
        Path ok = config.runDir().resolve("mig-agent.ok");
        try {
            Files.writeString(ok, clock.instant().toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("failed to write {}: {}", ok, e.toString());
        }
    }

    /** Stops heartbeats; a POST under way is abandoned. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
