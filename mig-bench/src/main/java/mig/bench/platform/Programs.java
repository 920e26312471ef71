package mig.bench.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mig.bench.proc.ChildJvm;

/**
 * Starts MIG's programs as child JVMs with generated configuration files, and waits until each says
 * it is ready in its log: {@code mig-api} ("MIG API listening"), {@code mig-scheduler}
 * ("mig-scheduler started"), {@code mig-agent} ("consuming commands"). The main classes are the
 * ones {@code bin/mig-api}, {@code bin/mig-scheduler} and {@code bin/mig-agent} run.
 */
public final class Programs {

    /** Start-up may be slow on a busy 2-core machine: JVM, Flyway, a scheduler key on first start. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private Programs() {}

    /** {@code mig-api -c <dir>/api.cfg} on 127.0.0.1:{@code port}. */
    public static ChildJvm api(Path dir, int port, ConfigFiles.Postgres pg, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path cfg = ConfigFiles.api(dir.resolve("api.cfg"), port, pg, "info");
        ChildJvm api = ChildJvm.start("mig-api", jvmOptions, "mig.api.ApiMain", List.of("-c", cfg.toString()), dir);
        return ready(api, "MIG API listening on");
    }

    /** {@code mig-scheduler -c <dir>/<name>.cfg}. */
    public static ChildJvm scheduler(
            Path dir,
            String name,
            ConfigFiles.Postgres pg,
            ConfigFiles.Mq mq,
            Duration heartbeatFreq,
            Duration pollFreq,
            List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path cfg = ConfigFiles.scheduler(
                dir.resolve(name + ".cfg"), pg, mq, heartbeatFreq, pollFreq, Duration.ofSeconds(87), "info");
        ChildJvm s =
                ChildJvm.start(name, jvmOptions, "mig.scheduler.SchedulerMain", List.of("-c", cfg.toString()), dir);
        return ready(s, "mig-scheduler started");
    }

    /**
     * {@code mig-agent -c <confDir>/mig-agent.cfg -rundir <runDir> -f}: a real agent trusting
     * {@code investigator}. The same {@code runDir} again gives the same queue location.
     */
    public static ChildJvm agent(
            Path logDir,
            String name,
            Path confDir,
            Path runDir,
            String relayUri,
            String apiUrl,
            Duration heartbeatFreq,
            Investigator investigator)
            throws IOException, InterruptedException {
        Path cfg = ConfigFiles.agent(confDir, relayUri, apiUrl, heartbeatFreq, investigator);
        ChildJvm agent = ChildJvm.start(
                name,
                List.of("-XX:+UseSerialGC", "-Xmx256m"),
                "mig.agent.AgentMain",
                List.of("-c", cfg.toString(), "-rundir", runDir.toString(), "-f"),
                logDir);
        return ready(agent, "consuming commands from queue");
    }

    private static ChildJvm ready(ChildJvm child, String marker) throws InterruptedException {
        try {
            child.awaitLog(line -> line.contains(marker), READY_TIMEOUT);
            return child;
        } catch (IllegalStateException | InterruptedException e) {
            child.close();
            throw e;
        }
    }
}
