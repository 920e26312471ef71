package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import mig.common.ModuleResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The original module's own test table ({@code modules/file/file_test.go}), run against our module
 * on the same tree: same parameters, same expected files, written out by hand. Where our behaviour
 * deliberately differs the case says so.
 */
class OriginalCasesTest {

    @TempDir
    static Path tmp;

    static Path base;
    static Path sub;

    @BeforeAll
    static void tree() throws IOException {
        base = java.nio.file.Files.createDirectories(tmp.toRealPath().resolve("migfiletest"));
        sub = TestTree.original(base);
    }

    /**
     * One case.
     *
     * @param body   the search's JSON fields; {@code BASE} stands for the tree's root
     * @param inRoot files expected at the root
     * @param inSub  files expected at the bottom of a/b/.../n
     * @param errors regexes every returned error must match (none: no error allowed)
     */
    record Case(String description, String body, List<String> inRoot, List<String> inSub, List<String> errors) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static final List<String> ALL = List.of(
            "testfile0",
            "testfile1",
            "testfile2",
            "testfile3",
            "testfile4",
            "testfile5",
            "testfile6",
            "testfile7",
            "testfile8",
            "testfile9");
    /** n/dirlink -> n/a, which does not exist: Go's EvalSymlinks names the missing target. */
    private static final String BROKEN_DIRLINK =
            "^ERROR: followSymLink\\(\\) -> lstat .*/n/a: no such file or directory$";

    private static final String PATHS = "\"paths\":[\"BASE\"]";

    private static Case c(String description, String body, List<String> root, List<String> sub, String... errors) {
        List<String> e = errors.length == 0 ? List.of(BROKEN_DIRLINK) : List.of(errors);
        return new Case(description, body, root, sub, e);
    }

    static Stream<Case> cases() {
        List<Case> l = new ArrayList<>();
        String all = ",\"options\":{\"matchall\":true}";
        l.add(c(
                "find testfile0 by content, and testfile9 which links to it",
                PATHS + ",\"contents\":[\"^--- header for first file ---$\"]" + all,
                List.of("testfile0", "testfile9"),
                List.of("testfile0", "testfile9")));
        l.add(c(
                "find testfile0 by content using the file itself as the path",
                "\"paths\":[\"BASE/testfile0\"],\"contents\":[\"^--- header for first file ---$\"]" + all,
                List.of("testfile0"),
                List.of()));
        l.add(c(
                "find testfile0 by content using a link to it as the path (reported as the target)",
                "\"paths\":[\"BASE/testfile9\"],\"contents\":[\"^--- header for first file ---$\"]" + all,
                List.of("testfile0"),
                List.of()));
        String[][] contents = {
            {"^--- header for second file ---$", "testfile1"},
            {"skZ0", "testfile2"},
            {"^--- header for fourth file ---$", "testfile3"},
            {"^--- header for fifth file ---$", "testfile4"},
            {"^--- header for sixth file ---$", "testfile5"},
            {"KO3B", "testfile6"},
            {"t6Pl", "testfile7"},
            {",'XL", "testfile8"}
        };
        for (String[] cc : contents) {
            l.add(c(
                    "find " + cc[1] + " by content " + cc[0],
                    PATHS + ",\"contents\":[\"" + cc[0] + "\"]" + all,
                    List.of(cc[1]),
                    List.of(cc[1])));
        }
        l.add(c(
                "find testfile2 by size",
                PATHS + ",\"sizes\":[\"1024\"]" + all,
                List.of("testfile2"),
                List.of("testfile2")));
        l.add(c(
                "find testfile4 by md5",
                PATHS + ",\"md5\":[\"5d5a4fdeafc1677dca8255ef9624d522\"]" + all,
                List.of("testfile4"),
                List.of("testfile4")));
        l.add(c(
                "find testfile4 by sha2 (512)",
                PATHS + ",\"sha2\":[\"a4001843158a7a374e5ddcc22644c0e37738bc64ffd50179"
                        + "fc18fb443e0a62393b43384d9ac734e7a64c204e862ae3424094381afb33dfc639c52517afad1f32\"]" + all,
                List.of("testfile4"),
                List.of("testfile4")));
        l.add(c(
                "find testfile4 by sha3 (512)",
                PATHS + ",\"sha3\":[\"2028feaccf974066aa7c47070f24c72d349ed6a6575cb8"
                        + "01cc606c4a2b59020af4339b60dbedd0049a7341edde14133ee6f8b199f1a7c6ef36493fd217501607\"]" + all,
                List.of("testfile4"),
                List.of("testfile4")));
        l.add(c(
                "find testfile6 by sha2 (256)",
                PATHS + ",\"sha2\":[\"bb4e449df74edae0292d60d2733a3b1801d90ae23560484b1e04fb52f111a14f\"]" + all,
                List.of("testfile6"),
                List.of("testfile6")));
        l.add(c(
                "find testfile3 by sha2 (384) and sha3 (224)",
                PATHS + ",\"sha2\":[\"fb9758f30549a282d41a4eb125790704c17309e55443dbb54895379b8e33438f2825b78b938aa37"
                        + "35f99f3305d3b98e8\"],\"sha3\":[\"fe66d22caa59899c386e0a041f641d1c8130ded8f7365330957cbf69\"]"
                        + all,
                List.of("testfile3"),
                List.of("testfile3")));
        l.add(c(
                "find testfile5 by sha3 (384)",
                PATHS + ",\"sha3\":[\"cb086f02b728d57e299651f89e1fb0f89c659db50c7c780e"
                        + "c2689a8143e55c8e5e63ab47fe20897be7155e409151c190\"]" + all,
                List.of("testfile5"),
                List.of("testfile5")));
        l.add(c(
                "find testfile7 by all hashes",
                PATHS
                        + ",\"md5\":[\"52fa96013b5c6aa9302d39ee7fe2f6a5\"],\"sha1\":[\"31952c0d2772c302ec94b303c2b80b67cf830060\"],"
                        + "\"sha2\":[\"f6032dc9b4ba112397a6f8bcb778ab10708c1acd38e48f637ace15c3ae417ded\"],"
                        + "\"sha3\":[\"3f4dacf0b2347d0a0ab6f09b7d7c98fd12cb2030d4af8baeacaf55a9\"]" + all,
                List.of("testfile7"),
                List.of("testfile7")));
        l.add(c(
                "find testfile0 and testfile6 by name",
                PATHS + ",\"names\":[\".*testfile(0|6)$\"]" + all,
                List.of("testfile0", "testfile6"),
                List.of("testfile0", "testfile6")));
        l.add(c("find all files modified in the last minute", PATHS + ",\"mtimes\":[\"<1m\"]" + all, ALL, ALL));
        l.add(c(
                "find testfile0 by mtime in days and name",
                PATHS + ",\"names\":[\"^testfile0$\"],\"mtimes\":[\"<1d\"]" + all,
                List.of("testfile0"),
                List.of("testfile0")));
        l.add(c(
                "find nothing modified more than 1h, 30m and 15m ago",
                PATHS + ",\"mtimes\":[\">1h\",\">30m\",\">15m\"]" + all,
                List.of(),
                List.of()));
        l.add(c(
                "find testfile0 with maxdepth 1 and repeated paths",
                "\"paths\":[\"BASE/a\",\"BASE\",\"BASE\"],\"names\":[\"^.*0$\"],\"options\":{\"matchall\":true,\"maxdepth\":1}",
                List.of("testfile0"),
                List.of()));
        l.add(c(
                "inverted content match at depth 1",
                PATHS
                        + ",\"contents\":[\"!^--- header for first file ---$\"],\"options\":{\"matchall\":true,\"maxdepth\":1}",
                List.of(
                        "testfile1",
                        "testfile2",
                        "testfile3",
                        "testfile4",
                        "testfile5",
                        "testfile6",
                        "testfile7",
                        "testfile8"),
                List.of()));
        l.add(c("find files with mode -rw-r--r--", PATHS + ",\"modes\":[\"-rw-r--r--\"]" + all, ALL, ALL));
        l.add(c(
                "two name checks matching the same file",
                PATHS + ",\"names\":[\".*0\",\"^testfile0$\"],\"options\":{\"matchall\":true,\"maxdepth\":1}",
                List.of("testfile0"),
                List.of()));
        l.add(c(
                "matchany: testfile0 by name, testfile7 by size",
                PATHS + ",\"names\":[\"^testfile0$\"],\"sizes\":[\"274\"],\"options\":{\"matchall\":false}",
                List.of("testfile0", "testfile7"),
                List.of("testfile0", "testfile7")));
        l.add(c(
                "decompress: testfile6 by name and decompressed content",
                PATHS + ",\"names\":[\"^testfile6\"],\"contents\":[\"^--- header for zipped file ---$\"],"
                        + "\"options\":{\"matchall\":true,\"decompress\":true}",
                List.of("testfile6"),
                List.of("testfile6")));
        l.add(c(
                "decompress: testfile6 by decompressed content; testfile8 is corrupt",
                PATHS
                        + ",\"contents\":[\"^--- header for zipped file ---$\"],\"options\":{\"matchall\":true,\"decompress\":true}",
                List.of("testfile6"),
                List.of("testfile6"),
                "^checkContent\\(\\) -> decompressing .*/testfile8: .+",
                BROKEN_DIRLINK));
        l.add(c(
                "decompress: testfile7 by decompressed md5",
                PATHS
                        + ",\"md5\":[\"7f82b4c1613fd10208ad1f71de17ebb5\"],\"options\":{\"matchall\":true,\"decompress\":true}",
                List.of("testfile7"),
                List.of("testfile7"),
                "^checkHash\\(\\) -> decompressing .*/testfile8: .+",
                BROKEN_DIRLINK));
        l.add(c(
                "decompress with matchany: two content checks",
                PATHS + ",\"contents\":[\"--- header for first file ---\",\"^--- header for zipped file ---$\"],"
                        + "\"options\":{\"matchall\":false,\"decompress\":true}",
                List.of("testfile0", "testfile6", "testfile9"),
                List.of("testfile0", "testfile6", "testfile9"),
                "^checkContent\\(\\) -> decompressing .*/testfile8: .+",
                BROKEN_DIRLINK));
        l.add(c(
                "a root that does not exist",
                "\"paths\":[\"/doesnotexist\"],\"names\":[\".*testfile.*\"]" + all,
                List.of(),
                List.of(),
                "^ERROR: open /doesnotexist: no such file or directory$"));
        l.add(c(
                "a root that is a link to a directory",
                "\"paths\":[\"BASE/dirlink\"],\"names\":[\".*testfile.*\"]" + all,
                List.of(),
                List.of(),
                "^warning: .*/dirlink is a link to .*/a and was not followed$"));
        l.add(c(
                "macroal: every line of testfile0 matches",
                PATHS + ",\"contents\":[\"^(.+)?$\"],\"names\":[\"^testfile0$\"],"
                        + "\"options\":{\"matchall\":true,\"macroal\":true}",
                List.of("testfile0"),
                List.of("testfile0")));
        l.add(c(
                "macroal negated: no line may match",
                PATHS + ",\"contents\":[\"!^(.+)?$\"],\"names\":[\"^testfile0$\"],"
                        + "\"options\":{\"matchall\":true,\"macroal\":true}",
                List.of(),
                List.of()));
        l.add(c(
                "macroal negated with a regex that never matches",
                PATHS
                        + ",\"contents\":[\"!FOOBAR\"],\"names\":[\"^testfile0$\"],\"options\":{\"matchall\":true,\"macroal\":true}",
                List.of("testfile0"),
                List.of("testfile0")));
        l.add(c(
                "macroal with a regex that never matches",
                PATHS
                        + ",\"contents\":[\"FOOBAR\"],\"names\":[\"^testfile0$\"],\"options\":{\"matchall\":true,\"macroal\":true}",
                List.of(),
                List.of()));
        List<String> notZero = List.of(
                "testfile1",
                "testfile2",
                "testfile3",
                "testfile4",
                "testfile5",
                "testfile6",
                "testfile7",
                "testfile8",
                "testfile9");
        l.add(c(
                "mismatch name: every file but testfile0",
                PATHS + ",\"names\":[\"^testfile0$\"],\"options\":{\"matchall\":true,\"mismatch\":[\"name\"]}",
                notZero,
                notZero));
        List<String> oneToEight = notZero.subList(0, 8);
        l.add(c(
                "mismatch size: files that meet none of the sizes",
                PATHS + ",\"sizes\":[\"190\",\">10k\",\">10m\",\">10g\",\">10t\",\"<10\"],"
                        + "\"options\":{\"matchall\":true,\"mismatch\":[\"size\"]}",
                oneToEight,
                oneToEight));
        l.add(c(
                "mismatch mtime: nothing was modified before the last hour",
                PATHS + ",\"mtimes\":[\"<1h\"],\"options\":{\"matchall\":true,\"mismatch\":[\"mtime\"]}",
                List.of(),
                List.of()));
        l.add(c(
                "mismatch mode: every file is 0644",
                PATHS + ",\"modes\":[\"-rw-r--r--\"],\"options\":{\"matchall\":true,\"mismatch\":[\"mode\"]}",
                List.of(),
                List.of()));
        l.add(c(
                "mismatch an inverted name",
                PATHS + ",\"names\":[\"!^testfile0$\"],\"options\":{\"matchall\":true,\"mismatch\":[\"name\"]}",
                List.of("testfile0"),
                List.of("testfile0")));
        l.add(c(
                "mismatch content with macroal: testfile1 has a line outside the allowed set",
                PATHS
                        + ",\"names\":[\"^testfile(0|1)$\"],\"contents\":[\"^((---.+)|(#.+)|(\\\\s+)|(some (other )?text))?$\"],"
                        + "\"options\":{\"matchall\":true,\"macroal\":true,\"mismatch\":[\"content\"]}",
                List.of("testfile1"),
                List.of("testfile1")));
        List<String> notTwo = List.of(
                "testfile0",
                "testfile1",
                "testfile3",
                "testfile4",
                "testfile5",
                "testfile6",
                "testfile7",
                "testfile8",
                "testfile9");
        l.add(c(
                "mismatch every hash of testfile2",
                PATHS
                        + ",\"md5\":[\"8d3a7afb7e59693b383d52396243a5b8\"],\"sha1\":[\"d82bc1145d471714b056940b268032f9ab0df2ae\"],"
                        + "\"sha2\":[\"3b495fae5bae9751ea4706c29e992002ba277bce30bd83a827b01ba977eabc2f\"],"
                        + "\"sha3\":[\"fdb23afa808c265284c3199013e4ded9704eebf54ffdc1f016dacc12\"],"
                        + "\"options\":{\"matchall\":true,\"mismatch\":[\"md5\",\"sha1\",\"sha2\",\"sha3\"]}",
                notTwo,
                notTwo));
        return l.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void findsWhatTheOriginalFinds(Case tc) {
        ModuleResult r = Runs.run(Runs.search(tc.body().replace("BASE", base.toString())));
        assertTrue(r.success(), () -> "not a success: " + r.errors());
        TreeSet<String> expected = new TreeSet<>();
        tc.inRoot().forEach(f -> expected.add(base.resolve(f).toString()));
        tc.inSub().forEach(f -> expected.add(sub.resolve(f).toString()));
        assertEquals(expected, Runs.files(r, "s1"));
        assertEquals(!expected.isEmpty(), r.foundAnything());
        for (String e : Runs.errors(r)) {
            assertTrue(tc.errors().stream().anyMatch(e::matches), () -> "unexpected error: " + e);
        }
    }

    @ParameterizedTest
    @MethodSource("limits")
    void matchlimitStopsAtExactlyThatManyFiles(int parallelism) {
        ModuleResult r = Runs.run(
                Runs.search("\"paths\":[\"" + base + "\"],\"names\":[\"^testfile.*$\"],"
                        + "\"options\":{\"matchall\":true,\"maxdepth\":1,\"matchlimit\":4}"),
                Runs.context(parallelism));
        assertEquals(4, Runs.files(r, "s1").size());
        assertEquals(4.0, ((Number) Runs.stats(r).get("totalhits")).doubleValue());
    }

    static Stream<Integer> limits() {
        return Stream.of(1, 3);
    }

    @ParameterizedTest
    @MethodSource("limits")
    void privacyMasksEveryFileAndError(int parallelism) {
        FileModule m = new FileModule();
        ModuleResult r = m.enhancePrivacy(Runs.run(
                Runs.search("\"paths\":[\"" + base + "\"],\"mtimes\":[\"<1m\"]," + "\"options\":{\"matchall\":true}"),
                Runs.context(parallelism)));
        List<com.fasterxml.jackson.databind.JsonNode> entries = Runs.entries(r, "s1");
        assertEquals(20, entries.size());
        entries.forEach(e -> assertEquals("masked", e.get("file").asText()));
        assertFalse(Runs.errors(r).isEmpty());
        Runs.errors(r).forEach(e -> assertEquals("masked", e));
    }
}
