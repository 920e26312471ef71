package mig.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MIG program (API, scheduler, agent) running in a JVM of its own, started from this JVM's class
 * path, so that a test or benchmark can measure its CPU and memory from {@code /proc}
 * ({@link ProcStats}), stop it as an operator would (SIGTERM) or kill it as a crash would
 * ({@link #kill()}, SIGKILL). Its standard output and error go to one log file, which
 * {@link #awaitLog} reads to know when the program is up.
 *
 * <p>It is what {@code bin/mig-api} or {@code bin/mig-scheduler} runs, with the same main class,
 * minus the launcher script: the process started is {@code java} itself, so {@link #pid()} is the
 * JVM's. Under Surefire the class path is the booter jar, whose manifest {@code Class-Path} the
 * child's class loader follows as ours did.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    /** JVM options of a server child: a serial collector and a bounded heap, as on a small host. */
    public static final List<String> SERVER_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx1g", "-Xss512k");

    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path log;
    /** Where this run's output starts in the log (a restarted program appends to the same file). */
    private final long logOffset;

    private ChildJvm(String name, Process process, Path log, long logOffset) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logOffset = logOffset;
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM.
     *
     * @param name       for log lines and the log file name, e.g. {@code mig-scheduler}
     * @param jvmOptions options before the class path, e.g. {@link #SERVER_OPTIONS}
     * @param logDir     where {@code <name>.log} (standard output and error, appended) is written
     */
    public static ChildJvm start(String name, List<String> jvmOptions, String mainClass, List<String> args, Path logDir)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        long offset = Files.exists(log) ? Files.size(log) : 0;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LOG.info("{} started as pid {} ({} {}), output in {}", name, p.pid(), mainClass, String.join(" ", args), log);
        return new ChildJvm(name, p, log, offset);
    }

    public String name() {
        return name;
    }

    /** The JVM's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file holding the child's standard output and error. */
    public Path logFile() {
        return log;
    }

    /** This run's output so far. */
    public String output() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(all.length, logOffset);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Waits until a line of the child's output matches, checking every 50 ms.
     *
     * @throws IllegalStateException if the child exits first or {@code timeout} passes; the message
     *     carries the end of its output
     */
    public void awaitLog(Predicate<String> line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Arrays.stream(output().split("\n")).anyMatch(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " (pid " + pid() + ") exited with status " + process.exitValue()
                        + " before it was ready; its output ends with:\n" + tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " (pid " + pid() + ") was not ready after " + timeout.toSeconds()
                        + " s; its output ends with:\n" + tail(40));
            }
            Thread.sleep(50);
        }
    }

    /** The last {@code lines} lines of the output. */
    public String tail(int lines) {
        String[] all = output().split("\n");
        return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** SIGKILL, as a crash or the OOM killer would; waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        LOG.info("{} (pid {}) killed", name, pid());
    }

    /** SIGTERM, then SIGKILL if it is still running after 15 s. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn(
                        "{} (pid {}) did not stop within {} s of SIGTERM; killing it",
                        name,
                        pid(),
                        STOP_WAIT.toSeconds());
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
