package mig.api;

import java.util.Locale;
import java.util.Set;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;

/**
 * The {@code [logging]} section MIG's components share: {@code mode} (stdout, file or syslog),
 * {@code level} (syslog names: debug, info, notice, warning, err, crit, alert, emerg), {@code file},
 * and for syslog {@code host}, {@code port}, {@code protocol}, {@code facility}. {@code maxfilesize} is
 * accepted but files are not rotated (a warning says so at start; use logrotate).
 */
public record LogSettings(String mode, String level, String file, String host, int port, String protocol,
        String facility, long maxFileSize) {

    /** Keys allowed in {@code [logging]}. */
    public static final Set<String> KEYS = Set.of("mode", "level", "file", "host", "port", "protocol", "facility",
            "maxfilesize");

    private static final Set<String> LEVELS = Set.of("debug", "info", "notice", "warning", "err", "crit", "alert",
            "emerg");

    public LogSettings {
        mode = mode.toLowerCase(Locale.ROOT);
        level = level.toLowerCase(Locale.ROOT);
        if (!Set.of("stdout", "file", "syslog").contains(mode)) {
            throw new ConfigException("[logging] mode must be stdout, file or syslog, got '" + mode + "'");
        }
        if (!LEVELS.contains(level)) {
            throw new ConfigException("[logging] level must be one of debug, info, notice, warning, err, crit, "
                    + "alert, emerg; got '" + level + "'");
        }
        if (mode.equals("file") && file.isEmpty()) {
            throw new ConfigException("[logging] mode = file needs file = <path>");
        }
        if (mode.equals("syslog") && !protocol.equalsIgnoreCase("udp")) {
            throw new ConfigException("[logging] syslog protocol must be udp (tcp syslog is not supported), got '"
                    + protocol + "'");
        }
    }

    /** Log to standard output at info level. */
    public static final LogSettings STDOUT = new LogSettings("stdout", "info", "", "localhost", 514, "udp", "local3", 0);

    static LogSettings from(IniConfig ini) {
        return new LogSettings(ini.getString("logging", "mode", "stdout"), ini.getString("logging", "level", "info"),
                ini.getString("logging", "file", ""), ini.getString("logging", "host", "localhost"),
                Math.toIntExact(ini.getLong("logging", "port").orElse(514L)),
                ini.getString("logging", "protocol", "udp"), ini.getString("logging", "facility", "local3"),
                ini.getLong("logging", "maxfilesize").orElse(0L));
    }

    /** The same settings at debug level on stdout (the {@code -d} flag). */
    public LogSettings debug() {
        return new LogSettings("stdout", "debug", file, host, port, protocol, facility, maxFileSize);
    }
}
