package mig.modules.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the trees the file module tests search, with explicit contents, sizes, permissions and
 * modification times (relative to {@link #NOW}, the fixed clock of the test runs).
 *
 * <p>{@link #original} is the original module's test tree (its {@code file_test.go}): files
 * {@code testfile0..8} (copied byte for byte into {@code src/test/resources/file/tree}), the link
 * {@code testfile9 -> testfile0}, the directory link {@code dirlink -> a}, and the same set again at
 * the bottom of {@code a/b/c/.../n}, where {@code dirlink} is broken.
 */
final class TestTree {

    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    static final List<String> SUBDIRS = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n");
    static final List<String> FILES = List.of(
            "testfile0",
            "testfile1",
            "testfile2",
            "testfile3",
            "testfile4",
            "testfile5",
            "testfile6",
            "testfile7",
            "testfile8");

    private TestTree() {}

    /** The original's test tree under {@code base}; returns the deepest subdirectory. */
    static Path original(Path base) throws IOException {
        Path sub = base;
        for (String d : SUBDIRS) {
            sub = sub.resolve(d);
        }
        Files.createDirectories(sub);
        for (Path dir : List.of(base, sub)) {
            for (String f : FILES) {
                Path p = dir.resolve(f);
                try (InputStream in = TestTree.class.getResourceAsStream("/file/tree/" + f)) {
                    Files.write(p, in.readAllBytes());
                }
                perms(p, "rw-r--r--");
                mtime(p, Duration.ofSeconds(30));
            }
            Files.createSymbolicLink(dir.resolve("testfile9"), dir.resolve("testfile0"));
            Files.createSymbolicLink(dir.resolve("dirlink"), dir.resolve("a"));
        }
        return sub;
    }

    static Path file(Path p, String content, String perms, Duration age) throws IOException {
        return file(p, content.getBytes(StandardCharsets.UTF_8), perms, age);
    }

    static Path file(Path p, byte[] content, String perms, Duration age) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        perms(p, perms);
        mtime(p, age);
        return p;
    }

    static Path gzip(Path p, String content, Duration age) throws IOException {
        Files.createDirectories(p.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        perms(p, "rw-r--r--");
        mtime(p, age);
        return p;
    }

    static void perms(Path p, String rwx) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx));
    }

    static void mtime(Path p, Duration age) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
    }

    /** A named pipe, made with mkfifo(1). */
    static Path fifo(Path p) throws IOException, InterruptedException {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        if (mk.waitFor() != 0) {
            throw new IOException("mkfifo " + p + " failed");
        }
        return p;
    }
}
