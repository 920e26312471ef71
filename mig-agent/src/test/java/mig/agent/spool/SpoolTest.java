package mig.agent.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import mig.agent.spool.Spool.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's states survive a restart, and expired markers go away. */
class SpoolTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant EXPIRES = NOW.plus(Duration.ofMinutes(10));

    @TempDir
    Path runDir;

    private Spool open(Instant now) throws Exception {
        return Spool.open(runDir, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aCommandGoesFromNewToRunningToSpooledToSent() throws Exception {
        Spool spool = open(NOW);
        assertEquals(State.NEW, spool.state(42));
        spool.begin(42, EXPIRES);
        assertEquals(State.RUNNING, spool.state(42));
        spool.finish(42, EXPIRES, "{\"id\":42}");
        assertEquals(State.SPOOLED, spool.state(42));
        assertEquals(1, spool.pendingCount());
        List<Spool.Pending> pending = spool.pending();
        assertEquals(42, pending.get(0).commandId());
        assertArrayEquals(
                "{\"id\":42}".getBytes(StandardCharsets.UTF_8), pending.get(0).body());
        spool.sent(42);
        assertEquals(State.SENT, spool.state(42));
        assertEquals(0, spool.pendingCount());
    }

    @Test
    void everyStateSurvivesARestart() throws Exception {
        Spool first = open(NOW);
        first.begin(1, EXPIRES);
        first.begin(2, EXPIRES);
        first.finish(2, EXPIRES, "{\"id\":2}");
        first.finish(3, EXPIRES, "{\"id\":3}");
        first.sent(3);

        Spool again = open(NOW.plusSeconds(5));
        assertEquals(State.RUNNING, again.state(1), "a command under way when the agent died");
        assertEquals(State.SPOOLED, again.state(2));
        assertEquals(State.SENT, again.state(3));
        assertEquals(
                List.of(2L),
                again.pending().stream().map(Spool.Pending::commandId).toList());
    }

    @Test
    void anAbandonedCommandIsNewAgainSoItRunsAtTheNextStart() throws Exception {
        Spool spool = open(NOW);
        spool.begin(7, EXPIRES);
        spool.abandon(7);
        assertEquals(State.NEW, spool.state(7));
    }

    @Test
    void markersGoAnHourAfterTheirActionExpiredButUnsentResultsStay() throws Exception {
        Spool spool = open(NOW);
        spool.begin(1, EXPIRES);
        spool.finish(2, EXPIRES, "{\"id\":2}");
        spool.finish(3, EXPIRES, "{\"id\":3}");
        spool.sent(3);

        Spool later = open(EXPIRES.plus(Spool.KEEP_AFTER_EXPIRY).plusSeconds(1));
        assertEquals(State.NEW, later.state(1));
        assertEquals(State.NEW, later.state(3));
        assertEquals(State.SPOOLED, later.state(2), "a result is kept until the relay takes it");
        assertEquals(1, later.pendingCount());
    }

    @Test
    void resultsComeOutOldestFirstAndAreReadableByTheAgentOnly() throws Exception {
        Spool spool = open(NOW);
        spool.finish(20, EXPIRES, "{\"id\":20}");
        spool.finish(10, EXPIRES, "{\"id\":10}");
        Path outbox = spool.dir().resolve("outbox");
        Files.setLastModifiedTime(
                outbox.resolve("20.json"),
                FileTime.from(Files.getLastModifiedTime(outbox.resolve("10.json"))
                        .toInstant()
                        .minusSeconds(60)));
        assertEquals(
                List.of(20L, 10L),
                spool.pending().stream().map(Spool.Pending::commandId).toList());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.dir())));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(spool.dir().resolve("outbox/10.json"))));
        try (var files = Files.list(spool.dir().resolve("outbox"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void aSpoolTheDiskRefusesKeepsResultsInMemoryUntilSent() throws Exception {
        Spool spool = open(NOW);
        Path outbox = spool.dir().resolve("outbox");
        Files.delete(outbox);
        Files.writeString(outbox, "a file where the folder should be: every write below it fails, even as root");

        spool.finish(5, EXPIRES, "{\"id\":5}");
        assertEquals(State.SPOOLED, spool.state(5));
        assertEquals(
                List.of(5L),
                spool.pending().stream().map(Spool.Pending::commandId).toList());
        spool.sent(5);
        assertEquals(0, spool.pendingCount());
        assertEquals(State.SENT, spool.state(5));
    }
}
