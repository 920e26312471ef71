package mig.common.logging;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;

/**
 * The {@code [logging]} section MIG's API, scheduler and agent share (the original's
 * {@code mig.Logging}): {@code mode} stdout (default), file or syslog; {@code level} in syslog names,
 * the least severe kept (debug, info (default), notice, warning, err, crit, alert, emerg; warn,
 * error, critical and emergency are read as their syslog names); {@code file} and
 * {@code maxfilesize} (bytes; 0, the default, never rotates; otherwise the file is renamed
 * {@code <file>.1} once it reaches that size, replacing an older one, as the original does);
 * {@code host} (localhost), {@code port} (514), {@code protocol} (udp) and {@code facility}
 * (local3) for syslog. {@link LogSetup} applies it.
 */
public record LoggingConfig(
        String mode,
        String level,
        String file,
        long maxFileSize,
        String host,
        int port,
        String protocol,
        String facility) {

    /** Keys allowed in {@code [logging]}. */
    public static final Set<String> KEYS =
            Set.of("mode", "level", "file", "maxfilesize", "host", "port", "protocol", "facility");

    /** The levels, most verbose first. */
    public static final List<String> LEVELS =
            List.of("debug", "info", "notice", "warning", "err", "crit", "alert", "emerg");

    private static final Set<String> MODES = Set.of("stdout", "file", "syslog");

    /** Syslog facilities by name, as syslog.conf spells them. */
    private static final Set<String> FACILITIES = Set.of(
            "kern",
            "user",
            "mail",
            "daemon",
            "auth",
            "syslog",
            "lpr",
            "news",
            "uucp",
            "cron",
            "authpriv",
            "ftp",
            "ntp",
            "audit",
            "alert",
            "clock",
            "local0",
            "local1",
            "local2",
            "local3",
            "local4",
            "local5",
            "local6",
            "local7");

    /** No {@code [logging]} section: info to stdout. */
    public static final LoggingConfig DEFAULT =
            new LoggingConfig("stdout", "info", "", 0, "localhost", 514, "udp", "local3");

    public LoggingConfig {
        mode = orDefault(mode, "stdout");
        level = canonicalLevel(orDefault(level, "info"));
        file = Objects.requireNonNullElse(file, "").strip();
        host = orDefault(host, "localhost");
        protocol = orDefault(protocol, "udp");
        facility = orDefault(facility, "local3");
        if (!MODES.contains(mode)) {
            throw new ConfigException("[logging] mode must be stdout, file or syslog, got '" + mode + "'");
        }
        if (!LEVELS.contains(level)) {
            throw new ConfigException(
                    "[logging] level must be one of " + String.join(", ", LEVELS) + "; got '" + level + "'");
        }
        if (mode.equals("file") && file.isEmpty()) {
            throw new ConfigException("[logging] mode = file needs file = <path>");
        }
        if (maxFileSize < 0) {
            throw new ConfigException(
                    "[logging] maxfilesize must be 0 (never rotate) or a size in bytes, got " + maxFileSize);
        }
        if (mode.equals("syslog")) {
            if (!protocol.equals("udp")) {
                throw new ConfigException(
                        "[logging] syslog protocol must be udp (tcp syslog is not supported), got '" + protocol + "'");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException("[logging] syslog port must be 1-65535, got " + port);
            }
            if (!FACILITIES.contains(facility)) {
                throw new ConfigException("[logging] facility must be a syslog facility such as local3 or daemon, got '"
                        + facility + "'");
            }
        }
    }

    /** Reads {@code [logging]}; absent keys take their defaults. */
    public static LoggingConfig from(IniConfig ini) {
        long port = ini.getLong("logging", "port").orElse(514L);
        int clamped = (int) Math.max(Integer.MIN_VALUE, Math.min(port, Integer.MAX_VALUE));
        return new LoggingConfig(
                ini.getString("logging", "mode", ""),
                ini.getString("logging", "level", ""),
                ini.getString("logging", "file", ""),
                ini.getLong("logging", "maxfilesize").orElse(0L),
                ini.getString("logging", "host", ""),
                clamped,
                ini.getString("logging", "protocol", ""),
                ini.getString("logging", "facility", ""));
    }

    /** The same settings at debug level on stdout: the components' {@code -d} flag. */
    public LoggingConfig debug() {
        return new LoggingConfig("stdout", "debug", file, maxFileSize, host, port, protocol, facility);
    }

    private static String orDefault(String value, String fallback) {
        String v = Objects.requireNonNullElse(value, "").strip().toLowerCase(Locale.ROOT);
        return v.isEmpty() ? fallback : v;
    }

    private static String canonicalLevel(String level) {
        return switch (level) {
            case "warn" -> "warning";
            case "error" -> "err";
            case "critical" -> "crit";
            case "emergency" -> "emerg";
            default -> level;
        };
    }
}
