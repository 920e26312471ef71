package mig.modules.file;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import mig.modules.RunContext;

/**
 * The only concurrency of a file search. File reads run on at most {@link RunContext#parallelism()}
 * worker threads while the walker thread keeps listing directories; every outcome, read or not, is
 * handed back to the walker thread in the order the walker found the files, and committed there.
 * Results therefore do not depend on thread timing: {@code matchlimit} cuts at the same file, and
 * results list files in walk order, whatever the parallelism.
 *
 * <p>At most {@code window} outcomes wait to be committed, which bounds memory and how far the walker
 * runs ahead. Worker threads have the JVM's default stack: RE2 does not recurse on the text, so
 * long lines need no large one. Everything here is confined to the walker thread except the tasks
 * themselves.
 */
final class OrderedPipeline implements AutoCloseable {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final RunContext context;
    private final Consumer<FileOutcome> sink;
    private final int window;
    /** Outcomes ({@link FileOutcome}) and pending reads ({@link Future}) in walk order. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();

    private ThreadPoolExecutor pool;

    OrderedPipeline(RunContext context, Consumer<FileOutcome> sink) {
        this.context = context;
        this.sink = sink;
        this.window = 4 * context.parallelism() + 4;
    }

    /** An outcome that needed no read. */
    void accept(FileOutcome outcome) {
        if (pending.isEmpty()) {
            commit(outcome);
        } else {
            pending.add(outcome);
            commitReady();
        }
    }

    /** A read to run on a worker; waits for the oldest outcome when the window is full. */
    void submit(java.util.concurrent.Callable<FileOutcome> read) {
        pending.add(pool().submit(read));
        commitReady();
        while (pending.size() > window) {
            commitHead();
        }
    }

    /** Waits for every outstanding read and commits all outcomes. */
    void finish() {
        while (!pending.isEmpty()) {
            commitHead();
        }
    }

    /**
     * After an abort: commits the outcomes that are already complete, in order, up to the first one
     * that is not, and cancels the rest.
     */
    void salvage() {
        while (!pending.isEmpty()) {
            Object head = pending.peek();
            FileOutcome done = completed(head);
            if (done == null || done.aborted() != null) {
                break;
            }
            pending.poll();
            sink.accept(done);
        }
        for (Object o : pending) {
            if (o instanceof Future<?> f) {
                f.cancel(true);
            }
        }
        pending.clear();
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private void commitReady() {
        while (!pending.isEmpty() && completed(pending.peek()) != null) {
            commitHead();
        }
    }

    private void commitHead() {
        Object head = pending.poll();
        FileOutcome outcome = head instanceof Future<?> f ? await(f) : (FileOutcome) head;
        commit(outcome);
    }

    private void commit(FileOutcome outcome) {
        if (outcome.aborted() != null) {
            throw outcome.aborted();
        }
        sink.accept(outcome);
    }

    private static FileOutcome completed(Object o) {
        if (o instanceof FileOutcome done) {
            return done;
        }
        Future<?> f = (Future<?>) o;
        if (!f.isDone() || f.isCancelled()) {
            return null;
        }
        try {
            return (FileOutcome) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return FileOutcome.error("evaluateFile() -> " + e.getCause(), false);
        }
    }

    /** Waits for a read, polling so that a deadline on any clock and an interrupt are noticed. */
    private FileOutcome await(Future<?> f) {
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new SearchAborted(SearchAborted.Reason.INTERRUPTED);
            }
            if (context.pastDeadline()) {
                throw new SearchAborted(SearchAborted.Reason.DEADLINE);
            }
            try {
                return (FileOutcome) f.get(POLL_NANOS, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SearchAborted(SearchAborted.Reason.INTERRUPTED);
            } catch (ExecutionException e) {
                return FileOutcome.error("evaluateFile() -> " + e.getCause(), false);
            }
        }
    }

    private ThreadPoolExecutor pool() {
        if (pool == null) {
            int n = context.parallelism();
            int id = POOLS.incrementAndGet();
            AtomicInteger count = new AtomicInteger();
            ThreadFactory threads = r -> {
                Thread t = new Thread(null, r, "mig-file-" + id + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        }
        return pool;
    }
}
