package mig.agent.persist;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import mig.common.json.GoJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fswatch persistent module: watches the configured files and folders (the JDK's
 * {@link WatchService}, inotify on Linux, where the original used fsnotify) and keeps a SHA-256
 * of every file in them. When a watched file is written and its SHA-256 differs from the last one
 * known, it raises the original's alert, {@code {"severity":"critical","alert":"<path> signature
 * changed <old> -> <new>"}}, at most once per file in 15 minutes; a watched file removed raises
 * {@code "path <path> removed"} (low). A file created in a watched folder is only learnt (no
 * previous signature, no alert), as in the original.
 *
 * <p>All state lives on one worker thread (hashing included), fed by the event thread, so nothing
 * is locked. A write is hashed after {@code settle} (the original waited a random 0 to 10 s) so
 * that a file being written is hashed once it is done.
 */
public final class FsWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FsWatch.class);

    private final FsWatchConfig config;
    private final Consumer<String> alerts;
    private final Duration settle;
    private final Duration suppress;
    private final Clock clock;
    private final WatchService ws;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mig-agent-fswatch-hasher");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch ready = new CountDownLatch(1);
    // worker-thread state
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final Set<Path> watchedDirs = new HashSet<>();
    private final Set<Path> recursiveDirs = new HashSet<>();
    private final Set<Path> watchedFiles = new HashSet<>();
    private final Map<Path, byte[]> hashes = new HashMap<>();
    private final Map<Path, Instant> lastAlert = new HashMap<>();
    private final Set<Path> pending = new HashSet<>();

    /**
     * @param alerts   gets each alert's JSON
     * @param settle   how long after a write the file is hashed
     * @param suppress no second change alert for a file within this (the original: 15 minutes)
     */
    public FsWatch(FsWatchConfig config, Consumer<String> alerts, Duration settle, Duration suppress, Clock clock)
            throws IOException {
        this.config = config;
        this.alerts = alerts;
        this.settle = settle;
        this.suppress = suppress;
        this.clock = clock;
        this.ws = FileSystems.getDefault().newWatchService();
    }

    /** The original's alert: {@code {"severity":..., "alert":...}}. */
    static String alert(String severity, String text) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("severity", severity);
        o.put("alert", text);
        return GoJson.marshal(o);
    }

    /** True once every configured path is watched and its files hashed. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True when the file is watched and its signature known (asked of the worker thread). */
    public boolean knows(Path file) throws InterruptedException {
        try {
            return worker.submit(() -> hashes.containsKey(file)).get();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Watches until closed.
     *
     * @throws IOException when watching fails (the supervisor starts the module again)
     */
    public void run() throws IOException {
        try {
            worker.submit(this::setUp).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("fswatch set-up failed: " + e.getCause(), e.getCause());
        }
        ready.countDown();
        while (true) {
            WatchKey key;
            try {
                key = ws.take();
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<WatchEvent<?>> events = key.pollEvents();
            boolean valid = key.reset();
            worker.execute(() -> handle(key, events, valid));
        }
    }

    private void setUp() {
        int files = 0;
        for (FsWatchConfig.Entry e : config.entries()) {
            Path p = e.path();
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                watchedFiles.add(p);
                register(p.getParent());
                learn(p);
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                if (e.recursive()) {
                    addTree(p);
                } else {
                    addDir(p, false);
                }
            } else {
                LOG.warn("fswatch: {} does not exist or is not a file or folder; not watched", p);
            }
        }
        files = hashes.size();
        LOG.info("fswatch: watching {} folder(s), {} file(s) known", keys.size(), files);
    }

    private void addTree(Path root) {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(x -> Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS)).forEach(dirs::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("fswatch: cannot walk {}: {}", root, e.getMessage());
        }
        for (Path d : dirs) {
            addDir(d, true);
        }
    }

    private void addDir(Path dir, boolean recursive) {
        if (!register(dir)) {
            return;
        }
        watchedDirs.add(dir);
        if (recursive) {
            recursiveDirs.add(dir);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    learn(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("fswatch: cannot list {}: {}", dir, e.getMessage());
        }
    }

    private boolean register(Path dir) {
        if (keys.containsValue(dir)) {
            return true;
        }
        try {
            keys.put(dir.register(ws, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), dir);
            return true;
        } catch (IOException e) {
            // e.g. the inotify watch limit (fs.inotify.max_user_watches) is reached
            LOG.warn("fswatch: cannot watch {}: {}", dir, e.getMessage());
            return false;
        }
    }

    private boolean relevant(Path file) {
        return watchedFiles.contains(file) || watchedDirs.contains(file.getParent());
    }

    private void handle(WatchKey key, List<WatchEvent<?>> events, boolean valid) {
        Path dir = keys.get(key);
        if (dir == null) {
            return;
        }
        for (WatchEvent<?> ev : events) {
            if (ev.kind() == OVERFLOW) {
                LOG.warn("fswatch: events were lost (overflow); checking every known file again");
                new ArrayList<>(hashes.keySet()).forEach(this::scheduleHash);
                continue;
            }
            Path p = dir.resolve((Path) ev.context());
            if (ev.kind() == ENTRY_CREATE) {
                if (recursiveDirs.contains(dir) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    addTree(p);
                } else if (relevant(p)) {
                    scheduleHash(p);
                }
            } else if (ev.kind() == ENTRY_MODIFY) {
                if (relevant(p) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    scheduleHash(p);
                }
            } else if (ev.kind() == ENTRY_DELETE) {
                if (hashes.remove(p) != null) {
                    lastAlert.remove(p);
                    alerts.accept(alert("low", "path " + p + " removed"));
                }
            }
        }
        if (!valid) {
            keys.remove(key);
            watchedDirs.remove(dir);
            recursiveDirs.remove(dir);
            LOG.info("fswatch: {} is gone; no longer watched", dir);
        }
    }

    private void scheduleHash(Path p) {
        if (pending.add(p)) {
            worker.schedule(
                    () -> {
                        pending.remove(p);
                        rehash(p);
                    },
                    settle.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void learn(Path f) {
        byte[] h = sha256(f);
        if (h != null) {
            hashes.put(f, h);
        }
    }

    private void rehash(Path f) {
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        byte[] now = sha256(f);
        if (now == null) {
            return;
        }
        byte[] before = hashes.put(f, now);
        if (before == null || Arrays.equals(before, now)) {
            return;
        }
        Instant t = clock.instant();
        Instant last = lastAlert.get(f);
        if (last != null && !t.isAfter(last.plus(suppress))) {
            LOG.debug("fswatch: suppressed alert for {}", f);
            return;
        }
        lastAlert.put(f, t);
        alerts.accept(alert(
                "critical",
                f + " signature changed " + HexFormat.of().formatHex(before) + " -> "
                        + HexFormat.of().formatHex(now)));
    }

    private static byte[] sha256(Path f) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[65536];
        try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            return null; // unreadable or gone meanwhile: not known, as the original's empty hash
        }
        return md.digest();
    }

    @Override
    public void close() {
        try {
            ws.close();
        } catch (IOException e) {
            LOG.debug("fswatch: closing the watch service: {}", e.getMessage());
        }
        worker.shutdownNow();
    }
}
