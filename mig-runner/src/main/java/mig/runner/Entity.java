package mig.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import mig.common.Action;
import mig.common.config.ConfigException;
import mig.common.config.GoDuration;
import mig.common.config.IniConfig;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;

/**
 * One job of the runner: {@code runners/<name>/entity.cfg} ({@code [configuration] schedule, plugin,
 * expiry, sendonly}) and the action it launches, {@code runners/<name>/action.json}.
 *
 * @param modTime the configuration file's modification time: a change reloads the job, as in the original
 */
public record Entity(
        String name,
        Path baseDir,
        FileTime modTime,
        Schedule schedule,
        String plugin,
        Duration expiry,
        boolean sendOnly) {

    /** The expiry of a launched action when the job sets none: the original's 5 minutes. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(5);

    private static final Map<String, Set<String>> KNOWN =
            Map.of("configuration", Set.of("schedule", "plugin", "expiry", "sendonly"));

    public Path actionFile() {
        return baseDir.resolve("action.json");
    }

    /**
     * Reads and checks a job folder; the action file must read as an action now, so a broken job
     * is reported when it is added rather than at its first run.
     *
     * @throws ConfigException saying what is wrong
     */
    public static Entity load(Path dir) {
        Path conf = dir.resolve("entity.cfg");
        FileTime mtime;
        try {
            mtime = Files.getLastModifiedTime(conf);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + conf + ": " + e.getMessage(), e);
        }
        IniConfig ini = IniConfig.read(conf).requireKnown(KNOWN);
        Schedule schedule;
        try {
            schedule = Schedule.parse(ini.getString("configuration", "schedule", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(conf + ": " + e.getMessage(), e);
        }
        String plugin = ini.getString("configuration", "plugin", "").strip();
        if (!plugin.isEmpty() && (plugin.contains("/") || plugin.equals(".") || plugin.equals(".."))) {
            throw new ConfigException(conf + ": plugin '" + plugin + "' must be the name of a file in the plugins"
                    + " folder, not a path");
        }
        Duration expiry = DEFAULT_EXPIRY;
        String ex = ini.getString("configuration", "expiry", "").strip();
        if (!ex.isEmpty()) {
            try {
                expiry = GoDuration.parse(ex);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(conf + ": expiry: " + e.getMessage(), e);
            }
            if (expiry.isNegative() || expiry.isZero()) {
                throw new ConfigException(conf + ": expiry must be more than 0, e.g. 10m");
            }
        }
        Entity e = new Entity(
                dir.getFileName().toString(),
                dir,
                mtime,
                schedule,
                plugin,
                expiry,
                ini.getBool("configuration", "sendonly").orElse(false));
        e.readAction();
        return e;
    }

    /** The job's action as it is in the file now. */
    public Action readAction() {
        Path file = actionFile();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            Action a = GoJson.unmarshal(text, Action.class);
            if (a.operations() == null || a.operations().isEmpty()) {
                throw new ConfigException(file + ": the action has no operations");
            }
            if (a.target() == null || a.target().isBlank()) {
                throw new ConfigException(file + ": the action has no target");
            }
            return a;
        } catch (GoJsonException e) {
            throw new ConfigException(file + " is not an action: " + e.getMessage(), e);
        }
    }
}
