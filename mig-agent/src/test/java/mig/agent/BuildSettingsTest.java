package mig.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mig.agent.build.AgentBuild;
import mig.agent.build.AgentPackager;
import mig.agent.build.TrustFixture;
import mig.agent.config.AgentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A packaged agent's settings: the original's defaults, then the build's compiled-in
 * {@code mig-agent.cfg}, then the endpoint's {@code -c} file (spec §10.2 keys), and what {@code -S}
 * says about them.
 */
class BuildSettingsTest {

    private static final String BUILT_IN = "[agent]\n relay = \"amqp://agent:build-secret@relay.acme.net:5672/mig\"\n"
            + " api = \"https://mig.acme.net/api/v1/\"\n heartbeatfreq = 60s\n moduletimeout = 120s\n"
            + " isimmortal = on\n tags = \"site:paris\"\n tags = \"owner:secops\"\n";

    @TempDir
    Path tmp;

    private Optional<AgentBuild> build() throws Exception {
        Path trust = TrustFixture.writeTrustFolder(tmp.resolve("trust"), "acme", false, BUILT_IN);
        Path jar = AgentPackager.pack(
                        trust, tmp.resolve("out"), List.of(), Optional.empty(), Optional.empty(), Clock.systemUTC())
                .jar();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            return AgentBuild.load(loader);
        }
    }

    private static AgentConfig load(Optional<AgentBuild> build, String... args) throws Exception {
        return AgentMain.loadConfig(
                AgentFlags.parse(args),
                build,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void theBuildsSettingsAreTheBuiltInConfiguration() throws Exception {
        assumeFalse(
                Files.exists(AgentConfig.DEFAULT_CONFIG_FILE),
                "this machine has its own " + AgentConfig.DEFAULT_CONFIG_FILE);
        AgentConfig c = load(build(), "-rundir", tmp.toString());
        assertEquals("amqp://agent:build-secret@relay.acme.net:5672/mig", c.relay());
        assertEquals(Duration.ofSeconds(60), c.heartbeatFreq());
        assertEquals(Map.of("site", "paris", "owner", "secops"), c.tags());
    }

    @Test
    void theEndpointsFileOverridesTheBuildsSettingsAndAddsTags() throws Exception {
        Path cfg = Files.writeString(
                tmp.resolve("mig-agent.cfg"),
                "[agent]\n relay = \"amqp://agent:x@relay2:5672/mig\"\n"
                        + " heartbeatfreq = 30s\n moduletimeout = 30s\n onlyverifypubkey = on\n tags = \"site:lyon\"\n"
                        + " tags = \"rack:12\"\n");
        AgentConfig c = load(build(), "-c", cfg.toString());
        assertEquals("amqp://agent:x@relay2:5672/mig", c.relay());
        assertEquals("https://mig.acme.net/api/v1/", c.api(), "absent from the file: the build's value stays");
        assertEquals(Duration.ofSeconds(30), c.heartbeatFreq());
        assertTrue(c.onlyVerifyPubKey());
        assertEquals(Map.of("site", "lyon", "owner", "secops", "rack", "12"), c.tags());
    }

    @Test
    void settingsShowTheBuildAndItsKeysButNoSecret() throws Exception {
        Optional<AgentBuild> build = build();
        Path cfg = Files.writeString(
                tmp.resolve("mig-agent.cfg"), "[agent]\n heartbeatfreq = 30s\n" + " moduletimeout = 30s\n");
        AgentConfig c = load(build, "-c", cfg.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentMain.printSettings(c, build, new PrintStream(out, true, StandardCharsets.UTF_8));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("AMQPBROKER        :  amqp://agent:****@relay.acme.net:5672/mig"), s);
        assertFalse(s.contains("build-secret"), s);
        assertTrue(s.contains("BUILD             :  acme ("), s);
        assertTrue(s.contains("TRUST             :  compiled-in only"), s);
        assertTrue(s.contains("ACLFILE           :  (ignored)"), s);
        assertTrue(
                s.contains("BUILTINKEYS       :  [" + TrustFixture.ALICE.fingerprint() + ", "
                        + TrustFixture.BOB.fingerprint() + "]"),
                s);
    }
}
