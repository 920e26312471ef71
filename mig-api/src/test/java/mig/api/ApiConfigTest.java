package mig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import mig.common.config.ConfigException;
import mig.common.config.IniConfig;
import mig.common.logging.LoggingConfig;
import org.junit.jupiter.api.Test;

/** The original's api.cfg, read and checked. */
class ApiConfigTest {

    @Test
    void theOriginalsSampleConfigurationIsRead() {
        ApiConfig c = ApiConfig.from(IniConfig.parse(Resources.text("api.cfg.inc"), "api.cfg.inc"));
        assertEquals("127.0.0.1", c.ip());
        assertEquals(12345, c.port());
        assertEquals("http://localhost:12345", c.host());
        assertEquals("/api/v1", c.baseRoute());
        assertFalse(c.authEnabled());
        assertEquals(Duration.ofMinutes(10), c.tokenDuration());
        assertEquals(2, c.requiredSignatures());
        assertEquals(ClientIp.PEER, c.clientPublicIp());
        assertEquals(
                "jdbc:postgresql://127.0.0.1:5432/mig?sslmode=disable",
                c.postgres().jdbcUrl());
        assertEquals("migapi", c.postgres().user());
        assertEquals("debug", c.logging().level());
    }

    @Test
    void loggingIsTheSectionTheSchedulerAndTheAgentRead() {
        ApiConfig c = parse("[server]\nport = 1664\n"
                + "[logging]\nmode = syslog\nlevel = warning\nfile = /var/log/mig.log\nmaxfilesize = 1000\n"
                + "host = logs\n"
                + "port = 1514\nprotocol = udp\nfacility = daemon\n");
        assertEquals(
                new LoggingConfig("syslog", "warning", "/var/log/mig.log", 1000, "logs", 1514, "udp", "daemon"),
                c.logging());
    }

    @Test
    void aMinimalConfigurationGetsSafeDefaults() {
        ApiConfig c = parse("[server]\nport = 1664\n");
        assertTrue(c.authEnabled(), "authentication stays on unless switched off");
        assertEquals("http://localhost:1664", c.host());
        assertEquals(1, c.requiredSignatures());
    }

    @Test
    void mistakesAreRefusedWithTheKeyAndTheRule() {
        assertMessage("[server]\nport = 1\nhots = x\n", "unknown variable 'hots' in section [server]");
        assertMessage("[server]\nport = 1\n[api]\nx = 1\n", "unknown section [api]");
        assertMessage("[server]\nhost = http://x\n", "[server] port is required");
        assertMessage("[server]\nport = 1\nclientpublicip = x-forwarded-for:-1\n", "positive integer or zero");
        assertMessage("[server]\nport = 1\nclientpublicip = header\n", "peer or x-forwarded-for:<int>");
        assertMessage("[server]\nport = 1\nbaseroute = api/v1/\n", "baseroute must start with '/'");
        assertMessage("[server]\nport = 1\nhost = localhost:1664\n", "host must be the public URL");
        assertMessage("[server]\nport = 1\n[manifest]\nrequiredsignatures = 0\n", "at least 1");
        assertMessage("[server]\nport = 1\n[authentication]\ntokenduration = soon\n", "a duration");
        assertMessage("[server]\nport = 1\n[logging]\nmode = carrier-pigeon\n", "mode must be stdout, file or syslog");
        assertMessage("[server]\nport = 1\n[logging]\nlevel = loud\n", "level must be one of");
    }

    @Test
    void theClientIpComesFromThePeerOrAnXForwardedForHop() {
        assertEquals("10.1.2.3", ClientIp.PEER.resolve("10.1.2.3", "9.9.9.9"));
        ClientIp last = ClientIp.parse("x-forwarded-for:0");
        assertEquals("3.3.3.3", last.resolve("10.1.2.3", "1.1.1.1, 2.2.2.2, 3.3.3.3"));
        assertEquals("2.2.2.2", ClientIp.parse("x-forwarded-for:1").resolve("10.1.2.3", "1.1.1.1, 2.2.2.2, 3.3.3.3"));
        assertEquals("1.1.1.1", ClientIp.parse("x-forwarded-for:7").resolve("10.1.2.3", "1.1.1.1, 2.2.2.2"));
        assertEquals("0.0.0.0", last.resolve("10.1.2.3", null));
        assertEquals("0.0.0.0", last.resolve("10.1.2.3", "not-an-ip.example.com"));
        assertEquals("::1", ClientIp.PEER.resolve("[::1]", null));
    }

    private static ApiConfig parse(String text) {
        return ApiConfig.from(IniConfig.parse(text, "api.cfg"));
    }

    private static void assertMessage(String text, String part) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
