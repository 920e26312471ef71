package mig.agent.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Supplier;
import mig.common.AgentEnv;
import mig.common.json.GoJson;
import mig.common.json.GoJsonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch module: alerts from persistent modules are posted to {@code [dispatch] httpurl} as
 * the original's record, {@code {"hostname":..., "environment":{...}, "tags":{...}, "event":<alert>}}
 * (or, with {@code outputmozdef}, that record as the {@code details} of a MozDef event).
 *
 * <p>Where the original kept alerts in a channel of {@code channelsize} and forgot them after one
 * failed POST, these wait in a folder ({@code <rundir>/dispatch/}, one file per alert, oldest sent
 * first) until the endpoint answers 2xx, retried after 1, 2, 4 ... up to 60 seconds. At most
 * {@code channelsize} wait; beyond that a new alert is dropped and the agent log says so with the
 * original's warning ("dispatch module dropping messages (buffer full, N dropped since last
 * warning)"), at once and then at most every 5 minutes.
 */
public final class Dispatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatch.class);
    private static final Duration DROP_WARNING_EVERY = Duration.ofMinutes(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** Who the alerts are about: the host name, MIG's environment record and the agent's tags. */
    public record Origin(String hostname, AgentEnv env, Map<String, String> tags) {}

    private final DispatchConfig config;
    private final Path queueDir;
    private final Supplier<Origin> origin;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ConcurrentSkipListSet<String> queued = new ConcurrentSkipListSet<>();
    private final Object wake = new Object();
    private final Thread sender;
    private long sequence;
    private int dropped;
    private Instant lastDropWarning = Instant.EPOCH;
    private volatile boolean closed;

    private Dispatch(DispatchConfig config, Path queueDir, Supplier<Origin> origin, Clock clock) {
        this.config = config;
        this.queueDir = queueDir;
        this.origin = origin;
        this.clock = clock;
        this.sender = new Thread(this::sendLoop, "mig-agent-dispatch");
        this.sender.setDaemon(true);
    }

    /**
     * Opens the queue folder (alerts left by a previous run are sent first) and starts sending.
     *
     * @throws IOException when the folder cannot be made or read
     */
    public static Dispatch start(DispatchConfig config, Path queueDir, Supplier<Origin> origin, Clock clock)
            throws IOException {
        Dispatch d = new Dispatch(config, queueDir, origin, clock);
        Files.createDirectories(queueDir);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(queueDir, "*.json")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                d.queued.add(name);
                try {
                    d.sequence = Math.max(d.sequence, Long.parseLong(name.substring(0, name.length() - 5)));
                } catch (NumberFormatException e) {
                    // not one of ours: sent like the others, its name does not move the sequence
                }
            }
        }
        if (!d.queued.isEmpty()) {
            LOG.info("dispatch: {} alert(s) left from a previous run will be sent first", d.queued.size());
        }
        d.sender.start();
        LOG.info(
                "dispatch: posting alerts to {} (at most {} waiting on disk in {})",
                config.httpUrl(),
                config.channelSize(),
                queueDir);
        return d;
    }

    /**
     * Queues one alert (the JSON a persistent module emitted).
     *
     * @return false when it was dropped: the queue is full, or the alert is not JSON
     */
    public boolean dispatch(String alert) {
        try {
            GoJson.tree(alert);
        } catch (GoJsonException e) {
            LOG.warn("dispatch: ignoring an alert that is not JSON: {}", e.getMessage());
            return false;
        }
        synchronized (this) {
            if (queued.size() >= config.channelSize()) {
                dropped++;
                Instant now = clock.instant();
                if (!now.isBefore(lastDropWarning.plus(DROP_WARNING_EVERY))) {
                    LOG.warn(
                            "warning, dispatch module dropping messages (buffer full, {} dropped since last warning)",
                            dropped);
                    lastDropWarning = now;
                    dropped = 0;
                }
                return false;
            }
            String name = String.format("%020d.json", ++sequence);
            Path file = queueDir.resolve(name);
            Path tmp = queueDir.resolve("." + name + ".tmp");
            try {
                Files.writeString(tmp, alert);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file);
                }
            } catch (IOException e) {
                LOG.error("dispatch: cannot queue an alert in {}: {}; the alert is lost", queueDir, e.getMessage());
                return false;
            }
            queued.add(name);
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        return true;
    }

    /** How many alerts wait to be sent. */
    public int waiting() {
        return queued.size();
    }

    private void sendLoop() {
        Duration backoff = Duration.ZERO;
        while (!closed) {
            String name = queued.isEmpty() ? null : queued.first();
            if (name == null || !backoff.isZero()) {
                synchronized (wake) {
                    try {
                        if (name == null) {
                            wake.wait(1000);
                        } else {
                            wake.wait(backoff.toMillis());
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (name == null) {
                    continue;
                }
            }
            Path file = queueDir.resolve(name);
            String event;
            try {
                event = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.error("dispatch: cannot read queued alert {}: {}; skipped", file, e.getMessage());
                queued.remove(name);
                continue;
            }
            String error = post(event);
            if (error == null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("dispatch: cannot remove sent alert {}: {}", file, e.getMessage());
                }
                queued.remove(name);
                if (!backoff.isZero()) {
                    LOG.info("dispatch: {} answers again; {} alert(s) waiting", config.httpUrl(), queued.size());
                }
                backoff = Duration.ZERO;
            } else {
                backoff = backoff.isZero()
                        ? Duration.ofSeconds(1)
                        : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                LOG.warn(
                        "dispatch: http post: {}; {} alert(s) kept on disk, next try in {}s",
                        error,
                        queued.size(),
                        backoff.toSeconds());
            }
        }
    }

    /** @return null when the endpoint took it, else why not */
    private String post(String event) {
        String body;
        try {
            body = record(event);
        } catch (GoJsonException e) {
            return "cannot build the record: " + e.getMessage();
        }
        HttpRequest req = HttpRequest.newBuilder(config.httpUrl())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
            int s = resp.statusCode();
            return s >= 200 && s < 300 ? null : config.httpUrl() + " answered " + s;
        } catch (IOException e) {
            return config.httpUrl() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The original's {@code DispatchRecord}, or a MozDef event around it. */
    String record(String event) {
        Origin o = origin.get();
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("hostname", o.hostname());
        r.set("environment", GoJson.tree(GoJson.marshal(o.env())));
        ObjectNode tags = r.putObject("tags");
        o.tags().forEach(tags::put);
        JsonNode ev = GoJson.tree(event);
        r.set("event", ev);
        if (!config.outputMozdef()) {
            return GoJson.marshal(r);
        }
        // gozdef.NewEvent + Info(), as the original's dispatch fills it, fields in gozdef's order
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("timestamp", clock.instant().toString());
        m.put("category", "mig");
        m.put("hostname", o.hostname());
        m.put("processid", ProcessHandle.current().pid());
        m.put("processname", "mig-agent");
        m.put("severity", "INFO");
        m.put("source", "");
        m.put("summary", "mig dispatch event");
        m.putArray("tags").add("mig-dispatch");
        m.set("details", r);
        return GoJson.marshal(m);
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
