package mig.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mig.common.config.ConfigException;
import mig.common.logging.LoggingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code mig-agent.cfg} as the original's sample writes it, and refusing bad files clearly. */
class AgentConfigFileTest {

    @TempDir
    Path dir;

    private static String sample() throws IOException {
        try (InputStream in = AgentConfigFileTest.class.getResourceAsStream("/mig-agent.cfg.sample")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path write(String text) throws IOException {
        Path f = dir.resolve("mig-agent.cfg");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theOriginalSampleFileParses() throws Exception {
        AgentConfig c = AgentConfigFile.read(write(sample()));
        assertEquals("amqp://guest:guest@localhost:5672/", c.relay());
        assertEquals("http://localhost:1664/api/v1/", c.api());
        assertEquals("127.0.0.1:51664", c.socket());
        assertEquals(Duration.ofSeconds(300), c.heartbeatFreq());
        assertEquals(Duration.ofSeconds(300), c.moduleTimeout());
        assertTrue(c.isImmortal());
        assertTrue(c.installService());
        assertFalse(c.discoverPublicIp());
        assertFalse(c.checkin());
        assertEquals(Duration.ofMinutes(5), c.refreshEnv(), "an empty refreshenv keeps the built-in 5m");
        assertFalse(c.onlyVerifyPubKey());
        assertFalse(c.discoverAwsMeta(), "absent booleans are off when a file is used, as in the original");
        assertEquals(15, c.statsMaxActions());
        assertEquals("/path/to/ca/cert", c.certs().ca());
        assertEquals("stdout", c.logging().mode());
        assertEquals("debug", c.logging().level());
        assertEquals(dir.toAbsolutePath(), c.confDir(), "acl.cfg and agentkeys/ sit beside the file");
        assertEquals(dir.toAbsolutePath().resolve("acl.cfg"), c.aclFile());
        assertEquals(AgentConfig.DEFAULT_RUN_DIR, c.runDir());
    }

    @Test
    void tagsAndProxiesAreRead() throws Exception {
        AgentConfig c = AgentConfigFile.read(write("""
                [agent]
                heartbeatfreq = 30s
                moduletimeout = 5m
                proxies = "proxy1:8888, proxy2:8888"
                tags = "operator:IT"
                tags = "url:http://x"
                refreshenv = 1m
                """));
        assertEquals(Map.of("operator", "IT", "url", "http://x"), c.tags());
        assertEquals(List.of("proxy1:8888", "proxy2:8888"), c.proxies());
        assertEquals(Duration.ofMinutes(1), c.refreshEnv());
        assertEquals(Duration.ofSeconds(30), c.heartbeatFreq());
    }

    @Test
    void anUnknownVariableIsRefusedWithItsLine() throws Exception {
        Path f = write("[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\nheartbeatfrequency = 10s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ":4: unknown variable 'heartbeatfrequency'"), e.getMessage());
    }

    @Test
    void anUnknownSectionIsRefused() throws Exception {
        Path f = write("[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\n[scheduler]\nx = 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertTrue(e.getMessage().contains("unknown section [scheduler]"), e.getMessage());
    }

    @Test
    void aBadDurationIsRefusedWithItsLine() throws Exception {
        Path f = write("[agent]\nheartbeatfreq = 30s\n\nmoduletimeout = 30 seconds\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertTrue(
                e.getMessage().startsWith(f + ":4: [agent] moduletimeout = '30 seconds' is not a duration"),
                e.getMessage());
    }

    @Test
    void aBadBooleanIsRefusedWithItsLine() throws Exception {
        Path f = write("[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\nisimmortal = sometimes\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertTrue(
                e.getMessage().startsWith(f + ":4: [agent] isimmortal = 'sometimes' is not a boolean"), e.getMessage());
    }

    @Test
    void heartbeatAndModuleTimeoutAreRequired() throws Exception {
        Path f = write("[agent]\nmoduletimeout = 30s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertEquals(
                f + ": [agent] heartbeatfreq is required when a configuration file is used (a duration such "
                        + "as 300s)",
                e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirLine() throws Exception {
        Path f = write("[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\n[stats]\nmaxactions = 31\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertEquals(f + ":5: [stats] maxactions '31' must be from 0 to 30", e.getMessage());

        Path g = write("[agent]\nheartbeatfreq = 0s\nmoduletimeout = 30s\n");
        e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(g));
        assertEquals(g + ":2: [agent] heartbeatfreq '0s' must be positive", e.getMessage());
    }

    @Test
    void aRelayThatIsNotAmqpIsRefusedWithItsLineAndNoPassword() throws Exception {
        Path f = write("[agent]\nrelay = \"http://agent:s3cret@relay:5672/\"\nheartbeatfreq = 30s\n"
                + "moduletimeout = 30s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertTrue(
                e.getMessage()
                        .startsWith(f + ":2: [agent] relay = 'http://agent:****@relay:5672/' must start "
                                + "with amqp:// or amqps://"),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void loggingIsTheSectionTheApiAndTheSchedulerRead() throws Exception {
        AgentConfig c = AgentConfigFile.read(write("[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\n"
                + "[logging]\nmode = syslog\nlevel = warning\nfile = /var/log/mig.log\nmaxfilesize = 1000\n"
                + "host = logs\n"
                + "port = 1514\nprotocol = udp\nfacility = daemon\n"));
        assertEquals(
                new LoggingConfig("syslog", "warning", "/var/log/mig.log", 1000, "logs", 1514, "udp", "daemon"),
                c.logging());
    }

    @Test
    void anUnknownLoggingLevelIsRefused() throws Exception {
        Path f = write("[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\n[logging]\nmode = stdout\nlevel = loud\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertEquals(
                f + ":6: [logging] level must be one of debug, info, notice, warning, err, crit, alert, emerg; "
                        + "got 'loud'",
                e.getMessage());
    }

    @Test
    void aTagWithoutNameIsRefused() throws Exception {
        Path f = write("[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\ntags = \":IT\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertEquals(f + ":4: [agent] tags ':IT' has no name; expected \"name:value\"", e.getMessage());
    }

    @Test
    void theRelayPasswordIsMaskedForDisplay() {
        AgentConfig c = AgentConfig.builder()
                .relay("amqp://agent:s3cret@relay.example.net:5672/mig")
                .build();
        assertEquals("amqp://agent:****@relay.example.net:5672/mig", c.relayForDisplay());
        assertEquals("http://localhost:1664/api/v1/heartbeat", c.apiUrl("heartbeat"));
    }

    @Test
    void aRelayListNamesTheNodesOfOneClusterAndEachPasswordIsMasked() throws Exception {
        AgentConfig c = AgentConfigFile.read(write("[agent]\nrelay = \"amqp://agent:s3cret@relay1:5672/mig, "
                + "amqp://agent:s3cret@relay2:5672/mig,amqp://agent:s3cret@relay3:5673/mig\"\n"
                + "heartbeatfreq = 30s\nmoduletimeout = 30s\n"));
        assertEquals(
                List.of(
                        "amqp://agent:s3cret@relay1:5672/mig",
                        "amqp://agent:s3cret@relay2:5672/mig",
                        "amqp://agent:s3cret@relay3:5673/mig"),
                c.relays());
        assertEquals(
                "amqp://agent:****@relay1:5672/mig,amqp://agent:****@relay2:5672/mig,"
                        + "amqp://agent:****@relay3:5673/mig",
                c.relayForDisplay());
    }

    @Test
    void aRelayListWhoseNodesDisagreeOnCredentialsOrVhostIsRefused() throws Exception {
        Path f = write("[agent]\nrelay = \"amqp://agent:s3cret@relay1:5672/mig,amqp://other:pw@relay2:5672/mig\"\n"
                + "heartbeatfreq = 30s\nmoduletimeout = 30s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigFile.read(f));
        assertEquals(
                f + ":2: [agent] relay: the URIs of a relay list must differ only in host and port (same "
                        + "scheme, user, password and vhost); 'amqp://other:****@relay2:5672/mig' differs from "
                        + "'amqp://agent:****@relay1:5672/mig'",
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
        Path g = write("[agent]\nrelay = \"amqp://agent:pw@relay1:5672/mig,amqp://agent:pw@relay2:5672/\"\n"
                + "heartbeatfreq = 30s\nmoduletimeout = 30s\n");
        assertThrows(ConfigException.class, () -> AgentConfigFile.read(g));
    }

    @Test
    void aCommaInsideASingleRelayUriIsNotAList() {
        AgentConfig c = AgentConfig.builder()
                .relay("amqp://agent:pa,ss@relay.example.net:5672/mig")
                .build();
        assertEquals(List.of("amqp://agent:pa,ss@relay.example.net:5672/mig"), c.relays());
    }

    @Test
    void theSampleInConfReadsAsTheOriginalsDefaults() {
        AgentConfig c = AgentConfigFile.read(Path.of("../conf/mig-agent.cfg"));
        assertEquals("amqp://guest:guest@localhost:5672/", c.relay());
        assertEquals("127.0.0.1:51664", c.socket());
        assertEquals(Duration.ofSeconds(300), c.heartbeatFreq());
        assertEquals(Duration.ofMinutes(5), c.refreshEnv(), "an empty refreshenv keeps the built-in 5m");
        assertTrue(c.isImmortal());
        assertFalse(c.onlyVerifyPubKey());
        assertEquals(15, c.statsMaxActions());
    }

    @Test
    void aStatSocketThatIsNotHostAndPortIsRefusedAtItsLine() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> AgentConfigFile.parse(
                        "[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\nsocket = \"51664\"\n",
                        "t.cfg",
                        AgentConfig.builder()));
        assertEquals(
                "t.cfg:4: [agent] socket = '51664' must be host:port (e.g. 127.0.0.1:51664), or \"\" for no "
                        + "stat socket",
                e.getMessage());
        assertEquals(
                "[::1]:51664",
                AgentConfigFile.parse(
                                "[agent]\nheartbeatfreq = 30s\nmoduletimeout = 30s\n" + "socket = \"[::1]:51664\"\n",
                                "t.cfg",
                                AgentConfig.builder())
                        .socket());
    }
}
