package mig.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import mig.common.json.GoJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output plugins: every executable file in {@code plugins/}, registered at start as in the
 * original. A result set is written as JSON to a plugin's standard input, with
 * {@code MIG_RUNNER_DIRECTORY} and {@code MIG_RUNNER_ENTITY} in its environment.
 *
 * <p>Unlike the original, a plugin cannot stop or clog the runner: it runs in its own thread, at
 * most {@code maxplugins} at once, and is killed with its children once {@code plugintimeout} has
 * passed; what it prints (stdout and stderr, the first 64 KiB) is logged line by line; a failure
 * or a crash is logged and the runner goes on. The results stay stored either way.
 */
final class Plugins implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mig-runner");
    private static final int MAX_OUTPUT = 64 * 1024;

    private final Map<String, Path> plugins;
    private final Path runnerDir;
    private final Duration timeout;
    private final Semaphore slots;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mig-runner-plugin");
        t.setDaemon(true);
        return t;
    });

    private Plugins(Map<String, Path> plugins, Path runnerDir, Duration timeout, int max) {
        this.plugins = plugins;
        this.runnerDir = runnerDir;
        this.timeout = timeout;
        this.slots = new Semaphore(max);
    }

    /** Registers the executables of the plugins folder. */
    static Plugins load(RunnerConfig cfg) throws IOException {
        Map<String, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cfg.pluginDirectory())) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                    log.info("plugins: skipping {} (not executable)", name);
                    continue;
                }
                log.info("plugins: registering {}", name);
                found.put(name, p);
            }
        }
        return new Plugins(found, cfg.directory(), cfg.pluginTimeout(), cfg.maxPlugins());
    }

    boolean has(String name) {
        return plugins.containsKey(name);
    }

    /**
     * Starts the plugin on a result set in the background.
     *
     * @return false when no such plugin is registered
     */
    boolean run(RunnerResult r) {
        Path exe = plugins.get(r.usePlugin());
        if (exe == null) {
            return false;
        }
        byte[] input = GoJson.marshalBytes(r);
        pool.execute(() -> {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                runOne(r.usePlugin(), exe, r.entityName(), input);
            } finally {
                slots.release();
            }
        });
        return true;
    }

    private void runOne(String name, Path exe, String entity, byte[] input) {
        ProcessBuilder pb = new ProcessBuilder(exe.toString()).redirectErrorStream(true);
        pb.environment().put("MIG_RUNNER_DIRECTORY", runnerDir.toString());
        pb.environment().put("MIG_RUNNER_ENTITY", entity);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            log.warn("{}: cannot start plugin {}: {}", name, exe, e.getMessage());
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(p.getInputStream(), output), "mig-runner-plugin-output");
        reader.setDaemon(true);
        reader.start();
        // written from its own thread: a plugin that never reads its input must not block the wait below
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        Thread writer = new Thread(
                () -> {
                    try (OutputStream stdin = p.getOutputStream()) {
                        stdin.write(input);
                        written.set(input.length);
                    } catch (IOException e) {
                        // a plugin that exits without reading all of its input: said, its exit still awaited
                        log.warn("{}: {}", name, e.getMessage());
                    }
                },
                "mig-runner-plugin-input");
        writer.setDaemon(true);
        writer.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            log.warn("{}: killed, still running after {}s (plugintimeout)", name, timeout.toSeconds());
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String out;
        synchronized (output) {
            out = output.toString(StandardCharsets.UTF_8);
        }
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                log.info("{}: {}", name, line);
            }
        }
        if (finished && p.exitValue() != 0) {
            log.warn("{}: exit status {}", name, p.exitValue());
        }
        log.info("{}: wrote {} bytes to plugin", name, written.get());
    }

    private static void drain(InputStream in, ByteArrayOutputStream into) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (into) {
                    int room = MAX_OUTPUT - into.size();
                    if (room > 0) {
                        into.write(buf, 0, Math.min(n, room));
                    }
                }
            }
        } catch (IOException e) {
            // the plugin was killed: what it printed so far is kept
        }
    }

    Optional<Path> path(String name) {
        return Optional.ofNullable(plugins.get(name));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
