package mig.scheduler.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import mig.common.heartbeat.HeartbeatSettings;

/**
 * How the scheduler behaves: the {@code [agent]}, {@code [collector]}, {@code [periodic]} and
 * {@code [debug]} settings of {@code scheduler.cfg}, validated once.
 *
 * @param agentTimeout {@code [agent] timeout} (default 20m): an idle agent whose last heartbeat is
 *     older goes offline; older legacy heartbeats are ignored
 * @param heartbeatFreq {@code [agent] heartbeatfreq} (default 5m): an online agent silent for 5
 *     times this goes idle
 * @param whitelist {@code [agent] whitelist}: file of queuelocs allowed to send legacy heartbeats
 *     (spec §6.5); empty when not set
 * @param detectMultiAgents {@code [agent] detectmultiagents} (default false, as Go's zero value):
 *     look for endpoints running several agents each periodic run
 * @param killDupAgents {@code [agent] killdupagents}: issue a signed {@code agentdestroy} order for
 *     the oldest of them (see {@link mig.scheduler.agents.DuplicateAgents}); without it they are
 *     reported for manual inspection
 * @param logActions {@code [agent] logactions}: log one line per command published
 * @param pollFreq {@code [collector] freq} (default 5s): the safety-net look for due actions,
 *     unpublished commands and expired actions. New actions do not wait for it (LISTEN/NOTIFY);
 *     the original ticked every second (its default 1s is honoured when set)
 * @param periodicFreq {@code [periodic] freq} (default 87s): agent status marking and statistics
 * @param debugHeartbeats {@code [debug] heartbeats}: log every legacy heartbeat at INFO
 * @param heartbeats {@code [heartbeats]} (ours): rate limits per queueloc and in all, and the
 *     optional secret of legacy heartbeats ({@link HeartbeatSettings})
 */
public record SchedulerConfig(
        Duration agentTimeout,
        Duration heartbeatFreq,
        Optional<Path> whitelist,
        boolean detectMultiAgents,
        boolean killDupAgents,
        boolean logActions,
        Duration pollFreq,
        Duration periodicFreq,
        boolean debugHeartbeats,
        HeartbeatSettings heartbeats) {

    public SchedulerConfig {
        positive("[agent] timeout", agentTimeout);
        positive("[agent] heartbeatfreq", heartbeatFreq);
        Objects.requireNonNull(whitelist, "whitelist");
        positive("[collector] freq", pollFreq);
        positive("[periodic] freq", periodicFreq);
        Objects.requireNonNull(heartbeats, "heartbeats");
    }

    /** The defaults, as with an empty configuration file. */
    public static SchedulerConfig defaults() {
        return from(IniConfig.parse("", "defaults"));
    }

    /** Reads the behaviour settings; unknown keys are the caller's business ({@link SchedulerConfigFile}). */
    public static SchedulerConfig from(IniConfig ini) {
        String whitelist = ini.getString("agent", "whitelist", "").strip();
        return new SchedulerConfig(
                ini.getDuration("agent", "timeout").orElse(Duration.ofMinutes(20)),
                ini.getDuration("agent", "heartbeatfreq").orElse(Duration.ofMinutes(5)),
                whitelist.isEmpty() ? Optional.empty() : Optional.of(Path.of(whitelist)),
                ini.getBool("agent", "detectmultiagents").orElse(false),
                ini.getBool("agent", "killdupagents").orElse(false),
                ini.getBool("agent", "logactions").orElse(false),
                ini.getDuration("collector", "freq").orElse(Duration.ofSeconds(5)),
                ini.getDuration("periodic", "freq").orElse(Duration.ofSeconds(87)),
                ini.getBool("debug", "heartbeats").orElse(false),
                HeartbeatSettings.from(ini));
    }

    /** An online agent silent since before this is idle: 5 heartbeats missed (spec §6.4). */
    public Duration idleAfter() {
        return heartbeatFreq.multipliedBy(5);
    }

    private static void positive(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key + " must be a positive duration such as 5m, got " + d);
        }
    }
}
