package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import mig.common.ModuleResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every filter and option on a generated tree whose names, contents, sizes, permissions, times and
 * links are set explicitly; expected files written by hand.
 *
 * <pre>
 * x/recent.txt     "alpha\nneedle here\nomega\n"  rw-r--r--  2 hours old
 * x/old.txt        "just an old file\n"            rw-------  100 days old
 * x/setuid         "#!/bin/sh\n" (10 bytes)        rwsr-xr-x  3 days old (mode string urwxr-xr-x)
 * x/empty          ""                              rw-r--r--  1 day old
 * x/big.bin        2 MiB of 'z'                    rw-r--r--  1 day old
 * x/crlf.txt       "foo\r\nbar\r\n" (10 bytes)     rw-r--r--  1 day old
 * x/long.txt       one 3 MiB line, then "needle"   rw-r--r--  1 day old
 * x/notes.gz       gzip of "secret token\nsecond line\n"
 * x/héllo.txt      "unicode name\n"
 * x/deep/er/leaf.txt "needle at depth 3\n"
 * x/inside-link    -> recent.txt (relative, target inside x)
 * x/outside-link   -> ../y/target.txt (target outside x, followed all the same)
 * x/loop1 -> loop2, x/loop2 -> loop1, x/broken -> nowhere, x/fifo (named pipe)
 * y/target.txt     "needle outside\n"
 * </pre>
 */
class SearchBehaviourTest {

    @TempDir
    static Path tmp;

    static Path x;
    static Path y;
    static final byte[] NOTES_GZ_CONTENT = "secret token\nsecond line\n".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void tree() throws Exception {
        Path root = tmp.toRealPath();
        x = Files.createDirectories(root.resolve("x"));
        y = Files.createDirectories(root.resolve("y"));
        Duration day = Duration.ofDays(1);
        TestTree.file(x.resolve("recent.txt"), "alpha\nneedle here\nomega\n", "rw-r--r--", Duration.ofHours(2));
        TestTree.file(x.resolve("old.txt"), "just an old file\n", "rw-------", Duration.ofDays(100));
        TestTree.file(x.resolve("setuid"), "#!/bin/sh\n", "rwxr-xr-x", Duration.ofDays(3));
        Files.setAttribute(x.resolve("setuid"), "unix:mode", 04755);
        TestTree.file(x.resolve("empty"), "", "rw-r--r--", day);
        TestTree.file(x.resolve("big.bin"), "z".repeat(2 << 20), "rw-r--r--", day);
        TestTree.file(x.resolve("crlf.txt"), "foo\r\nbar\r\n", "rw-r--r--", day);
        TestTree.file(x.resolve("long.txt"), "q".repeat(3 << 20) + "\nneedle\n", "rw-r--r--", day);
        TestTree.gzip(x.resolve("notes.gz"), new String(NOTES_GZ_CONTENT, StandardCharsets.UTF_8), day);
        TestTree.file(x.resolve("héllo.txt"), "unicode name\n", "rw-r--r--", day);
        TestTree.file(x.resolve("deep/er/leaf.txt"), "needle at depth 3\n", "rw-r--r--", day);
        TestTree.file(y.resolve("target.txt"), "needle outside\n", "rw-r--r--", day);
        Files.createSymbolicLink(x.resolve("inside-link"), Path.of("recent.txt"));
        Files.createSymbolicLink(x.resolve("outside-link"), Path.of("../y/target.txt"));
        Files.createSymbolicLink(x.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(x.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(x.resolve("broken"), Path.of("nowhere"));
        TestTree.fifo(x.resolve("fifo"));
    }

    private static ModuleResult search(String filters, String options) {
        return Runs.run(Runs.search("\"paths\":[\"" + x + "\"]," + filters + ",\"options\":{" + options + "}"));
    }

    private static Set<String> in(String... names) {
        TreeSet<String> s = new TreeSet<>();
        for (String n : names) {
            s.add(x.resolve(n).toString());
        }
        return s;
    }

    @Test
    void followsLinksToFilesInsideAndOutsideTheSearchPathAsTheOriginalsCodeDoes() {
        ModuleResult r = search("\"contents\":[\"needle\"]", "\"matchall\":true");
        assertEquals(
                in("recent.txt", "inside-link", "outside-link", "long.txt", "deep/er/leaf.txt"), Runs.files(r, "s1"));
    }

    @Test
    void followsALinkLeavingTheSearchPathWhenTheSearchAlsoCoversItsTarget() {
        ModuleResult r = Runs.run(Runs.search("\"paths\":[\"" + x + "\",\"" + y + "\"],\"names\":[\"link|target\"],"
                + "\"options\":{\"matchall\":true}"));
        TreeSet<String> expected = new TreeSet<>(in("inside-link", "outside-link"));
        expected.add(y.resolve("target.txt").toString());
        assertEquals(expected, Runs.files(r, "s1"));
    }

    @Test
    void reportsBrokenLinksAndLinkLoopsAndCountsThemAsOpenFailures() {
        ModuleResult r = search("\"names\":[\"^(broken|loop1|loop2)$\"]", "\"matchall\":true");
        assertTrue(Runs.files(r, "s1").isEmpty());
        List<String> errors = Runs.errors(r);
        assertEquals(3, errors.size(), errors::toString);
        assertTrue(errors.contains(
                "ERROR: followSymLink() -> lstat " + x.resolve("nowhere") + ": no such file or directory"));
        assertEquals(
                2,
                errors.stream()
                        .filter(e -> e.equals("ERROR: followSymLink() -> EvalSymlinks: too many links"))
                        .count(),
                errors::toString);
        assertEquals(3.0, ((Number) Runs.stats(r).get("openfailed")).doubleValue());
    }

    @Test
    void skipsAFifoWithoutOpeningIt() {
        ModuleResult r = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> search("\"names\":[\"fifo\"],\"contents\":[\".\"]", "\"matchall\":false"));
        assertTrue(Runs.files(r, "s1").stream().noneMatch(f -> f.endsWith("fifo")));
        assertTrue(r.success());
    }

    @Test
    void modeStringsAreGosAndModeRegexesApplyToThem() {
        ModuleResult r = search("\"modes\":[\"^u\"]", "\"matchall\":true");
        assertEquals(in("setuid"), Runs.files(r, "s1"));
        assertEquals(
                "urwxr-xr-x",
                Runs.entries(r, "s1").get(0).get("fileinfo").get("mode").asText());
        assertEquals(in("old.txt"), Runs.files(search("\"modes\":[\"^-rw-------$\"]", "\"matchall\":true"), "s1"));
    }

    @Test
    void aLeadingBangInvertsAModeRegex() {
        ModuleResult r = search("\"modes\":[\"!^-rw-r--r--$\"]", "\"matchall\":true");
        assertEquals(in("old.txt", "setuid"), Runs.files(r, "s1"));
    }

    @Test
    void mtimesCountFromTheRunsClock() {
        assertEquals(
                in("recent.txt", "inside-link"), Runs.files(search("\"mtimes\":[\"<3h\"]", "\"matchall\":true"), "s1"));
        assertEquals(in("old.txt"), Runs.files(search("\"mtimes\":[\">30d\"]", "\"matchall\":true"), "s1"));
        assertEquals(
                in("recent.txt", "inside-link"),
                Runs.files(search("\"mtimes\":[\"<180m\"]", "\"matchall\":true"), "s1"));
    }

    @Test
    void sizesAreWindowsWithTheirBoundsIncluded() {
        assertEquals(in("big.bin", "long.txt"), Runs.files(search("\"sizes\":[\">1m\"]", "\"matchall\":true"), "s1"));
        assertEquals(in("big.bin"), Runs.files(search("\"sizes\":[\"2m\"]", "\"matchall\":true"), "s1"));
        assertEquals(in("empty"), Runs.files(search("\"sizes\":[\"0\"]", "\"matchall\":true"), "s1"));
        assertEquals(
                in("empty", "setuid", "crlf.txt"),
                Runs.files(search("\"sizes\":[\"<10\"]", "\"matchall\":true"), "s1"));
    }

    @Test
    void aNameOnlySearchMatchesUnicodeNamesAndReadsNothing() {
        ModuleResult r = search("\"names\":[\"^h.llo\\\\.txt$\"]", "\"matchall\":true");
        assertEquals(in("héllo.txt"), Runs.files(r, "s1"));
    }

    @Test
    void contentIsMatchedLineByLineWithCarriageReturnsDropped() {
        assertEquals(in("crlf.txt"), Runs.files(search("\"contents\":[\"^bar$\"]", "\"matchall\":true"), "s1"));
    }

    @Test
    void aLineLongerThanTheLineBufferDoesNotHideTheRestOfTheFile() {
        ModuleResult r = search("\"names\":[\"^long\"],\"contents\":[\"^needle$\"]", "\"matchall\":true");
        assertEquals(in("long.txt"), Runs.files(r, "s1"));
    }

    @Test
    void maxdepthCountsTheSearchPathAsLevelOne() {
        assertEquals(
                in("recent.txt", "inside-link", "outside-link", "long.txt"),
                Runs.files(search("\"contents\":[\"needle\"]", "\"matchall\":true,\"maxdepth\":2"), "s1"));
        assertEquals(
                in("recent.txt", "inside-link", "outside-link", "long.txt", "deep/er/leaf.txt"),
                Runs.files(search("\"contents\":[\"needle\"]", "\"matchall\":true,\"maxdepth\":3"), "s1"));
    }

    @Test
    void decompressReadsGzipFilesInflatedWhileReturnsha256HashesTheFileOnDisk() throws Exception {
        ModuleResult r = search(
                "\"contents\":[\"^secret token$\"]", "\"matchall\":true,\"decompress\":true,\"returnsha256\":true");
        assertEquals(in("notes.gz"), Runs.files(r, "s1"));
        String sha = Runs.entries(r, "s1").get(0).get("fileinfo").get("sha256").asText();
        assertEquals(sha256(Files.readAllBytes(x.resolve("notes.gz"))), sha);
        assertTrue(new FileModule().printResults(r, true).get(0).contains(", sha256:" + sha.toLowerCase() + "]"));
    }

    @Test
    void decompressReadsEveryMemberOfAConcatenatedGzipFile() throws Exception {
        Path z = Files.createDirectories(tmp.toRealPath().resolve("z"));
        java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
        for (String member : List.of("first member\n", "second member\n")) {
            java.io.ByteArrayOutputStream one = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(one)) {
                gz.write(member.getBytes(StandardCharsets.UTF_8));
            }
            both.writeBytes(one.toByteArray());
        }
        Files.write(z.resolve("multi.gz"), both.toByteArray());
        ModuleResult r = Runs.run(Runs.search("\"paths\":[\"" + z + "\"],\"contents\":[\"^second member$\"],"
                + "\"options\":{\"matchall\":true,\"decompress\":true}"));
        assertEquals(Set.of(z.resolve("multi.gz").toString()), Runs.files(r, "s1"));
    }

    @Test
    void oneReadServesADecompressingSearchAndARawSearchTogether() throws Exception {
        String raw = sha256(Files.readAllBytes(x.resolve("notes.gz")));
        String inflated = sha256(NOTES_GZ_CONTENT);
        ModuleResult r = Runs.run("{\"searches\":{"
                + "\"gz\":{\"paths\":[\"" + x + "\"],\"sha2\":[\"" + inflated + "\"],\"contents\":[\"second\"],"
                + "\"options\":{\"matchall\":true,\"decompress\":true}},"
                + "\"raw\":{\"paths\":[\"" + x + "\"],\"sha2\":[\"" + raw.toLowerCase() + "\"],"
                + "\"options\":{\"matchall\":true}}}}");
        assertEquals(in("notes.gz"), Runs.files(r, "gz"));
        assertEquals(in("notes.gz"), Runs.files(r, "raw"));
    }

    @Test
    void digestsPickTheirVariantByLength() throws Exception {
        byte[] recent = Files.readAllBytes(x.resolve("recent.txt"));
        String sha3x256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(recent));
        String sha3x224 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-224").digest(recent));
        assertEquals(
                in("recent.txt", "inside-link"),
                Runs.files(search("\"sha3\":[\"" + sha3x256 + "\"]", "\"matchall\":true"), "s1"));
        assertEquals(
                in("recent.txt", "inside-link"),
                Runs.files(search("\"sha3\":[\"" + sha3x224.toUpperCase() + "\"]", "\"matchall\":true"), "s1"));
        assertTrue(Runs.files(search("\"sha2\":[\"" + sha3x256 + "\"]", "\"matchall\":true"), "s1")
                .isEmpty());
        String sha1 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(recent));
        assertEquals(
                in("recent.txt", "inside-link"),
                Runs.files(
                        search("\"sha1\":[\"" + sha1 + "\"],\"sha3\":[\"" + sha3x256 + "\"]", "\"matchall\":true"),
                        "s1"));
    }

    @Test
    void matchanyReportsEachCheckWithItsOwnEntriesAndAnEmptyEntryForChecksThatFoundNothing() {
        ModuleResult r = search(
                "\"names\":[\"^old\\\\.txt$\"],\"sizes\":[\"12345\"],"
                        + "\"md5\":[\"d41d8cd98f00b204e9800998ecf8427e\"]",
                "\"matchall\":false");
        List<JsonNode> e = Runs.entries(r, "s1");
        assertEquals(3, e.size());
        String wire = mig.common.json.GoJson.marshal(r);
        assertTrue(
                wire.contains("{\"file\":\"" + x.resolve("old.txt") + "\",\"search\":{\"paths\":[\"" + x
                        + "\"],\"names\":[\"^old\\\\.txt$\"],\"options\":{\"maxdepth\":0,\"maxerrors\":0,"
                        + "\"matchall\":false,\"macroal\":false,\"mismatch\":null,\"matchlimit\":0}},\"fileinfo\":"
                        + "{\"size\":17,\"mode\":\"-rw-------\",\"lastmodified\":\"2025-10-02 12:00:00 +0000 UTC\"}}"),
                wire);
        assertEquals("", e.get(1).get("file").asText());
        assertEquals("12345", e.get(1).get("search").get("sizes").get(0).asText());
        assertEquals(x.resolve("empty").toString(), e.get(2).get("file").asText());
        assertEquals(
                "D41D8CD98F00B204E9800998ECF8427E",
                e.get(2).get("search").get("md5").get(0).asText());
        assertEquals(2.0, ((Number) Runs.stats(r).get("totalhits")).doubleValue());
        assertEquals(
                List.of(
                        x.resolve("old.txt")
                                + " [lastmodified:2025-10-02 12:00:00 +0000 UTC, mode:-rw-------, size:17] in search"
                                + " 's1' on checks name='^old\\.txt$'",
                        "0 match found in search 's1' on checks size='12345'"),
                new FileModule().printResults(r, false).subList(0, 2));
    }

    @Test
    void mismatchWithMatchanyListsTheFilesThatDoNotMatch() {
        ModuleResult r = search("\"contents\":[\"needle\"]", "\"matchall\":false,\"mismatch\":[\"content\"]");
        assertEquals(
                in("old.txt", "setuid", "empty", "big.bin", "crlf.txt", "notes.gz", "héllo.txt"), Runs.files(r, "s1"));
    }

    @Test
    void severalSearchesRunInOneWalkEachWithItsLabel() {
        ModuleResult r = Runs.run("{\"searches\":{"
                + "\"names\":{\"paths\":[\"" + x + "\"],\"names\":[\"^old\"],\"options\":{\"matchall\":true}},"
                + "\"deep\":{\"paths\":[\"" + x.resolve("deep") + "\"],\"contents\":[\"needle\"],"
                + "\"options\":{\"matchall\":true}},"
                + "\"nothing\":{\"paths\":[\"" + x + "\"],\"names\":[\"^nope$\"],\"options\":{\"matchall\":true}}}}");
        assertEquals(in("old.txt"), Runs.files(r, "names"));
        assertEquals(in("deep/er/leaf.txt"), Runs.files(r, "deep"));
        assertTrue(Runs.files(r, "nothing").isEmpty());
        List<String> labels = new java.util.ArrayList<>();
        Runs.json(r).get("elements").fieldNames().forEachRemaining(labels::add);
        assertEquals(List.of("deep", "names", "nothing"), labels);
    }

    @Test
    void maxerrorsCutsTheErrorListAndSaysHowManyWereLeftOut() {
        ModuleResult r = search("\"names\":[\"^(broken|loop1|loop2)$\"]", "\"matchall\":true,\"maxerrors\":1");
        List<String> errors = Runs.errors(r);
        assertEquals(2, errors.size(), errors::toString);
        assertEquals("2 errors were not returned (max errors = 1)", errors.get(1));
    }

    @Test
    void aSearchWithNoFilterMatchesNothing() {
        ModuleResult r = Runs.run(Runs.search("\"paths\":[\"" + x + "\"],\"options\":{\"matchall\":true}"));
        assertEquals(1, Runs.entries(r, "s1").size());
        assertEquals("", Runs.entries(r, "s1").get(0).get("file").asText());
        assertFalse(r.foundAnything());
    }

    @Test
    void resultsBeyondTheResultCapStopTheSearchWithAnError() {
        mig.modules.RunContext small = new mig.modules.RunContext(
                TestTree.NOW.plusSeconds(3600), java.time.Clock.fixed(TestTree.NOW, java.time.ZoneOffset.UTC), 1, 600);
        ModuleResult r = Runs.run(
                Runs.search("\"paths\":[\"" + x + "\"],\"names\":[\".\"],\"options\":{\"matchall\":true}"), small);
        assertTrue(Runs.files(r, "s1").size() < 5, () -> Runs.files(r, "s1").toString());
        assertTrue(
                Runs.errors(r).get(Runs.errors(r).size() - 1).startsWith("ERROR: the results reached the size limit"));
    }

    @Test
    void resultsDoNotDependOnParallelism() {
        String params = "{\"searches\":{\"a\":{\"paths\":[\"" + x + "\"],\"contents\":[\"e\"],\"sha1\":["
                + "\"0000000000000000000000000000000000000000\"],\"options\":{\"matchall\":false,\"matchlimit\":5}},"
                + "\"b\":{\"paths\":[\"" + x + "\"],\"names\":[\".\"],\"md5\":[\"d41d8cd98f00b204e9800998ecf8427e\"],"
                + "\"options\":{\"matchall\":false}}}}";
        String one = elementsAndCounts(Runs.run(params, Runs.context(1)));
        for (int p : new int[] {2, 4}) {
            assertEquals(one, elementsAndCounts(Runs.run(params, Runs.context(p))));
        }
    }

    private static String elementsAndCounts(ModuleResult r) {
        JsonNode j = Runs.json(r);
        return j.get("elements").toString()
                + j.get("statistics").get("totalhits")
                + j.get("statistics").get("filescount")
                + r.errors();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of()
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
