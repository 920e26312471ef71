package mig.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An agent in its own process, for tests that need what a thread cannot give: a small heap, a
 * {@code kill -9}, a real launcher. Output goes to a log file that {@link #log()} reads back for
 * failure messages.
 */
public final class AgentProcess implements AutoCloseable {

    /** The JVM flags of the packaged agent's launcher ({@code packaging/agent/mig-agent}). */
    public static final List<String> FOOTPRINT_FLAGS = List.of(
            "-Xms8m",
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-XX:CICompilerCount=2",
            "-XX:ReservedCodeCacheSize=24m",
            "-XX:MaxMetaspaceSize=64m",
            "-XX:MaxDirectMemorySize=16m",
            "-Xss256k",
            "-XX:-UsePerfData",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:TrimNativeHeapInterval=20000");

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Runs {@code command} with {@code env} added, output to {@code log}. */
    public static AgentProcess start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new AgentProcess(pb.start(), log);
    }

    /**
     * {@code java <flags> -cp <this test JVM's class path> mig.agent.AgentMain <args>}: the agent
     * with the test modules ({@code nap}, {@code hog}, ...) on its class path.
     */
    public static AgentProcess java(List<String> jvmFlags, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("mig.agent.AgentMain");
        cmd.addAll(args);
        return start(cmd, Map.of(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit. @return the exit code, or -1 if still running after {@code timeout} */
    public int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** {@code kill -9}: no shutdown hook, nothing flushed, as a crash or the OOM killer would. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** What the process printed so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** SIGTERM, then {@code kill -9} if it is still there after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }
}
