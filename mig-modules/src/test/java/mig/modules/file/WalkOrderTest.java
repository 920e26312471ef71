package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mig.common.ModuleResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of a walk's results, names the file-name charset cannot show, and files reached under
 * several names; each with the native directory listing and with the NIO one.
 */
class WalkOrderTest {

    @TempDir
    Path tmp;

    /** Runs {@code search} once listing natively (where available) and once through NIO; returns both. */
    private static <T> List<T> bothListings(Supplier<T> search) {
        List<T> out = new ArrayList<>(2);
        out.add(search.get());
        System.setProperty(NativeDirs.OFF_PROPERTY, "true");
        try {
            out.add(search.get());
        } finally {
            System.clearProperty(NativeDirs.OFF_PROPERTY);
        }
        return out;
    }

    private static List<String> filesInOrder(ModuleResult r) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : Runs.entries(r, "s1")) {
            out.add(e.get("file").asText());
        }
        return out;
    }

    /** The original's pathWalk order: a directory's files in listing order, then each subdirectory in turn. */
    private static void originalOrder(Path dir, List<String> out) throws IOException {
        List<Path> subdirs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isDirectory(p)) {
                    subdirs.add(p);
                } else {
                    out.add(p.toString());
                }
            }
        }
        for (Path d : subdirs) {
            originalOrder(d, out);
        }
    }

    private static boolean aDirectoryIsListedBeforeAFile(Path dir) throws IOException {
        boolean sawDir = false;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isDirectory(p)) {
                    sawDir = true;
                } else if (sawDir) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aDirectorysFilesComeBeforeItsSubdirectoriesFilesAsInTheOriginal() throws Exception {
        Path root = tmp.toRealPath();
        for (int d = 0; d < 5; d++) {
            for (int f = 0; f < 3; f++) {
                Files.writeString(
                        Files.createDirectories(root.resolve("d" + d + "/e")).resolve("g" + f), "x");
                Files.writeString(root.resolve("d" + d).resolve("f" + f), "x");
            }
        }
        // files until the listing puts a directory before a file (a walk that enters directories as
        // it lists them would then report a subdirectory's file before this directory's last file)
        for (int f = 0; !aDirectoryIsListedBeforeAFile(root); f++) {
            assertTrue(f < 500, "the file system lists every directory after every file");
            Files.writeString(root.resolve("f" + f), "x");
        }
        List<String> expected = new ArrayList<>();
        originalOrder(root, expected);

        String params = Runs.search("\"paths\":[\"" + root + "\"],\"names\":[\".\"],\"options\":{\"matchall\":true}");
        for (ModuleResult r : bothListings(() -> Runs.run(params))) {
            assertEquals(expected, filesInOrder(r));
        }
    }

    @Test
    void aFileWhoseNameIsNotValidInTheCharsetIsFoundReadAndReportedAsNioShowsIt() throws Exception {
        Path root = tmp.toRealPath();
        byte[] name = "bad\u00ff\u00fename".getBytes(StandardCharsets.ISO_8859_1); // 0xff 0xfe: never UTF-8
        byte[] dir = root.toString().getBytes(NativeDirs.JNU);
        byte[] full = new byte[dir.length + 1 + name.length];
        System.arraycopy(dir, 0, full, 0, dir.length);
        full[dir.length] = '/';
        System.arraycopy(name, 0, full, dir.length + 1, name.length);
        Path bad = NativeDirs.pathOf(full);
        Files.writeString(bad, "a needle\n");
        String shown;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
            shown = s.iterator().next().toString();
        }

        String params = Runs.search("\"paths\":[\"" + root + "\"],\"contents\":[\"needle\"],"
                + "\"options\":{\"matchall\":true,\"returnsha256\":true}");
        List<ModuleResult> runs = bothListings(() -> Runs.run(params));
        for (ModuleResult r : runs) {
            List<JsonNode> e = Runs.entries(r, "s1");
            assertEquals(1, e.size(), e::toString);
            assertEquals(shown, e.get(0).get("file").asText());
            assertEquals(
                    SearchBehaviourTest.sha256("a needle\n".getBytes(StandardCharsets.UTF_8)),
                    e.get(0).get("fileinfo").get("sha256").asText());
        }
        assertEquals(
                Runs.json(runs.get(0)).get("elements"), Runs.json(runs.get(1)).get("elements"));
    }

    @Test
    void everyNameOfAFileGetsItsOwnResultWithTheFilesDigestAndAnotherFileIsNotTakenForIt() throws Exception {
        Path root = tmp.toRealPath();
        FileTime t = FileTime.from(TestTree.NOW.minusSeconds(86400));
        Path target = Files.writeString(root.resolve("lib.so.1.2"), "the library\n");
        Path twin = Files.writeString(root.resolve("twin.so"), "the LIBRARY\n"); // same size and time, other bytes
        Files.setLastModifiedTime(target, t);
        Files.setLastModifiedTime(twin, t);
        Files.createSymbolicLink(root.resolve("lib.so.1"), Path.of("lib.so.1.2"));
        Files.createSymbolicLink(root.resolve("lib.so"), Path.of("lib.so.1"));
        Files.createLink(root.resolve("hard.so"), target);
        String sum = SearchBehaviourTest.sha256("the library\n".getBytes(StandardCharsets.UTF_8));

        String params = Runs.search("\"paths\":[\"" + root + "\"],\"sha2\":[\"" + sum + "\"],"
                + "\"options\":{\"matchall\":true,\"returnsha256\":true}");
        for (int parallelism : new int[] {1, 4}) {
            for (ModuleResult r : bothListings(() -> Runs.run(params, Runs.context(parallelism)))) {
                assertEquals(
                        new java.util.TreeSet<>(List.of(
                                root.resolve("lib.so.1.2").toString(),
                                root.resolve("lib.so.1").toString(),
                                root.resolve("lib.so").toString(),
                                root.resolve("hard.so").toString())),
                        Runs.files(r, "s1"));
                for (JsonNode e : Runs.entries(r, "s1")) {
                    assertEquals(sum, e.get("fileinfo").get("sha256").asText());
                }
            }
        }
    }

    @Test
    void aSecondReaderOfAFileWaitsForTheFirstsDigestsAndReadsItselfWhenTheFirstFailed() throws Exception {
        DigestCache cache = new DigestCache();
        DigestCache.Key key = new DigestCache.Key("dev:ino", 12, FileTime.fromMillis(0));
        DigestCache.Claim first = cache.claim(key);
        DigestCache.Claim second = cache.claim(key);
        assertTrue(first.owner());
        assertTrue(!second.owner());
        CompletableFuture<java.util.Map<HashAlgo, String>> waiting =
                CompletableFuture.supplyAsync(() -> DigestCache.await(second, java.util.Set.of(HashAlgo.SHA256)));
        cache.complete(key, first, java.util.Map.of(HashAlgo.SHA256, "AB"));
        assertEquals(java.util.Map.of(HashAlgo.SHA256, "AB"), waiting.get(1, TimeUnit.MINUTES));
        // an algorithm the first reader did not compute: the second reads the file itself
        assertEquals(null, DigestCache.await(cache.claim(key), java.util.Set.of(HashAlgo.MD5)));

        DigestCache.Key other = new DigestCache.Key("dev:ino2", 12, FileTime.fromMillis(0));
        DigestCache.Claim failed = cache.claim(other);
        DigestCache.Claim behind = cache.claim(other);
        cache.complete(other, failed, null);
        assertEquals(null, DigestCache.await(behind, java.util.Set.of(HashAlgo.SHA256)));
        assertTrue(cache.claim(other).owner(), "a failed read leaves the file to be read again");
    }
}
