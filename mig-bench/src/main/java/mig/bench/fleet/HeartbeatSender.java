package mig.bench.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mig.common.Agent;
import mig.common.Heartbeat;
import mig.common.Version;
import mig.common.json.GoJson;

/**
 * The simulated agents' heartbeats: {@code POST <api>/heartbeat} with the real agent's body
 * ({@link Heartbeat}), one per agent every period, spread evenly over the period so the API sees a
 * steady stream rather than bursts. At most {@link #MAX_IN_FLIGHT} requests are open at once (a
 * real fleet has one connection per agent; the simulator shares a client).
 *
 * <p>Every answer is recorded with its time and latency ({@link #between}), so a run can report the
 * heartbeats the API took while an action was under way, and how long they waited.
 */
final class HeartbeatSender implements AutoCloseable {

    static final int MAX_IN_FLIGHT = 32;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One answered (or failed) heartbeat: when it was sent, how long it took, the HTTP status (0: no answer). */
    record Beat(long sentNanos, long micros, int status) {}

    private final List<SimAgent> agents;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(2, ResultPublisher.daemon("fleet-http")))
            .build();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final ConcurrentLinkedQueue<Beat> beats = new ConcurrentLinkedQueue<>();
    private final AtomicLong failures = new AtomicLong();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(ResultPublisher.daemon("fleet-heartbeat"));
    private final Instant refreshTime = Instant.now();

    HeartbeatSender(List<SimAgent> agents, String apiUrl) {
        this.agents = agents;
        this.url = URI.create(apiUrl + (apiUrl.endsWith("/") ? "" : "/") + "heartbeat");
    }

    /** One heartbeat from every agent, waiting for the answers. @return how many the API refused */
    int registerAll() throws InterruptedException {
        List<CompletableFuture<Integer>> all = new ArrayList<>(agents.size());
        for (SimAgent a : agents) {
            all.add(send(a));
        }
        int refused = 0;
        for (CompletableFuture<Integer> f : all) {
            if (f.join() != 200) {
                refused++;
            }
        }
        return refused;
    }

    /** Each agent heartbeats every {@code period} from now on, agent {@code i} at offset i/N of it. */
    void startPeriodic(Duration period) {
        long periodMicros = period.toNanos() / 1000;
        for (int i = 0; i < agents.size(); i++) {
            SimAgent a = agents.get(i);
            long offset = periodMicros * i / agents.size();
            timer.scheduleAtFixedRate(
                    () -> {
                        try {
                            send(a);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    offset,
                    periodMicros,
                    TimeUnit.MICROSECONDS);
        }
    }

    private CompletableFuture<Integer> send(SimAgent a) throws InterruptedException {
        inFlight.acquire();
        long start = System.nanoTime();
        HttpRequest req = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(a), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((resp, err) -> {
            inFlight.release();
            int status = err == null ? resp.statusCode() : 0;
            if (status != 200) {
                failures.incrementAndGet();
            }
            beats.add(new Beat(start, (System.nanoTime() - start) / 1000, status));
            return status;
        });
    }

    /** The real agent's heartbeat body for this simulated agent, as of now. */
    String body(SimAgent a) {
        return GoJson.marshal(Heartbeat.of(
                a.name(),
                a.environment(),
                Agent.MODE_DAEMON,
                Version.VERSION,
                a.pid(),
                a.queueLoc(),
                Instant.now(),
                refreshTime,
                a.tags()));
    }

    /** Heartbeats sent in [from, to) (System.nanoTime values). */
    HeartbeatWindow between(long fromNanos, long toNanos) {
        List<Long> micros = new ArrayList<>();
        int ok = 0;
        int failed = 0;
        for (Beat b : beats) {
            if (b.sentNanos() >= fromNanos && b.sentNanos() < toNanos) {
                micros.add(b.micros());
                if (b.status() == 200) {
                    ok++;
                } else {
                    failed++;
                }
            }
        }
        Collections.sort(micros);
        double seconds = Math.max(1e-9, (toNanos - fromNanos) / 1e9);
        return new HeartbeatWindow(
                micros.size(),
                ok,
                failed,
                micros.size() / seconds,
                percentile(micros, 0.50) / 1000.0,
                percentile(micros, 0.99) / 1000.0);
    }

    /** Heartbeats the API did not answer with 200, since the start. */
    long failures() {
        return failures.get();
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
