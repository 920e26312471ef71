package mig.testkit;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out fresh vhosts and deletes used ones, hiding what each costs: vhosts are made a batch at
 * a time ({@link VhostAdmin#batchSize()}) and deleted on a background thread, so with rabbitmqctl a
 * test waits about 0.1 s for its vhost instead of about 1 s. Closing deletes the vhosts never handed
 * out and waits for pending deletions. A vhost is never handed out twice.
 */
final class VhostPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VhostPool.class);
    static final String PREFIX = "mig_test_";

    private final VhostAdmin admin;
    private final Deque<String> ready = new ArrayDeque<>();
    private final ExecutorService deleter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mig-testkit-vhost-deleter");
        t.setDaemon(true);
        return t;
    });
    private boolean closed;

    VhostPool(VhostAdmin admin) {
        this.admin = admin;
    }

    VhostAdmin admin() {
        return admin;
    }

    /** A vhost nobody else has used, created now if none is waiting. */
    synchronized String take() throws IOException {
        if (closed) {
            throw new IllegalStateException("the vhost pool is closed (the test broker was stopped)");
        }
        if (ready.isEmpty()) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < admin.batchSize(); i++) {
                batch.add(PREFIX
                        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            }
            admin.create(batch);
            ready.addAll(batch);
        }
        return ready.poll();
    }

    /** Puts back a vhost that was taken but not used by a test (the broker's login probe). */
    synchronized void putBack(String vhost) {
        ready.addFirst(vhost);
    }

    /** Deletes a used vhost in the background; failures are logged, they fail no test. */
    void release(String vhost) {
        try {
            deleter.execute(() -> delete(vhost));
        } catch (RejectedExecutionException e) {
            delete(vhost); // the pool is closing: no thread left to hand it to
        }
    }

    @Override
    public void close() {
        List<String> unused;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            unused = new ArrayList<>(ready);
            ready.clear();
        }
        unused.forEach(this::release);
        deleter.shutdown();
        try {
            if (!deleter.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("test vhosts still being deleted after 60 s through {}", admin.description());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void delete(String vhost) {
        try {
            admin.delete(vhost);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot delete test vhost {} through {}: {}", vhost, admin.description(), e.getMessage());
        }
    }
}
