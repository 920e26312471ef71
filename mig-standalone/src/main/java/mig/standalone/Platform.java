package mig.standalone;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mig.agent.MigAgent;
import mig.agent.config.AgentConfig;
import mig.agent.trust.Trust;
import mig.api.ApiConfig;
import mig.api.ApiServer;
import mig.common.acl.Acl;
import mig.common.pgp.Keyring;
import mig.database.DbConfig;
import mig.database.MigDatabase;
import mig.scheduler.Scheduler;
import mig.scheduler.config.SchedulerConfig;

/**
 * The whole MIG platform wired in one process: the API, the scheduler and one local agent, on a
 * PostgreSQL database and an AMQP broker that the caller provides (real services, or the embedded
 * ones of the standalone demo). Used by the demo and by the end-to-end tests.
 *
 * <p>Start order: database (migrated), API, scheduler, agent; stop order is the reverse, so the
 * agent's last results still reach a running scheduler.
 */
public final class Platform implements AutoCloseable {

    /** What the platform needs from outside. */
    public record Settings(
            DbConfig database,
            String amqpUri,
            int apiPort,
            Keyring agentKeys,
            Acl agentAcl,
            Path agentRunDir,
            Duration heartbeatFreq,
            boolean authEnabled) {}

    private final MigDatabase db;
    private final ApiServer api;
    private final Scheduler scheduler;
    private final MigAgent agent;

    private Platform(MigDatabase db, ApiServer api, Scheduler scheduler, MigAgent agent) {
        this.db = db;
        this.api = api;
        this.scheduler = scheduler;
        this.agent = agent;
    }

    /** Starts everything; on failure, whatever started is stopped again. */
    public static Platform start(Settings s) throws IOException {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MigDatabase db = MigDatabase.open(s.database(), "mig-platform").migrate();
            started.add(db);
            ApiServer api = ApiServer.start(
                    ApiConfig.local(s.apiPort(), "http://localhost:" + s.apiPort(), s.authEnabled(), s.database()), db);
            started.add(api);
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(s.amqpUri());
            SchedulerConfig sc = SchedulerConfig.defaults();
            sc = new SchedulerConfig(
                    sc.agentTimeout(),
                    s.heartbeatFreq(),
                    sc.whitelist(),
                    sc.detectMultiAgents(),
                    sc.killDupAgents(),
                    sc.logActions(),
                    sc.pollFreq(),
                    sc.periodicFreq(),
                    sc.debugHeartbeats(),
                    sc.heartbeats());
            Scheduler scheduler = Scheduler.start(sc, db, factory);
            started.add(scheduler);
            AgentConfig ac = AgentConfig.builder()
                    .relay(s.amqpUri())
                    .api("http://127.0.0.1:" + api.port() + "/api/v1/")
                    .heartbeatFreq(s.heartbeatFreq())
                    .moduleTimeout(Duration.ofSeconds(300))
                    .runDir(s.agentRunDir())
                    .tag("environment", "migdemo")
                    .build();
            MigAgent agent = MigAgent.start(ac, new Trust(s.agentKeys(), s.agentAcl(), false));
            started.add(agent);
            return new Platform(db, api, scheduler, agent);
        } catch (URISyntaxException | GeneralSecurityException e) {
            closeAll(started);
            throw new IllegalArgumentException("invalid AMQP URI " + s.amqpUri() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /** The API's port. */
    public int apiPort() {
        return api.port();
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:1664/api/v1/}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + api.port() + "/api/v1/";
    }

    /** The local agent. */
    public MigAgent agent() {
        return agent;
    }

    /** The database pool. */
    public MigDatabase database() {
        return db;
    }

    @Override
    public void close() {
        closeAll(List.of(db, api, scheduler, agent));
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // keep closing the rest; the process is going down anyway
            }
        }
    }
}
