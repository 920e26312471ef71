package mig.modules.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A child process for the memory tests ({@code resources/memory/probe.c}): holds a marker and a
 * byte pattern in its heap and maps a library named for the test run. Compiled with gcc at test
 * time; the tests are skipped only where gcc does not exist.
 */
final class Probe implements AutoCloseable {

    /** The compiled program and library. */
    record Build(Path exe, Path library) {}

    private final Process process;

    private Probe(Process process) {
        this.process = process;
    }

    /** Compiles the probe and a library {@code libmigprobe-<tag>.so} into {@code dir}. */
    static Build build(Path dir, String tag) throws IOException, InterruptedException {
        Path src = copy(dir, "probe.c");
        Path libSrc = copy(dir, "probelib.c");
        Path exe = dir.resolve("probe");
        Path lib = dir.resolve("libmigprobe-" + tag + ".so");
        gcc(List.of("gcc", "-O0", "-shared", "-fPIC", "-o", lib.toString(), libSrc.toString()));
        gcc(List.of("gcc", "-O0", "-o", exe.toString(), src.toString(), "-ldl"));
        return new Build(exe.toRealPath(), lib.toRealPath());
    }

    /** Starts a probe and waits until it holds everything. */
    static Probe start(Build build, String marker, String hex) throws IOException {
        Process p = new ProcessBuilder(
                        build.exe().toString(), marker, hex, build.library().toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("probe did not start: " + line);
        }
        return new Probe(p);
    }

    long pid() {
        return process.pid();
    }

    /** Kills the probe and waits until it is gone (reaped, so its /proc entry is gone too). */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static void gcc(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("gcc is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    private static Path copy(Path dir, String name) throws IOException {
        try (InputStream in = Probe.class.getResourceAsStream("/memory/" + name)) {
            Path to = dir.resolve(name);
            Files.copy(in, to);
            return to;
        }
    }
}
