package mig.agent.persist;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's supervisor of persistent modules: starts them with the agent, restarts one that fails
 * (after {@code restartDelay}) and routes their alerts to dispatch, or to the agent's log when
 * dispatch is not configured (the original's behaviour). Unlike the original, the modules run as
 * threads of the agent's JVM rather than as child processes.
 */
public final class PersistentModules implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentModules.class);

    private final Optional<Dispatch> dispatch;
    private final Optional<Thread> fswatchThread;
    private volatile FsWatch fswatch;
    private volatile boolean closed;

    private PersistentModules(
            Optional<Dispatch> dispatch, PersistSettings s, Duration settle, Duration restartDelay, Clock clock) {
        this.dispatch = dispatch;
        this.fswatchThread = s.fswatch().map(cfg -> {
            Thread t = new Thread(() -> superviseFsWatch(cfg, settle, restartDelay, clock), "mig-agent-fswatch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts what {@code settings} configures.
     *
     * @param runDir the agent's run folder: dispatch keeps its queue in {@code <runDir>/dispatch}
     * @param settle how long after a write fswatch hashes the file
     * @throws IOException when dispatch's queue folder cannot be used
     */
    public static PersistentModules start(
            PersistSettings settings,
            Path runDir,
            Supplier<Dispatch.Origin> origin,
            Duration settle,
            Duration restartDelay,
            Clock clock)
            throws IOException {
        Optional<Dispatch> d = settings.dispatch().isPresent()
                ? Optional.of(Dispatch.start(settings.dispatch().get(), runDir.resolve("dispatch"), origin, clock))
                : Optional.empty();
        PersistentModules m = new PersistentModules(d, settings, settle, restartDelay, clock);
        m.fswatchThread.ifPresent(Thread::start);
        return m;
    }

    /** A persistent module's alert: to dispatch, or logged. */
    void alert(String module, String json) {
        if (dispatch.isPresent()) {
            dispatch.get().dispatch(json);
        } else {
            LOG.info("alert from persistent module {}: {}", module, json);
        }
    }

    private void superviseFsWatch(FsWatchConfig cfg, Duration settle, Duration restartDelay, Clock clock) {
        while (!closed) {
            try (FsWatch w = new FsWatch(cfg, json -> alert("fswatch", json), settle, Duration.ofMinutes(15), clock)) {
                fswatch = w;
                LOG.info("persistent module fswatch started");
                w.run();
            } catch (IOException | RuntimeException e) {
                LOG.error(
                        "persistent module fswatch failed: {}; restarting it in {}s",
                        e.toString(),
                        restartDelay.toSeconds());
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(restartDelay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The running fswatch, once started (tests wait for it to be ready). */
    public Optional<FsWatch> fswatch() {
        return Optional.ofNullable(fswatch);
    }

    /** Dispatch, when configured. */
    public Optional<Dispatch> dispatch() {
        return dispatch;
    }

    @Override
    public void close() {
        closed = true;
        FsWatch w = fswatch;
        if (w != null) {
            w.close();
        }
        fswatchThread.ifPresent(Thread::interrupt);
        dispatch.ifPresent(Dispatch::close);
    }
}
