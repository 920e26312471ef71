package mig.scheduler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import mig.common.logging.LoggingConfig;
import mig.scheduler.Wire;
import org.junit.jupiter.api.Test;

class SchedulerConfigTest {

    @Test
    void readsTheOriginalSampleConfiguration() {
        SchedulerConfigFile f =
                SchedulerConfigFile.of(IniConfig.parse(Wire.resource("scheduler.cfg.inc"), "scheduler.cfg.inc"));

        SchedulerConfig s = f.scheduler();
        assertEquals(Duration.ofMinutes(20), s.agentTimeout());
        assertEquals(Duration.ofMinutes(5), s.heartbeatFreq());
        assertEquals(Duration.ofMinutes(25), s.idleAfter());
        assertEquals(Optional.of(Path.of("/var/cache/mig/agents_whitelist.txt")), s.whitelist());
        assertTrue(s.detectMultiAgents());
        assertFalse(s.killDupAgents());
        assertFalse(s.logActions());
        assertEquals(Duration.ofSeconds(1), s.pollFreq());
        assertEquals(Duration.ofSeconds(87), s.periodicFreq());
        assertEquals(
                "jdbc:postgresql://127.0.0.1:5432/mig?sslmode=disable",
                f.postgres().jdbcUrl());
        assertEquals("migscheduler", f.postgres().user());
        assertEquals("amqp://guest@127.0.0.1:5672/mig", f.mq().toString());
        assertEquals(Duration.ofSeconds(600), f.mq().timeout());
        assertEquals("debug", f.logging().level());
    }

    @Test
    void defaultsAreTheOriginalsExceptThePollWhichIsOnlyASafetyNet() {
        SchedulerConfig s = SchedulerConfig.defaults();
        assertEquals(Duration.ofMinutes(20), s.agentTimeout());
        assertEquals(Duration.ofMinutes(5), s.heartbeatFreq());
        assertEquals(Optional.empty(), s.whitelist());
        assertEquals(Duration.ofSeconds(5), s.pollFreq());
        assertEquals(Duration.ofSeconds(87), s.periodicFreq());
    }

    @Test
    void refusesAKeyTheOriginalDoesNotKnowNamingIt() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> SchedulerConfigFile.of(IniConfig.parse(
                        "[mq]\nhost = h\nport = 5672\nuser = u\npass = p\n[agent]\nheartbeat = 5m\n", "s.cfg")));
        assertEquals(
                "s.cfg:7: unknown variable 'heartbeat' in section [agent]; known: ",
                e.getMessage().substring(0, e.getMessage().indexOf("known: ") + 7));
    }

    @Test
    void acceptsTheKeysItIgnores() {
        SchedulerConfigFile f = SchedulerConfigFile.of(IniConfig.parse(
                "[mq]\nhost = h\nport = 5672\nuser = u\n"
                        + "pass = p\n[directories]\nspool = /var/cache/mig/\ntmp = /var/tmp/\n[periodic]\ndeleteafter = 72h\n"
                        + "queuescleanupfreq = 24h\n[logging]\nmode = syslog\nhost = localhost\nport = 514\nprotocol = udp\n"
                        + "maxfilesize = 1000\n",
                "s.cfg"));
        assertEquals("syslog", f.logging().mode());
    }

    @Test
    void loggingIsTheSectionTheApiAndTheAgentRead() {
        SchedulerConfigFile f = SchedulerConfigFile.of(IniConfig.parse(
                "[mq]\nhost = h\nport = 5672\nuser = u\n"
                        + "pass = p\n"
                        + "[logging]\nmode = syslog\nlevel = warning\nfile = /var/log/mig.log\nmaxfilesize = 1000\n"
                        + "host = logs\n"
                        + "port = 1514\nprotocol = udp\nfacility = daemon\n",
                "s.cfg"));
        assertEquals(
                new LoggingConfig("syslog", "warning", "/var/log/mig.log", 1000, "logs", 1514, "udp", "daemon"),
                f.logging());
    }

    @Test
    void explainsBadValues() {
        assertEquals(
                "s.cfg:2: [agent] timeout = 'soon' is not a duration such as 300s, 5m or 1h30m "
                        + "(invalid duration \"soon\" (expected numbers with units ns, us, ms, s, m or h, e.g. 300s or 1h30m))",
                assertThrows(
                                ConfigException.class,
                                () -> SchedulerConfig.from(IniConfig.parse("[agent]\ntimeout = soon\n", "s.cfg")))
                        .getMessage());
        assertEquals(
                "[agent] heartbeatfreq must be a positive duration such as 5m, got PT0S",
                assertThrows(
                                ConfigException.class,
                                () -> SchedulerConfig.from(IniConfig.parse("[agent]\nheartbeatfreq = 0s\n", "s.cfg")))
                        .getMessage());
        assertEquals(
                "[mq] user is missing",
                assertThrows(
                                ConfigException.class,
                                () -> MqConfig.from(IniConfig.parse("[mq]\nhost = h\nport = 5672\n", "s.cfg")))
                        .getMessage());
        assertEquals(
                "[mq] usetls needs cacert, tlscert and tlskey (PEM files)",
                assertThrows(
                                ConfigException.class,
                                () -> MqConfig.from(IniConfig.parse(
                                        "[mq]\nhost = h\nport = 5671\nuser = u\npass = p\nusetls = on\n", "s.cfg")))
                        .getMessage());
        assertEquals(
                "[logging] level must be one of debug, info, notice, warning, err, crit, alert, emerg; " + "got 'loud'",
                assertThrows(
                                ConfigException.class,
                                () -> LoggingConfig.from(IniConfig.parse("[logging]\nlevel = loud\n", "s.cfg")))
                        .getMessage());
    }
}
