package mig.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one {@code [logging]} section of api.cfg, scheduler.cfg and mig-agent.cfg. */
class LoggingConfigTest {

    private static LoggingConfig read(String section) {
        return LoggingConfig.from(IniConfig.parse("[logging]\n" + section, "x.cfg"));
    }

    @Test
    void anEmptySectionIsInfoOnStdout() {
        assertEquals(LoggingConfig.DEFAULT, read(""));
        assertEquals(LoggingConfig.DEFAULT, LoggingConfig.from(IniConfig.parse("", "x.cfg")));
        assertEquals(new LoggingConfig("stdout", "info", "", 0, "localhost", 514, "udp", "local3"), read(""));
    }

    @Test
    void theOriginalsKeysAreRead() {
        LoggingConfig c = read("mode = \"Syslog\"\nlevel = \"WARNING\"\nfile = \"/var/log/x.log\"\nmaxfilesize = 1000\n"
                + "host = \"logs.example.net\"\nport = 1514\nprotocol = \"UDP\"\nfacility = \"daemon\"\n");
        assertEquals(
                new LoggingConfig(
                        "syslog", "warning", "/var/log/x.log", 1000, "logs.example.net", 1514, "udp", "daemon"),
                c);
    }

    @ParameterizedTest
    @CsvSource({
        "warn, warning",
        "error, err",
        "critical, crit",
        "emergency, emerg",
        "notice, notice",
        "' Debug ', debug"
    })
    void levelNamesTheSchedulerAcceptedReadAsSyslogNames(String given, String read) {
        assertEquals(read, read("level = " + given + "\n").level());
    }

    @Test
    void debugIsStdoutAtDebugLevel() {
        LoggingConfig c = read("mode = file\nfile = /tmp/x.log\nlevel = err\n").debug();
        assertEquals("stdout", c.mode());
        assertEquals("debug", c.level());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "mode = carrier-pigeon|[logging] mode must be stdout, file or syslog, got 'carrier-pigeon'",
                "level = loud|[logging] level must be one of debug, info, notice, warning, err, crit, alert, emerg; got 'loud'",
                "mode = file|[logging] mode = file needs file = <path>",
                "maxfilesize = -1|[logging] maxfilesize must be 0 (never rotate) or a size in bytes, got -1",
                "mode = syslog\\nprotocol = tcp|[logging] syslog protocol must be udp (tcp syslog is not supported), got 'tcp'",
                "mode = syslog\\nport = 70000|[logging] syslog port must be 1-65535, got 70000",
                "mode = syslog\\nfacility = local9|[logging] facility must be a syslog facility such as local3 or daemon, "
                        + "got 'local9'"
            })
    void badValuesAreRefusedNamingTheKey(String section, String message) {
        assertEquals(
                message,
                assertThrows(ConfigException.class, () -> read(section.replace("\\n", "\n") + "\n"))
                        .getMessage());
    }
}
