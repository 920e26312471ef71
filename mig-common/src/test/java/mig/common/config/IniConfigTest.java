package mig.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MIG's gcfg configuration dialect. */
class IniConfigTest {

    static final String MIGRC = """
            ; the investigator's configuration
            [api]
                url = "http://localhost:1664/api/v1/"
                skipverifycert = off
            [gpg]
                home = "/home/bob/.gnupg/"   # GnuPG 1 secring here
                keyid = E60892BB9BD89A69F759A1A0A3D652173B763E8F
            [targets]
                macro = allonline:status='online'
                macro = "linux:environment->>'os'='linux'"
                macro = ops:tags->>'operator'='IT' ; trailing comment
            [Agent]
                TimeOut = "20m"
                heartbeatfreq = 5m
                killdupagents
                maxconn = 10
            """;

    @Test
    void readsTheOriginalsFiles() {
        IniConfig c = IniConfig.parse(MIGRC, "migrc");
        assertEquals(Optional.of("http://localhost:1664/api/v1/"), c.get("api", "url"));
        assertEquals(Optional.of(false), c.getBool("api", "skipverifycert"));
        assertEquals("/home/bob/.gnupg/", c.getString("gpg", "home", ""));
        assertEquals(
                List.of("allonline:status='online'", "linux:environment->>'os'='linux'", "ops:tags->>'operator'='IT'"),
                c.getAll("targets", "macro"));
        assertEquals(Optional.of(Duration.ofMinutes(20)), c.getDuration("agent", "timeout"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), c.getDuration("AGENT", "HeartBeatFreq"));
        assertEquals(Optional.of(true), c.getBool("agent", "killdupagents"));
        assertEquals(Optional.of(10L), c.getLong("agent", "maxconn"));
        assertEquals(Optional.empty(), c.get("agent", "absent"));
        assertTrue(c.hasSection("targets"));
    }

    @Test
    void quotedValuesKeepCommentCharactersAndEscapes() {
        IniConfig c = IniConfig.parse("[t]\nmacro = \"x:tags#>>'{op}'='a;b'\"\nesc = \"a\\\"b\\\\c\\td\"\n", "t");
        assertEquals("x:tags#>>'{op}'='a;b'", c.get("t", "macro").orElseThrow());
        assertEquals("a\"b\\c\td", c.get("t", "esc").orElseThrow());
    }

    @Test
    void subsectionsAndContinuationLines() {
        IniConfig c = IniConfig.parse("[logging \"file\"]\nlevel = \\\n info\n", "t");
        assertEquals(Optional.of("info"), c.get("logging \"file\"", "level"));
    }

    @Test
    void badFilesGetErrorsWithFileLineAndRule() {
        assertEquals(
                "t:1: variable outside of any [section]: a = b",
                assertThrows(ConfigException.class, () -> IniConfig.parse("a = b", "t"))
                        .getMessage());
        assertEquals(
                "t:1: section header is missing ']': [api",
                assertThrows(ConfigException.class, () -> IniConfig.parse("[api\n", "t"))
                        .getMessage());
        assertEquals(
                "t:2: unterminated quoted value: \"abc",
                assertThrows(ConfigException.class, () -> IniConfig.parse("[a]\nk = \"abc\n", "t"))
                        .getMessage());
        IniConfig c = IniConfig.parse("[agent]\ntimeout = soon\nflag = maybe\nn = ten\n", "t");
        assertEquals(
                "t:2: [agent] timeout = 'soon' is not a duration such as 300s, 5m or 1h30m "
                        + "(invalid duration \"soon\" (expected numbers with units ns, us, ms, s, m or h, e.g. 300s or 1h30m))",
                assertThrows(ConfigException.class, () -> c.getDuration("agent", "timeout"))
                        .getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> c.getBool("agent", "flag"))
                .getMessage()
                .contains("is not a boolean"));
        assertTrue(assertThrows(ConfigException.class, () -> c.getLong("agent", "n"))
                .getMessage()
                .contains("is not an integer"));
    }

    @Test
    void unknownSectionsAndKeysAreRefusedWhenTheProgramSaysWhatItKnows() {
        IniConfig c = IniConfig.parse("[agent]\ntimeot = 20m\n", "scheduler.cfg");
        ConfigException e = assertThrows(
                ConfigException.class, () -> c.requireKnown(Map.of("agent", Set.of("timeout", "heartbeatfreq"))));
        assertTrue(
                e.getMessage().startsWith("scheduler.cfg:2: unknown variable 'timeot' in section [agent]"),
                e.getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> c.requireKnown(Map.of("mq", Set.of())))
                .getMessage()
                .startsWith("scheduler.cfg: unknown section [agent]"));
    }

    @Test
    void goDurationsParseAndFormat() {
        assertEquals(Duration.ofSeconds(300), GoDuration.parse("300s"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1.5h"));
        assertEquals(Duration.ofMillis(100), GoDuration.parse("100ms"));
        assertEquals(Duration.ofHours(72), GoDuration.parse("72h"));
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5 minutes"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(""));
        assertEquals("1h30m0s", GoDuration.format(Duration.ofMinutes(90)));
        assertEquals("82.302599ms", GoDuration.format(Duration.ofNanos(82_302_599)));
        assertEquals("3.02s", GoDuration.format(Duration.ofMillis(3020)));
        assertEquals("5m0s", GoDuration.format(Duration.ofMinutes(5)));
    }
}
