package mig.scheduler.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;

/**
 * The {@code [logging]} section. {@code mode} is {@code stdout} (default) or {@code file} (with
 * {@code file}); {@code syslog} is accepted but logs to stdout with a warning, and
 * {@code maxfilesize}, {@code host}, {@code port}, {@code protocol} are accepted and ignored.
 * {@code level} takes MIG's names: debug, info, notice, warning, err/error, crit, alert, emerg.
 */
public record LoggingConfig(String mode, Level level, Optional<Path> file) {

    /** Where MIG's level names land in SLF4J's five. */
    public enum Level { DEBUG, INFO, WARN, ERROR }

    public LoggingConfig {
        if (!mode.equals("stdout") && !mode.equals("file") && !mode.equals("syslog")) {
            throw new ConfigException("[logging] mode must be stdout, file or syslog, got '" + mode + "'");
        }
        if (mode.equals("file") && file.isEmpty()) {
            throw new ConfigException("[logging] mode = file needs file = <path>");
        }
    }

    public static LoggingConfig from(IniConfig ini) {
        String file = ini.getString("logging", "file", "").strip();
        return new LoggingConfig(ini.getString("logging", "mode", "stdout").strip().toLowerCase(Locale.ROOT),
                level(ini.getString("logging", "level", "info")),
                file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file)));
    }

    static Level level(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info", "notice" -> Level.INFO;
            case "warning", "warn" -> Level.WARN;
            case "err", "error", "crit", "critical", "alert", "emerg", "emergency" -> Level.ERROR;
            default -> throw new ConfigException("[logging] level must be one of debug, info, notice, warning, "
                    + "err, crit, alert, emerg; got '" + name + "'");
        };
    }
}
