package mig.agent.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local HTTP "stat socket" (spec §10.5) on the {@code socket} address, by default
 * {@code 127.0.0.1:51664}:
 * <ul>
 *   <li>{@code GET /} the status page (version, host, run folder, pid, environment, tags,
 *       configuration, recent actions);</li>
 *   <li>{@code GET /pid} the agent's process id, as text;</li>
 *   <li>{@code GET /shutdown} with header {@code AGENTID: <uid>} stops the agent. The uid is in
 *       {@code <rundir>/.migagtid}, readable by root only, so only root on the endpoint can stop
 *       it (401 otherwise, with the original's messages).</li>
 * </ul>
 * {@code mig-agent -q pid|shutdown} is the client ({@link SocketQuery}).
 *
 * <p>A busy port is not fatal: as in the original, the agent logs it and tries again every
 * minute, and runs meanwhile. An empty {@code socket} turns the stat socket off. The server runs
 * on one daemon thread.
 */
public final class StatSocket implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatSocket.class);
    private static final long RETRY_SECONDS = 60;

    private final InetSocketAddress address;
    private final String uid;
    private final Supplier<String> statusPage;
    private final Runnable shutdown;
    private final ScheduledExecutorService thread;
    private volatile HttpServer server;
    private volatile boolean closed;
    private boolean reported;

    private StatSocket(InetSocketAddress address, String uid, Supplier<String> statusPage, Runnable shutdown) {
        this.address = address;
        this.uid = uid;
        this.statusPage = statusPage;
        this.shutdown = shutdown;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mig-stat-socket");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts serving on {@code bind} ({@code host:port}) in the background.
     *
     * @param uid        the agent's secret id, required by {@code /shutdown}
     * @param statusPage renders {@code GET /}
     * @param shutdown   what {@code /shutdown} runs (on its own thread, after answering)
     * @return empty when {@code bind} is empty (stat socket off)
     * @throws IllegalArgumentException if {@code bind} is not {@code host:port}
     */
    public static Optional<StatSocket> start(String bind, String uid, Supplier<String> statusPage, Runnable shutdown) {
        if (bind == null || bind.isBlank()) {
            LOG.info("stat socket disabled (empty socket setting)");
            return Optional.empty();
        }
        StatSocket s = new StatSocket(parse(bind), uid, statusPage, shutdown);
        s.thread.execute(s::bind);
        return Optional.of(s);
    }

    /** {@code host:port} as an address; the original's format ({@code 127.0.0.1:51664}). */
    public static InetSocketAddress parse(String bind) {
        int colon = bind.lastIndexOf(':');
        if (colon <= 0 || colon == bind.length() - 1) {
            throw new IllegalArgumentException(
                    "[agent] socket = '" + bind + "' must be host:port, e.g. 127.0.0.1:51664");
        }
        String host = bind.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(bind.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[agent] socket = '" + bind + "' has no valid port (0 to 65535)");
        }
    }

    /** The bound port, once listening (useful with port 0). */
    public Optional<Integer> port() {
        HttpServer s = server;
        return s == null ? Optional.empty() : Optional.of(s.getAddress().getPort());
    }

    private void bind() {
        if (closed) {
            return;
        }
        try {
            HttpServer s = HttpServer.create(address, 8);
            s.setExecutor(null);
            s.createContext(
                    "/pid",
                    ex -> answer(
                            ex,
                            200,
                            "text/plain; charset=utf-8",
                            Long.toString(ProcessHandle.current().pid())));
            s.createContext("/shutdown", this::shutdown);
            s.createContext("/", ex -> {
                if (!ex.getRequestURI().getPath().equals("/")) {
                    answer(ex, 404, "text/plain; charset=utf-8", "404 page not found\n");
                    return;
                }
                answer(ex, 200, "text/html; charset=utf-8", statusPage.get());
            });
            s.start();
            server = s;
            LOG.info("stat socket listening on {}", s.getAddress());
        } catch (IOException | RuntimeException e) {
            if (!reported) {
                LOG.warn("error from stat socket on {}: {}; retrying every {}s", address, e.toString(), RETRY_SECONDS);
                reported = true;
            }
            thread.schedule(this::bind, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void shutdown(HttpExchange ex) throws IOException {
        String given = ex.getRequestHeaders().getFirst("AGENTID");
        if (given == null || given.isEmpty()) {
            answer(ex, 401, "text/plain; charset=utf-8", "must set AGENTID header\n");
            return;
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), uid.getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("stat socket: shutdown refused, wrong AGENTID from {}", ex.getRemoteAddress());
            answer(ex, 401, "text/plain; charset=utf-8", "invalid agent id\n");
            return;
        }
        LOG.info("stat socket: shutdown requested by {}", ex.getRemoteAddress());
        answer(ex, 200, "text/plain; charset=utf-8", "");
        Thread t = new Thread(shutdown, "mig-agent-shutdown-request");
        t.setDaemon(false);
        t.start();
    }

    private static void answer(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        HttpServer s = server;
        if (s != null) {
            s.stop(0);
        }
    }
}
