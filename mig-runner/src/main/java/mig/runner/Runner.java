package mig.runner;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import mig.client.api.ApiException;
import mig.client.api.MigApiClient;
import mig.client.config.ClientContext;
import mig.client.signing.SigningException;
import mig.common.Action;
import mig.common.Command;
import mig.common.Operation;
import mig.common.config.ConfigException;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's work, as the original's mig-runner does it: scan {@code runners/} every
 * {@code checkdirectory} seconds, adding, reloading (the configuration file's time changed) and
 * removing jobs; launch each job's action at its schedule, signed with the runner's key, valid from
 * a minute ago until its expiry; note it in {@code runners/<job>/inflight/<id>.json}; once it has
 * expired (plus {@code delayresults}) fetch its commands, store them in
 * {@code runners/<job>/results/<yyyymmdd>/<id>.json} and hand them to the job's plugin.
 *
 * <p>Where the original lost data this one does not: a failed fetch (API down) keeps the action in
 * flight and is tried again later (the original dropped the results), and the in-flight notes are
 * what the results loop works from, so a restart picks them all up.
 */
public final class Runner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mig-runner");
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    /** The validity window starts this far in the past, as the original's (and the generator's). */
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final RunnerConfig cfg;
    private final ClientContext client;
    private final Clock clock;
    private final Duration resultsTick;
    private final ScheduledExecutorService exec = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "mig-runner");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, FileTime> refused = new HashMap<>();
    private final Map<Long, Retry> retries = new HashMap<>();
    private Plugins plugins;

    private record Job(Entity entity, ScheduledFuture<?> next) {}

    private record Retry(int failures, Instant notBefore) {}

    /**
     * @param resultsTick how often expired actions are looked for (the original: 5 seconds)
     */
    public Runner(RunnerConfig cfg, ClientContext client, Clock clock, Duration resultsTick) {
        this.cfg = cfg;
        this.client = client;
        this.clock = clock;
        this.resultsTick = resultsTick;
    }

    /**
     * Registers the plugins and starts scanning and fetching.
     *
     * @throws IOException when the plugins folder cannot be read
     */
    public void start() throws IOException {
        if (!Files.isDirectory(cfg.runDirectory())) {
            throw new ConfigException("runner folder " + cfg.runDirectory() + " does not exist; create it"
                    + " (runners/<job>/ for each job, plugins/ for output plugins)");
        }
        plugins = Plugins.load(cfg);
        log.info("results processing routine started");
        exec.scheduleWithFixedDelay(
                guarded("scan", this::scan), 0, cfg.checkDirectory().toMillis(), TimeUnit.MILLISECONDS);
        exec.scheduleWithFixedDelay(
                guarded("results", this::processResults),
                resultsTick.toMillis(),
                resultsTick.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(String what, Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a scheduled task that throws is never run again: log and keep the loop alive
                log.error("{}: {}", what, e.toString());
            }
        };
    }

    /** One scan of {@code runners/}. */
    synchronized void scan() {
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cfg.runDirectory())) {
            for (Path dir : ds) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                String name = dir.getFileName().toString();
                present.add(name);
                procDir(name, dir);
            }
        } catch (IOException e) {
            log.error("runner error: cannot read {}: {}", cfg.runDirectory(), e.getMessage());
            return;
        }
        for (String name : new ArrayList<>(jobs.keySet())) {
            if (!present.contains(name)) {
                jobs.remove(name).next().cancel(false);
                log.info("removed entity {}", name);
            }
        }
        refused.keySet().retainAll(present);
    }

    private void procDir(String name, Path dir) {
        Path conf = dir.resolve("entity.cfg");
        FileTime mtime;
        try {
            mtime = Files.getLastModifiedTime(conf);
        } catch (IOException e) {
            if (!refused.containsKey(name)) {
                log.info("{}: no entity.cfg in {}", name, dir);
                refused.put(name, FileTime.fromMillis(0));
            }
            return;
        }
        Job job = jobs.get(name);
        if (job != null && job.entity().modTime().equals(mtime)) {
            return;
        }
        if (job == null && mtime.equals(refused.get(name))) {
            return; // already said why; tried again when the file changes
        }
        if (job != null) {
            jobs.remove(name).next().cancel(false);
            log.info("{}: configuration changed, reloading", name);
        }
        Entity e;
        try {
            e = Entity.load(dir);
        } catch (ConfigException ex) {
            log.warn("{}: {}", name, ex.getMessage());
            refused.put(name, mtime);
            return;
        }
        refused.remove(name);
        if (!e.plugin().isEmpty() && !plugins.has(e.plugin())) {
            log.warn(
                    "{}: plugin {} is not registered (not in {} or not executable); results will be stored"
                            + " without it",
                    name,
                    e.plugin(),
                    cfg.pluginDirectory());
        }
        log.info("added entity {}", name);
        scheduleNext(e);
    }

    private synchronized void scheduleNext(Entity e) {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.systemDefault()));
        Optional<ZonedDateTime> next = e.schedule().next(now);
        if (next.isEmpty()) {
            log.warn("{}: schedule '{}' has no future run, job idle", e.name(), e.schedule());
            jobs.put(e.name(), new Job(e, exec.schedule(() -> {}, 0, TimeUnit.SECONDS)));
            return;
        }
        Duration wait = Duration.between(now, next.get());
        log.info("{}: will run at {} (in {})", e.name(), next.get(), mig.common.config.GoDuration.format(wait));
        ScheduledFuture<?> f =
                exec.schedule(guarded(e.name(), () -> fire(e)), Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        jobs.put(e.name(), new Job(e, f));
    }

    private void fire(Entity e) {
        synchronized (this) {
            Job current = jobs.get(e.name());
            if (current == null || current.entity() != e) {
                return; // removed or reloaded meanwhile
            }
        }
        log.info("{}: running", e.name());
        try {
            launch(e);
        } catch (ConfigException | SigningException | ApiException | GoJsonException ex) {
            log.error("{}: {}", e.name(), ex.getMessage());
        } catch (IOException ex) {
            log.error("{}: unable to mark in flight: {}", e.name(), ex.getMessage());
        } finally {
            synchronized (this) {
                Job current = jobs.get(e.name());
                if (current != null && current.entity() == e) {
                    scheduleNext(e);
                }
            }
        }
    }

    /** Signs and posts the job's action; notes it in flight unless the job is send-only. */
    void launch(Entity e) throws ApiException, IOException {
        Action a = e.readAction();
        Instant from = clock.instant().minus(WINDOW);
        a = a.withNameAndTarget("mig-runner: " + e.name(), a.target())
                .withTimes(from, from.plus(e.expiry()).plus(WINDOW));
        List<Operation> ops = new ArrayList<>();
        for (Operation op : a.operations()) {
            ops.add(op.wantCompressed() && !op.isCompressed() ? op.compressed() : op);
        }
        a = client.sign(a.withOperations(ops));
        Action posted = client.api().postAction(a);
        log.info("{}: launched action {}", e.name(), posted.id());
        if (e.sendOnly()) {
            return;
        }
        RunnerResult r = new RunnerResult(posted, null, e.name(), e.plugin());
        Path file = flightPath(r);
        writeAtomically(file, GoJson.marshalBytes(r));
        log.info("{}: action marked as inflight: {}", e.name(), file);
    }

    private Path flightPath(RunnerResult r) {
        return cfg.runDirectory()
                .resolve(r.entityName())
                .resolve("inflight")
                .resolve(r.action().id() + ".json");
    }

    /** One pass over the in-flight notes: fetches, stores and hands on what has expired. */
    void processResults() {
        List<Path> notes = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cfg.runDirectory())) {
            for (Path dir : ds) {
                Path inflight = dir.resolve("inflight");
                if (!Files.isDirectory(inflight)) {
                    continue;
                }
                try (DirectoryStream<Path> fs = Files.newDirectoryStream(inflight, "*.json")) {
                    fs.forEach(notes::add);
                }
            }
        } catch (IOException e) {
            log.error("error scanning for cached inflight requests: {}", e.getMessage());
            return;
        }
        Instant now = clock.instant();
        for (Path note : notes) {
            RunnerResult r;
            try {
                r = GoJson.unmarshal(Files.readAllBytes(note), RunnerResult.class);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException | GoJsonException e) {
                Path aside = note.resolveSibling(note.getFileName() + ".unreadable");
                log.error("cannot read in-flight note {} ({}); moved to {}", note, e.getMessage(), aside);
                try {
                    Files.move(note, aside, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException ex) {
                    log.error("cannot move {}: {}", note, ex.getMessage());
                }
                continue;
            }
            if (!now.isAfter(r.action().expireAfter().plus(cfg.delayResults()))) {
                continue;
            }
            Retry retry = retries.get(r.action().id());
            if (retry != null && now.isBefore(retry.notBefore())) {
                continue;
            }
            try {
                getResults(r);
                retries.remove(r.action().id());
            } catch (ApiException | IOException | GoJsonException e) {
                int failures = retry == null ? 1 : retry.failures() + 1;
                Duration wait = Duration.ofSeconds(Math.min(300, 5L << Math.min(failures, 6)));
                retries.put(r.action().id(), new Retry(failures, now.plus(wait)));
                log.error(
                        "results error for {}: {} (attempt {}, kept in flight, next try in {}s)",
                        r.entityName(),
                        e.getMessage(),
                        failures,
                        wait.toSeconds());
                continue;
            }
            try {
                Files.deleteIfExists(note);
                log.info("{}: action marked as complete, removed {}", r.entityName(), note);
            } catch (IOException e) {
                log.error("{}: cannot remove {}: {}", r.entityName(), note, e.getMessage());
            }
        }
    }

    private void getResults(RunnerResult r) throws ApiException, IOException {
        long id = r.action().id();
        log.info("fetching results for {}/{}", r.entityName(), id);
        MigApiClient api = client.api();
        List<Command> all = new ArrayList<>();
        for (int offset = 0; ; offset += MigApiClient.PAGE) {
            List<Command> page = api.commands(id, MigApiClient.PAGE, offset, "");
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
        }
        log.info("{}/{}: fetched results, {} commands returned", r.entityName(), id, all.size());
        RunnerResult full = r.withCommands(all);
        Path out = cfg.runDirectory()
                .resolve(r.entityName())
                .resolve("results")
                .resolve(DAY.format(clock.instant()))
                .resolve(id + ".json");
        writeAtomically(out, GoJson.marshalBytes(full));
        log.info("wrote results for {} to {}", id, out);
        if (r.usePlugin().isEmpty()) {
            log.info("no output plugin for {}, skipping plugin processing", id);
        } else if (!plugins.run(full)) {
            log.error("results error for {}: plugin {} is not registered", r.entityName(), r.usePlugin());
        }
    }

    private static void writeAtomically(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, data);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The jobs now scheduled, by name. */
    public synchronized Set<String> jobs() {
        return Set.copyOf(jobs.keySet());
    }

    @Override
    public void close() {
        exec.shutdownNow();
        if (plugins != null) {
            plugins.close();
        }
    }
}
