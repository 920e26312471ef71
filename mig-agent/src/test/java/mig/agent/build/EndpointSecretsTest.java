package mig.agent.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: on an endpoint, any local user could read the relay password out of the 0644 agent jar
 * (the proxies' masking is in {@code mig.agent.ProxyMaskingTest}).
 */
class EndpointSecretsTest {

    static final String RELAY = "amqp://agent:relay-s3cret@relay.acme.net:5672/mig";

    @TempDir
    Path tmp;

    @Test
    void thePackagedJarAndItsFolderAreRootsOnly() throws Exception {
        Path trust = TrustFixture.writeTrustFolder(
                tmp.resolve("trust"),
                "acme-prod",
                false,
                "[agent]\n relay = \"" + RELAY + "\"\n heartbeatfreq = 30s\n moduletimeout = 30s\n");
        AgentPackager.Result r = AgentPackager.pack(
                trust,
                tmp.resolve("out"),
                List.of(),
                Optional.of(Path.of("../conf/mig-agent.service")),
                Optional.of(Path.of("../packaging/agent/mig-agent")),
                Clock.systemUTC());
        assertEquals("rw-------", mode(r.jar()), "the jar the packager writes");
        Path deb = r.debTree().orElseThrow();
        assertEquals("rwx------", mode(deb.resolve("usr/lib/mig-agent")));
        assertEquals("rw-------", mode(deb.resolve("usr/lib/mig-agent/mig-agent.jar")));
        assertEquals("rwx------", mode(deb.resolve("etc/mig")));
        assertEquals("rwxr-xr-x", mode(deb.resolve("usr/sbin/mig-agent")));
        String postinst = Files.readString(deb.resolve("DEBIAN/postinst"));
        assertTrue(postinst.contains("chmod 0600 /etc/mig/mig-agent.cfg"), postinst);

        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is needed to build and read the package");
        Path pkg = tmp.resolve("mig-agent.deb");
        run(List.of("dpkg-deb", "--root-owner-group", "--build", deb.toString(), pkg.toString()));
        String listing = run(List.of("dpkg-deb", "-c", pkg.toString()));
        assertTrue(
                listing.lines()
                        .anyMatch(l -> l.startsWith("-rw------- root/root")
                                && l.endsWith(" ./usr/lib/mig-agent/mig-agent.jar")),
                listing);
        assertTrue(
                listing.lines()
                        .anyMatch(l -> l.startsWith("drwx------ root/root") && l.endsWith(" ./usr/lib/mig-agent/")),
                listing);

        // the attack: another local user reads the installed jar (here: the package unpacked as dpkg does)
        assumeTrue(
                onPath("setpriv") && "root".equals(System.getProperty("user.name")),
                "running as another user needs root and setpriv");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path installed = tmp.resolve("root");
        run(List.of("dpkg-deb", "-x", pkg.toString(), installed.toString()));
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat");
        assertEquals(
                0,
                exit(concat(asNobody, installed.resolve("usr/sbin/mig-agent").toString())),
                "nobody reaches the package's files (so the refusal below is the jar's own mode)");
        assertNotEquals(
                0,
                exit(concat(
                        asNobody,
                        installed.resolve("usr/lib/mig-agent/mig-agent.jar").toString())),
                "nobody cannot read the jar holding the relay password");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<String> concat(List<String> cmd, String arg) {
        List<String> all = new ArrayList<>(cmd);
        all.add(arg);
        return all;
    }

    private static boolean onPath(String tool) {
        return exit(List.of("sh", "-c", "command -v " + tool)) == 0;
    }

    private static int exit(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
