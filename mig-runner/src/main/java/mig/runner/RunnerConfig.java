package mig.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mig.client.config.MigRc;
import mig.common.config.ConfigException;
import mig.common.config.GoDuration;
import mig.common.config.IniConfig;
import mig.common.logging.LoggingConfig;

/**
 * {@code runner.cfg}, the original's keys: {@code [runner] directory, checkdirectory},
 * {@code [client] clientconfpath, delayresults, passphrase} and {@code [logging]}. Two keys are ours:
 * {@code [runner] plugintimeout} (how long a plugin may run before it is killed, default 5m; the
 * original waited for ever) and {@code [runner] maxplugins} (how many plugins run at once, default
 * 4).
 *
 * @param directory      the runner folder: {@code runners/<entity>/} and {@code plugins/} under it
 * @param checkDirectory how often {@code runners/} is scanned for new, changed or removed jobs
 * @param clientConf     the migrc the runner signs and calls the API with
 * @param delayResults   how long after an action expires its results are fetched
 * @param passphrase     unlocks the runner's key, if set
 */
public record RunnerConfig(
        Path directory,
        Duration checkDirectory,
        Path clientConf,
        Duration delayResults,
        Optional<String> passphrase,
        Duration pluginTimeout,
        int maxPlugins,
        LoggingConfig logging) {

    private static final Map<String, Set<String>> KNOWN = Map.of(
            "runner", Set.of("directory", "checkdirectory", "plugintimeout", "maxplugins"),
            "client", Set.of("clientconfpath", "delayresults", "passphrase"),
            "logging", LoggingConfig.KEYS);

    public Path runDirectory() {
        return directory.resolve("runners");
    }

    public Path pluginDirectory() {
        return directory.resolve("plugins");
    }

    /** @throws ConfigException naming the file and what to fix */
    public static RunnerConfig read(Path file) {
        IniConfig ini = IniConfig.read(file).requireKnown(KNOWN);
        String dir = ini.getString("runner", "directory", "").strip();
        if (dir.isEmpty()) {
            throw new ConfigException(file + ": [runner] directory is not set; it is the runner folder that holds"
                    + " runners/ and plugins/");
        }
        long check = ini.getLong("runner", "checkdirectory").orElse(0L);
        if (check < 1 || check > 86_400) {
            throw new ConfigException(file + ": [runner] checkdirectory must be a number of seconds from 1 to 86400,"
                    + " e.g. checkdirectory = 30");
        }
        String conf = ini.getString("client", "clientconfpath", "default").strip();
        Path clientConf = conf.isEmpty() || conf.equals("default") ? MigRc.defaultPath() : Path.of(conf);
        Duration delay = duration(file, "client", "delayresults", ini, Duration.ZERO);
        Duration pluginTimeout = duration(file, "runner", "plugintimeout", ini, Duration.ofMinutes(5));
        if (pluginTimeout.isZero()) {
            throw new ConfigException(file + ": [runner] plugintimeout must be more than 0, e.g. 5m");
        }
        long maxPlugins = ini.getLong("runner", "maxplugins").orElse(4L);
        if (maxPlugins < 1 || maxPlugins > 64) {
            throw new ConfigException(file + ": [runner] maxplugins must be from 1 to 64, got " + maxPlugins);
        }
        return new RunnerConfig(
                Path.of(dir),
                Duration.ofSeconds(check),
                clientConf,
                delay,
                ini.get("client", "passphrase").filter(s -> !s.isEmpty()),
                pluginTimeout,
                (int) maxPlugins,
                LoggingConfig.from(ini));
    }

    private static Duration duration(Path file, String section, String key, IniConfig ini, Duration fallback) {
        Optional<String> v = ini.get(section, key).map(String::strip).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = GoDuration.parse(v.get());
            if (d.isNegative()) {
                throw new IllegalArgumentException("it is negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": [" + section + "] " + key + " = \"" + v.get() + "\" is not a duration ("
                    + e.getMessage() + "); write it as Go does, e.g. 30s or 5m");
        }
    }
}
