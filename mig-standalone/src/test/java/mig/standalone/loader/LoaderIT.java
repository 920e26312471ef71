package mig.standalone.loader;

import static mig.standalone.loader.LoaderPlatform.ALICE;
import static mig.standalone.loader.LoaderPlatform.BOB;
import static mig.standalone.loader.LoaderPlatform.MALLORY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import mig.common.manifest.ManifestContent;
import mig.loader.LoaderRun;
import mig.testkit.MigServices;
import mig.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * mig-loader against the real API on real PostgreSQL: a manifest signed 2 of n installs the new
 * agent and runs the restart command; a manifest with too few, foreign, missing or stale
 * signatures, a file whose SHA-256 differs from the signed one, and a failing restart leave the
 * installed agent as it was.
 */
@ExtendWith(MigServices.class)
class LoaderIT {
    static final byte[] OLD_AGENT = "agent v1\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW_AGENT = "agent v2, the upgrade\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW_CONFIG = "[agent]\nrelay = amqp://new\n".getBytes(StandardCharsets.UTF_8);

    LoaderPlatform platform;
    Path root;
    Path restarts;

    @TempDir
    Path dir;

    @BeforeEach
    void platform(TestDatabase tdb) throws Exception {
        platform = LoaderPlatform.start(tdb, dir);
        root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("sbin"));
        Files.write(root.resolve("sbin/mig-agent"), OLD_AGENT);
        restarts = dir.resolve("restarts");
        config(platform.apiUrl(), 2, "echo restarted >> " + restarts);
    }

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    void config(String url, int required, String restart) throws IOException {
        platform.config(url, required, root, restart, "");
    }

    @Test
    void aManifestSignedTwoOfNInstallsTheNewAgentAndRestartsIt() throws Exception {
        long mid = platform.manifest(Map.of("mig-agent", NEW_AGENT, "configuration", NEW_CONFIG));
        platform.sign(mid, ALICE);
        platform.sign(mid, BOB);
        LoaderRun run = LoaderRun.of(platform.configFile());
        assertEquals(0, run.code(), run.output());
        assertTrue(run.output().contains("2 valid signatures in manifest"), run.output());
        assertTrue(run.output().contains("update installed"), run.output());
        assertArrayEquals(NEW_AGENT, Files.readAllBytes(root.resolve("sbin/mig-agent")));
        assertArrayEquals(NEW_CONFIG, Files.readAllBytes(root.resolve("etc/mig/mig-agent.cfg")));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("sbin/mig-agent"))));
        assertArrayEquals(OLD_AGENT, Files.readAllBytes(root.resolve("sbin/mig-agent.old")), "kept as .old");
        assertEquals(List.of("restarted"), Files.readAllLines(restarts));

        // a second run finds nothing to do and does not restart
        LoaderRun again = LoaderRun.of(platform.configFile());
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("up to date"), again.output());
        assertEquals(List.of("restarted"), Files.readAllLines(restarts));
    }

    @Test
    void anUnderWeightedManifestIsRefused() throws Exception {
        platform.sign(platform.manifest(Map.of("mig-agent", NEW_AGENT)), ALICE);
        assertRefused("Not enough valid signatures (got 1, need 2)");
    }

    @Test
    void aSignatureByAnUntrustedKeyDoesNotCount() throws Exception {
        config(platform.apiUrl(), 1, "echo restarted >> " + restarts);
        platform.sign(platform.manifest(Map.of("mig-agent", NEW_AGENT)), MALLORY);
        assertRefused("Not enough valid signatures (got 0, need 1)");
    }

    @Test
    void aManifestWhoseSignaturesWereRemovedIsRefused() throws Exception {
        config(platform.apiUrl(), 1, "echo restarted >> " + restarts);
        long mid = platform.manifest(Map.of("mig-agent", NEW_AGENT));
        platform.sign(mid, ALICE);
        platform.sql("DELETE FROM manifestsig WHERE manifestid = " + mid); // the database tampered with
        assertRefused("Not enough valid signatures (got 0, need 1)");
    }

    @Test
    void aManifestWhoseContentWasAlteredAfterSigningIsRefused() throws Exception {
        config(platform.apiUrl(), 1, "echo restarted >> " + restarts);
        long mid = platform.manifest(Map.of("mig-agent", NEW_AGENT));
        platform.sign(mid, ALICE);
        String evil = ManifestContent.of(Map.of("mig-agent", "a backdoored agent\n".getBytes(StandardCharsets.UTF_8)));
        platform.sql("UPDATE manifests SET content = '" + evil + "' WHERE id = " + mid);
        assertRefused("Not enough valid signatures (got 0, need 1)");
    }

    @Test
    void aFileWhoseHashDiffersFromTheSignedOneIsRefused() throws Exception {
        long mid = platform.manifest(Map.of("mig-agent", NEW_AGENT));
        platform.sign(mid, ALICE);
        platform.sign(mid, BOB);
        // between the loader and the API, something swaps the agent it downloads
        HttpServer proxy = platform.swappingProxy("backdoor\n");
        try {
            config(LoaderPlatform.proxyUrl(proxy), 2, "echo restarted >> " + restarts);
            assertRefused("staged file signature mismatch");
            assertFalse(Files.exists(root.resolve("sbin/mig-agent.loader")), "nothing left staged");
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aRestartThatFailsPutsThePreviousAgentBack() throws Exception {
        config(platform.apiUrl(), 2, "exit 3");
        long mid = platform.manifest(Map.of("mig-agent", NEW_AGENT));
        platform.sign(mid, ALICE);
        platform.sign(mid, BOB);
        LoaderRun run = LoaderRun.of(platform.configFile());
        assertEquals(1, run.code(), run.output());
        assertTrue(run.output().contains("exited with status 3; the previous files are back in place"), run.output());
        assertArrayEquals(OLD_AGENT, Files.readAllBytes(root.resolve("sbin/mig-agent")));
    }

    void assertRefused(String why) throws Exception {
        LoaderRun run = LoaderRun.of(platform.configFile());
        assertEquals(1, run.code(), run.output());
        assertTrue(run.output().contains(why), run.output());
        assertTrue(run.output().contains("refused:"), run.output());
        assertArrayEquals(OLD_AGENT, Files.readAllBytes(root.resolve("sbin/mig-agent")), "the agent stays");
        assertFalse(Files.exists(restarts), "no restart");
    }
}
