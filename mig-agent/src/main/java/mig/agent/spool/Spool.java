package mig.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent remembers about commands across relay outages and restarts, in
 * {@code <rundir>/spool/}:
 *
 * <pre>
 *   running/&lt;command id&gt;       synced before the command's modules run; holds the action's expireafter
 *   outbox/&lt;command id&gt;.json   the command's result, synced when the command ends, until the relay confirms it
 *   sent/&lt;command id&gt;          the running marker, renamed once the relay confirmed the result
 * </pre>
 *
 * <p>Three promises rest on it. <b>Nothing is lost</b>: a result the relay cannot take waits in
 * {@code outbox/} and is published when the relay is back, even after a restart. <b>No duplicate
 * effect</b>: when the connection drops while a command runs, its acknowledgement never reaches the
 * relay, which delivers the command again; its id is then in {@code outbox/} or {@code sent/}, so it
 * is answered from there and not run twice. <b>No crash loop</b>: a command still in
 * {@code running/} when it is delivered again was under way when the agent died (killed, out of
 * memory, power cut); it is answered {@code failed} instead of being run again, so a command that
 * kills the agent cannot kill it at every restart.
 *
 * <p>Markers in {@code running/} and {@code sent/} are pruned an hour after their action expired:
 * by then the relay has dropped the message (its TTL ends at expireafter) and the agent would refuse
 * it anyway. Every file is written under a temporary name, synced and renamed, so a crash leaves
 * the old state or the new one. The folder is 0700 and files 0600: results name files of the
 * endpoint.
 *
 * <p>When the disk refuses a write (full, read-only), the spool degrades instead of failing the
 * command: markers are skipped with an error line and results are kept in memory until sent. All
 * methods are synchronized; {@link #memoryOutbox} is guarded by {@code this}.
 */
public final class Spool {

    /** Where a command stands on this agent. */
    public enum State {
        /** Never seen. */
        NEW,
        /** Started and never finished: the agent died while running it. */
        RUNNING,
        /** Finished; its result waits to be published. */
        SPOOLED,
        /** Finished and its result published. */
        SENT
    }

    /** A result waiting to be published. */
    public record Pending(long commandId, byte[] body) {}

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    /** How long after an action's expiry its markers are kept. */
    static final Duration KEEP_AFTER_EXPIRY = Duration.ofHours(1);

    private static final Set<java.nio.file.attribute.PosixFilePermission> DIR_MODE =
            PosixFilePermissions.fromString("rwx------");
    private static final Set<java.nio.file.attribute.PosixFilePermission> FILE_MODE =
            PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final Path running;
    private final Path outbox;
    private final Path sent;
    private final Clock clock;
    private final Map<Long, byte[]> memoryOutbox = new LinkedHashMap<>();

    private Spool(Path dir, Clock clock) {
        this.dir = dir;
        this.running = dir.resolve("running");
        this.outbox = dir.resolve("outbox");
        this.sent = dir.resolve("sent");
        this.clock = clock;
    }

    /**
     * Opens (creating if needed) {@code <runDir>/spool} and prunes expired markers.
     *
     * @throws IOException naming the folder that cannot be created
     */
    public static Spool open(Path runDir, Clock clock) throws IOException {
        Spool s = new Spool(runDir.resolve("spool"), clock);
        for (Path d : List.of(s.dir, s.running, s.outbox, s.sent)) {
            try {
                Files.createDirectories(d);
                if (Files.getFileStore(d).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(d, DIR_MODE);
                }
            } catch (IOException e) {
                throw new IOException("cannot create the agent's spool folder " + d + ": " + e.getMessage(), e);
            }
        }
        s.prune();
        int waiting = s.pendingCount();
        if (waiting > 0) {
            LOG.info("{} result(s) from an earlier run wait in {} and will be published", waiting, s.outbox);
        }
        return s;
    }

    /** The spool folder, {@code <rundir>/spool}. */
    public Path dir() {
        return dir;
    }

    /** Where command {@code commandId} stands. */
    public synchronized State state(long commandId) {
        String name = Long.toString(commandId);
        if (Files.exists(sent.resolve(name))) {
            return State.SENT;
        }
        if (memoryOutbox.containsKey(commandId) || Files.exists(outbox.resolve(name + ".json"))) {
            return State.SPOOLED;
        }
        if (Files.exists(running.resolve(name))) {
            return State.RUNNING;
        }
        return State.NEW;
    }

    /** Records, durably, that a command is about to run. */
    public synchronized void begin(long commandId, Instant expireAfter) {
        try {
            write(
                    running.resolve(Long.toString(commandId)),
                    expireAfter.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.error(
                    "command {}: cannot write its running marker in {} ({}); a crash while it runs would run it "
                            + "again at the next start",
                    commandId,
                    running,
                    e.toString());
        }
    }

    /** Forgets that a command started: it was interrupted by a shutdown and stays queued to run again. */
    public synchronized void abandon(long commandId) {
        try {
            Files.deleteIfExists(running.resolve(Long.toString(commandId)));
        } catch (IOException e) {
            LOG.error(
                    "command {}: cannot remove its running marker ({}); it will be answered failed when "
                            + "delivered again",
                    commandId,
                    e.toString());
        }
    }

    /**
     * Keeps a finished command's result until {@link #sent}. Also writes the running marker if
     * {@link #begin} was not called (a command refused or answered without running).
     */
    public synchronized void finish(long commandId, Instant expireAfter, String result) {
        byte[] body = result.getBytes(StandardCharsets.UTF_8);
        String name = Long.toString(commandId);
        try {
            if (!Files.exists(running.resolve(name))) {
                write(running.resolve(name), expireAfter.toString().getBytes(StandardCharsets.UTF_8));
            }
            write(outbox.resolve(name + ".json"), body);
        } catch (IOException e) {
            LOG.error(
                    "command {}: cannot spool its result in {} ({}); keeping it in memory until it is sent",
                    commandId,
                    outbox,
                    e.toString());
            memoryOutbox.put(commandId, body);
        }
    }

    /** Results waiting to be published, oldest first. */
    public synchronized List<Pending> pending() {
        List<Pending> out = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(outbox, "*.json")) {
            list.forEach(files::add);
        } catch (IOException e) {
            LOG.error("cannot list spooled results in {}: {}", outbox, e.toString());
        }
        files.sort(Comparator.comparing(Spool::modified).thenComparing(Path::toString));
        for (Path f : files) {
            String name = f.getFileName().toString();
            long id;
            try {
                id = Long.parseLong(name.substring(0, name.length() - ".json".length()));
            } catch (NumberFormatException e) {
                LOG.warn("ignoring {} in the spool: not a command id", f);
                continue;
            }
            try {
                out.add(new Pending(id, Files.readAllBytes(f)));
            } catch (IOException e) {
                LOG.error("cannot read spooled result {}: {}", f, e.toString());
            }
        }
        memoryOutbox.forEach((id, body) -> out.add(new Pending(id, body)));
        return out;
    }

    /** How many results wait to be published. */
    public synchronized int pendingCount() {
        int n = memoryOutbox.size();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(outbox, "*.json")) {
            for (Path ignored : list) {
                n++;
            }
        } catch (IOException e) {
            LOG.error("cannot list spooled results in {}: {}", outbox, e.toString());
        }
        return n;
    }

    /** Records that the relay confirmed command {@code commandId}'s result. */
    public synchronized void sent(long commandId) {
        String name = Long.toString(commandId);
        memoryOutbox.remove(commandId);
        try {
            Path marker = running.resolve(name);
            if (Files.exists(marker)) {
                move(marker, sent.resolve(name));
            } else {
                write(
                        sent.resolve(name),
                        clock.instant().plus(Duration.ofDays(1)).toString().getBytes(StandardCharsets.UTF_8));
            }
            Files.deleteIfExists(outbox.resolve(name + ".json"));
        } catch (IOException e) {
            LOG.error(
                    "command {}: result sent but the spool could not record it ({}); it may be sent twice",
                    commandId,
                    e.toString());
        }
        prune();
    }

    /** Deletes markers whose action expired more than {@link #KEEP_AFTER_EXPIRY} ago. */
    synchronized void prune() {
        Instant cutoff = clock.instant().minus(KEEP_AFTER_EXPIRY);
        for (Path d : List.of(sent, running)) {
            try (DirectoryStream<Path> list = Files.newDirectoryStream(d)) {
                for (Path marker : list) {
                    if (d == running && Files.exists(outbox.resolve(marker.getFileName() + ".json"))) {
                        continue;
                    }
                    if (expiry(marker).isBefore(cutoff)) {
                        Files.deleteIfExists(marker);
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot prune {}: {}", d, e.toString());
            }
        }
    }

    /** A marker's expireafter; an unreadable marker counts as expired long ago. */
    private static Instant expiry(Path marker) {
        try {
            return Instant.parse(
                    Files.readString(marker, StandardCharsets.UTF_8).strip());
        } catch (IOException | DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    /** Writes {@code data} to {@code target} through a synced temporary file and an atomic rename. */
    private static void write(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling(".tmp-" + target.getFileName());
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(tmp, FILE_MODE);
        }
        move(tmp, target);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
