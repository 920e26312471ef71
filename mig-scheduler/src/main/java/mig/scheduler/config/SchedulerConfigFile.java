package mig.scheduler.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import mig.common.config.IniConfig;
import mig.common.heartbeat.HeartbeatSettings;
import mig.common.logging.LoggingConfig;
import mig.database.DbConfig;

/**
 * A whole {@code scheduler.cfg} in the original's format. Every key the original knows is
 * accepted; a key it does not know is an error, as with gcfg. These are accepted and ignored,
 * because this scheduler keeps everything in PostgreSQL instead of a spool directory:
 * {@code [directories] spool, tmp}; {@code [periodic] deleteafter} (spool retention) and
 * {@code queuescleanupfreq} (deleting RabbitMQ queues of vanished endpoints is not implemented).
 * {@code [logging]} is {@link LoggingConfig}, as for the API and the agent. See {@link SchedulerConfig} for the
 * behaviour keys, {@link MqConfig} and {@link DbConfig} for the connections.
 */
public record SchedulerConfigFile(SchedulerConfig scheduler, DbConfig postgres, MqConfig mq, LoggingConfig logging) {

    /** The original's sections and keys. */
    public static final Map<String, Set<String>> KNOWN = Map.of(
            "agent",
                    Set.of("timeout", "heartbeatfreq", "whitelist", "detectmultiagents", "killdupagents", "logactions"),
            "collector", Set.of("freq"),
            "periodic", Set.of("freq", "deleteafter", "queuescleanupfreq"),
            "directories", Set.of("spool", "tmp"),
            "postgres", DbConfig.KEYS,
            "mq", Set.of("host", "port", "user", "pass", "vhost", "usetls", "cacert", "tlscert", "tlskey", "timeout"),
            "logging", LoggingConfig.KEYS,
            "debug", Set.of("heartbeats"),
            "heartbeats", HeartbeatSettings.SCHEDULER_KEYS);

    /** Reads and validates a configuration file. */
    public static SchedulerConfigFile read(Path file) {
        return of(IniConfig.read(file));
    }

    /** Validates parsed configuration text. */
    public static SchedulerConfigFile of(IniConfig ini) {
        ini.requireKnown(KNOWN);
        return new SchedulerConfigFile(
                SchedulerConfig.from(ini), DbConfig.from(ini), MqConfig.from(ini), LoggingConfig.from(ini));
    }
}
