package mig.agent.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/mig-agent.service} as the {@code .deb} installs it passes {@code systemd-analyze
 * verify}, checked inside the package tree ({@code --root}) so that its {@code ExecStart} launcher
 * exists. systemd is installed from Debian's packages when missing; the test is skipped only if
 * that fails.
 */
class ServiceUnitTest {

    private static final Path UNIT = Path.of("../conf/mig-agent.service");

    @TempDir
    Path tmp;

    @BeforeAll
    static void systemdAnalyzeIsThere() throws Exception {
        if (onPath("systemd-analyze")) {
            return;
        }
        String why = exec(List.of("apt-get", "install", "-y", "--no-install-recommends", "systemd"))
                .output();
        if (!onPath("systemd-analyze")) {
            why = exec(List.of("apt-get", "update")).output() + why;
            exec(List.of("apt-get", "install", "-y", "--no-install-recommends", "systemd"));
        }
        Assumptions.assumeTrue(
                onPath("systemd-analyze"),
                "systemd-analyze is missing and apt-get could not " + "install systemd:\n" + why);
    }

    private record Ran(int code, String output) {}

    private static Ran exec(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Ran(127, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Ran(p.exitValue(), out);
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** The .deb tree with the host's own units beside ours, so targets like network-online.target resolve. */
    private Path installedTree(Path unit) throws Exception {
        Path jar = Files.writeString(tmp.resolve("mig-agent.jar"), "not a real jar: verify only checks ExecStart");
        Path root = tmp.resolve("root");
        DebTree.write(root, jar, Path.of("../packaging/agent/mig-agent"), unit, "unit-test", "0.1.0", "test\n");
        Path hostUnits = Path.of("/usr/lib/systemd/system");
        Path target = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        try (Stream<Path> units = Files.list(hostUnits)) {
            for (Path u : units.toList()) {
                if (Files.isRegularFile(u, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(u)) {
                    Files.copy(
                            u,
                            target.resolve(u.getFileName()),
                            LinkOption.NOFOLLOW_LINKS,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return root;
    }

    private Ran verify(Path root) throws Exception {
        return exec(List.of(
                "systemd-analyze",
                "--root=" + root.toAbsolutePath(),
                "verify",
                "/lib/systemd/system/mig-agent.service"));
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerifyWithoutAWarning() throws Exception {
        Ran r = verify(installedTree(UNIT));
        assertEquals(0, r.code(), r.output());
        assertEquals("", r.output().strip(), "systemd-analyze verify warned");
    }

    @Test
    void verifyDoesCatchAMistakeInTheUnit() throws Exception {
        Path broken = Files.writeString(
                tmp.resolve("broken.service"), Files.readString(UNIT).replace("MemoryMax=", "MemoryMaximum="));
        Ran r = verify(installedTree(broken));
        assertTrue(
                r.output().contains("Unknown key name 'MemoryMaximum'")
                        || r.output().contains("Unknown key 'MemoryMaximum'"),
                r.output());
    }

    @Test
    void theUnitRestartsOnFailureAndBoundsCpuMemoryAndIo() throws Exception {
        List<String> lines =
                Files.readAllLines(UNIT).stream().map(String::strip).toList();
        for (String expected : List.of(
                "ExecStart=/usr/sbin/mig-agent -f",
                "Restart=on-failure",
                "CPUQuota=50%",
                "MemoryMax=256M",
                "IOWeight=10",
                "ProtectSystem=strict",
                "ProtectHome=read-only",
                "NoNewPrivileges=yes",
                "StateDirectory=mig")) {
            assertTrue(lines.contains(expected), "missing " + expected);
        }
        assertTrue(
                lines.stream().noneMatch(l -> l.startsWith("PrivateTmp=") || l.startsWith("ProtectProc=")),
                "a forensic agent must see the real /tmp and every process");
    }

    @Test
    void theFaultTestsRunAgentsWithTheLaunchersJvmFlags() throws Exception {
        String launcher = Files.readString(Path.of("../packaging/agent/mig-agent"));
        List<String> code = launcher.lines().filter(l -> !l.startsWith("#")).toList();
        java.util.Set<String> words = new java.util.HashSet<>();
        for (String line : code) {
            words.addAll(List.of(line.split("[\\s\"=\\\\]+(?=-)|[\\s\"\\\\]+")));
        }
        for (String flag : mig.agent.AgentProcess.FOOTPRINT_FLAGS) {
            assertTrue(words.contains(flag), "the launcher lost " + flag);
        }
        assertTrue(launcher.contains("MALLOC_ARENA_MAX"), launcher);
    }

    /**
     * The class list the package ships (the launcher's class-data archive is made of it) still
     * names this code's classes: after a large rename it would only cost memory, silently, so it is
     * caught here. Re-record it with {@code bench/agent-footprint.sh --classlist
     * packaging/agent/mig-agent.classlist}.
     */
    @Test
    void theShippedClassListNamesTheAgentsClasses() throws Exception {
        List<String> ours = Files.readAllLines(Path.of("../packaging/agent/mig-agent.classlist")).stream()
                .filter(l -> l.startsWith("mig/"))
                .map(l -> l.split(" ")[0])
                .toList();
        assertTrue(ours.size() > 50, "the list names " + ours.size() + " of MIG's classes");
        List<String> gone = ours.stream()
                .filter(n -> getClass().getClassLoader().getResource(n + ".class") == null)
                .toList();
        assertTrue(
                gone.size() * 20 <= ours.size(),
                gone.size() + " of the " + ours.size() + " MIG classes in the list no longer exist, e.g. "
                        + gone.subList(0, Math.min(5, gone.size()))
                        + ": re-record it with bench/agent-footprint.sh --classlist packaging/agent/mig-agent.classlist");
    }
}
