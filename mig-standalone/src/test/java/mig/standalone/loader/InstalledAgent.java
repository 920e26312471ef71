package mig.standalone.loader;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * An agent installed on a test "endpoint" the way an operator installs one without a package: a
 * folder holding {@code mig-agent.jar} (MIG's own classes: the agent, its modules and mig-common,
 * whose {@code Implementation-Version} is the version the agent reports in its heartbeats),
 * {@code lib/} (the third-party jars, copied), and the service scripts: {@code mig-agent-start}
 * (starts the agent in the background, its pid in {@code mig-agent.pid}, its output appended to
 * {@code mig-agent.log}) and {@code mig-agent-restart} (stops the running agent, waits until it has
 * exited, starts the installed one again), which is what {@code systemctl restart mig-agent} does
 * on a host with the unit.
 *
 * <p>The agent's class path is the one Maven wrote for the mig-agent module
 * ({@code mig-agent/target/runtime.classpath}, built with this module's {@code -am}).
 */
final class InstalledAgent {
    /** Fixed entry time, so that the same classes and version give the same jar bytes. */
    private static final long ENTRY_TIME = 1546300800000L;

    private final Path home;

    private InstalledAgent(Path home) {
        this.home = home;
    }

    /**
     * A jar of MIG's classes for the agent labelled {@code version}: two calls with different
     * versions give jars that differ only in their manifest, as two builds of one commit would.
     */
    static byte[] agentJar(String version) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        Map<String, Set<String>> services = new TreeMap<>();
        for (Path p : migClassPath()) {
            add(p, entries, services);
        }
        Manifest mf = new Manifest();
        Attributes main = mf.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, "mig.agent.AgentMain");
        main.put(Attributes.Name.IMPLEMENTATION_TITLE, "mig-agent");
        main.put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out)) {
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            mf.write(m);
            put(jar, "META-INF/MANIFEST.MF", m.toByteArray());
            // ServiceLoader files of the merged modules are concatenated, so that no provider is lost
            services.forEach((name, lines) ->
                    entries.put(name, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
            for (var e : entries.entrySet()) {
                put(jar, e.getKey(), e.getValue());
            }
        }
        return out.toByteArray();
    }

    /**
     * Installs the agent in {@code home} with {@code jar}, configured by {@code config} and keeping
     * its state (queue location, spool) in {@code runDir}.
     */
    static InstalledAgent install(Path home, byte[] jar, Path config, Path runDir) throws IOException {
        Path lib = Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(runDir);
        for (Path p : thirdPartyClassPath()) {
            Files.copy(p, lib.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.write(home.resolve("mig-agent.jar"), jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        script(
                home.resolve("mig-agent-start"),
                "#!/bin/sh\n"
                        + "# starts the installed agent in the background\n"
                        + "here=" + quote(home.toString()) + "\n"
                        + quote(java) + " -XX:+UseSerialGC -Xmx256m -cp \"$here/mig-agent.jar:$here/lib/*\" "
                        + "mig.agent.AgentMain -c " + quote(config.toString()) + " -rundir "
                        + quote(runDir.toString()) + " -f >> \"$here/mig-agent.log\" 2>&1 < /dev/null &\n"
                        + "echo $! > \"$here/mig-agent.pid\"\n");
        script(
                home.resolve("mig-agent-restart"),
                "#!/bin/sh\n"
                        + "# stops the running agent (SIGTERM, SIGKILL after 2 minutes), then starts the installed one\n"
                        + "here=" + quote(home.toString()) + "\n"
                        + "if [ -f \"$here/mig-agent.pid\" ]; then\n"
                        + "    pid=$(cat \"$here/mig-agent.pid\")\n"
                        + "    if kill \"$pid\" 2>/dev/null; then\n"
                        + "        timeout 120 tail --pid=\"$pid\" -f /dev/null || kill -9 \"$pid\"\n"
                        + "    fi\n"
                        + "fi\n"
                        + "exec \"$here/mig-agent-start\"\n");
        return new InstalledAgent(home);
    }

    Path jar() {
        return home.resolve("mig-agent.jar");
    }

    Path restartScript() {
        return home.resolve("mig-agent-restart");
    }

    /** Runs {@code mig-agent-start}; the pid of the agent it started. */
    long start() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(home.resolve("mig-agent-start").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("mig-agent-start failed; " + log());
        }
        return pid().orElseThrow(() -> new IllegalStateException("mig-agent-start wrote no pid"));
    }

    /** The pid in {@code mig-agent.pid}: the agent the scripts last started. */
    Optional<Long> pid() throws IOException {
        Path f = home.resolve("mig-agent.pid");
        return Files.exists(f) ? Optional.of(Long.parseLong(Files.readString(f).strip())) : Optional.empty();
    }

    /** The agents' output so far, for failure messages. */
    String log() {
        try {
            Path f = home.resolve("mig-agent.log");
            return Files.exists(f) ? "agent log:\n" + Files.readString(f) : "no agent log";
        } catch (IOException e) {
            return "agent log unreadable: " + e.getMessage();
        }
    }

    /** Whether {@code pid} is an agent JVM from this installation that has not exited. */
    boolean running(long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().orElse("").contains(home.toString()))
                .isPresent();
    }

    /** Kills {@code pid} if it is still one of this installation's agents, and waits for its end. */
    void kill(long pid) {
        if (running(pid)) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
            });
        }
    }

    /** mig-agent's own classes first, then the MIG modules it depends on (class folders or jars). */
    private static List<Path> migClassPath() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(agentModule().resolve("target/classes"));
        for (Path p : runtimeClassPath()) {
            if (isMig(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> thirdPartyClassPath() throws IOException {
        return runtimeClassPath().stream().filter(p -> !isMig(p)).toList();
    }

    private static boolean isMig(Path p) {
        return Files.isDirectory(p) || p.getFileName().toString().startsWith("mig-");
    }

    private static Path agentModule() {
        return Path.of("..", "mig-agent").toAbsolutePath().normalize();
    }

    private static List<Path> runtimeClassPath() throws IOException {
        Path listed = agentModule().resolve("target/runtime.classpath");
        if (!Files.exists(listed)) {
            throw new IllegalStateException(listed + " is missing: build with -pl mig-standalone -am (it is written "
                    + "by mig-agent's generate-test-resources phase)");
        }
        List<Path> out = new ArrayList<>();
        for (String e : Files.readString(listed, StandardCharsets.UTF_8).strip().split(File.pathSeparator)) {
            if (!e.isBlank()) {
                out.add(Path.of(e));
            }
        }
        return out;
    }

    private static void add(Path entry, Map<String, byte[]> entries, Map<String, Set<String>> services)
            throws IOException {
        if (Files.isDirectory(entry)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(entry)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                take(entry.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f), entries, services);
            }
        } else {
            try (JarFile jar = new JarFile(entry.toFile(), false)) {
                Enumeration<JarEntry> all = jar.entries();
                while (all.hasMoreElements()) {
                    JarEntry e = all.nextElement();
                    if (!e.isDirectory()) {
                        try (InputStream in = jar.getInputStream(e)) {
                            take(e.getName(), in.readAllBytes(), entries, services);
                        }
                    }
                }
            }
        }
    }

    private static void take(String name, byte[] data, Map<String, byte[]> entries, Map<String, Set<String>> services) {
        if (name.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
            return;
        }
        if (name.startsWith("META-INF/services/")) {
            Set<String> lines = services.computeIfAbsent(name, n -> new LinkedHashSet<>());
            for (String l : new String(data, StandardCharsets.UTF_8).split("\r?\n")) {
                if (!l.isBlank() && !l.strip().startsWith("#")) {
                    lines.add(l.strip());
                }
            }
            return;
        }
        entries.putIfAbsent(name, data);
    }

    private static void put(JarOutputStream jar, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(ENTRY_TIME);
        jar.putNextEntry(e);
        jar.write(data);
        jar.closeEntry();
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    /** A word for sh: single-quoted. */
    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
