package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import mig.common.ModuleResult;
import mig.common.json.GoTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links as the original's code treats them (modules/file/file.go, {@code pathWalk} and
 * {@code followSymLink}); every expectation here is what the original agent's {@code -m file}
 * printed for the same tree and parameters (built from mozilla/mig with Go 1.19).
 *
 * <pre>
 * t/in.txt        "needle in\n"
 * t/plain.txt     "nothing\n"
 * t/link-in       -> in.txt                (target inside the search path)
 * t/link-out      -> ../o/out.txt          (target outside it)
 * t/link-dir      -> ../o                  (a directory: never followed, no error)
 * t/link-dev      -> /dev/null             (not a regular file: skipped, no error)
 * t/broken        -> nowhere
 * t/loop1 -> loop2, t/loop2 -> loop1
 * t/sub/deep.txt  "deep needle\n"
 * t/sub/link-deep -> ../../o/out.txt
 * o/out.txt       "needle out\nsecond\n", rw-------, 18 bytes
 * </pre>
 */
class LinkSemanticsTest {

    @TempDir
    static Path tmp;

    static Path t;
    static Path o;

    @BeforeAll
    static void tree() throws Exception {
        Path root = tmp.toRealPath();
        t = Files.createDirectories(root.resolve("t"));
        o = Files.createDirectories(root.resolve("o"));
        Duration day = Duration.ofDays(1);
        TestTree.file(t.resolve("in.txt"), "needle in\n", "rw-r--r--", day);
        TestTree.file(t.resolve("plain.txt"), "nothing\n", "rw-r--r--", day);
        TestTree.file(t.resolve("sub/deep.txt"), "deep needle\n", "rw-r--r--", day);
        TestTree.file(o.resolve("out.txt"), "needle out\nsecond\n", "rw-------", Duration.ofDays(3));
        Files.createSymbolicLink(t.resolve("link-in"), Path.of("in.txt"));
        Files.createSymbolicLink(t.resolve("link-out"), Path.of("../o/out.txt"));
        Files.createSymbolicLink(t.resolve("link-dir"), Path.of("../o"));
        Files.createSymbolicLink(t.resolve("link-dev"), Path.of("/dev/null"));
        Files.createSymbolicLink(t.resolve("broken"), Path.of("nowhere"));
        Files.createSymbolicLink(t.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(t.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(t.resolve("sub/link-deep"), Path.of("../../o/out.txt"));
    }

    private static ModuleResult search(String filters, String options) {
        return Runs.run(Runs.search("\"paths\":[\"" + t + "\"]," + filters + ",\"options\":{" + options + "}"));
    }

    private static Set<String> in(String... names) {
        TreeSet<String> s = new TreeSet<>();
        for (String n : names) {
            s.add(t.resolve(n).toString());
        }
        return s;
    }

    private List<String> linkErrors() {
        return List.of(
                "ERROR: followSymLink() -> EvalSymlinks: too many links",
                "ERROR: followSymLink() -> EvalSymlinks: too many links",
                "ERROR: followSymLink() -> lstat " + t.resolve("nowhere") + ": no such file or directory");
    }

    @Test
    void everyLinkToAFileIsEvaluatedWhereverItsTargetLies() {
        ModuleResult r = search("\"contents\":[\"needle\"]", "\"matchall\":true");
        assertEquals(in("in.txt", "link-in", "link-out", "sub/deep.txt", "sub/link-deep"), Runs.files(r, "s1"));
        // directory order decides the order of errors, in the original too
        assertEquals(linkErrors(), Runs.errors(r).stream().sorted().toList());
        assertEquals(6.0, ((Number) Runs.stats(r).get("filescount")).doubleValue());
        assertEquals(3.0, ((Number) Runs.stats(r).get("openfailed")).doubleValue());
    }

    @Test
    void aLinkIsReportedUnderItsOwnPathWithItsTargetsSizeModeAndTime() {
        ModuleResult r = search("\"modes\":[\"^-rw-------$\"]", "\"matchall\":true");
        assertEquals(in("link-out", "sub/link-deep"), Runs.files(r, "s1"));
        JsonNode info = Runs.entries(r, "s1").stream()
                .filter(e -> e.get("file").asText().endsWith("/link-out"))
                .findFirst()
                .orElseThrow()
                .get("fileinfo");
        assertEquals(18, info.get("size").asInt());
        assertEquals("-rw-------", info.get("mode").asText());
        assertEquals(
                GoTime.formatString(TestTree.NOW.minus(Duration.ofDays(3))),
                info.get("lastmodified").asText());
    }

    @Test
    void namesAreMatchedOnTheLinksName() {
        assertEquals(
                in("link-in", "link-out", "sub/link-deep"),
                Runs.files(search("\"names\":[\"^link\"]", "\"matchall\":true"), "s1"));
    }

    @Test
    void everyLinkIsResolvedWhateverItsNameSoErrorsAndCountsAreTheOriginals() {
        ModuleResult r = search("\"names\":[\"^in\"]", "\"matchall\":true");
        assertEquals(in("in.txt"), Runs.files(r, "s1"));
        assertEquals(linkErrors(), Runs.errors(r).stream().sorted().toList());
        assertEquals(6.0, ((Number) Runs.stats(r).get("filescount")).doubleValue());
        assertEquals(3.0, ((Number) Runs.stats(r).get("openfailed")).doubleValue());
    }

    @Test
    void mismatchContentEvaluatesLinksToo() {
        // the case: files NOT containing the text; links whose target contains it are not listed
        ModuleResult r = search("\"contents\":[\"needle\"]", "\"matchall\":true,\"mismatch\":[\"content\"]");
        assertEquals(in("plain.txt"), Runs.files(r, "s1"));
        ModuleResult second = search("\"contents\":[\"^second$\"]", "\"matchall\":true,\"mismatch\":[\"content\"]");
        assertEquals(in("in.txt", "link-in", "plain.txt", "sub/deep.txt"), Runs.files(second, "s1"));
    }

    @Test
    void maxdepthCountsALinkAtTheLevelOfItsDirectory() {
        ModuleResult r = search("\"contents\":[\"needle\"]", "\"matchall\":true,\"maxdepth\":1");
        assertEquals(in("in.txt", "link-in", "link-out"), Runs.files(r, "s1"));
    }

    @Test
    void aSearchPathThatLinksToAFileOutsideIsReportedAsItsTarget() {
        ModuleResult r = Runs.run(Runs.search("\"paths\":[\"" + t.resolve("link-out") + "\"],"
                + "\"contents\":[\"needle\"],\"options\":{\"matchall\":true}"));
        assertEquals(Set.of(o.resolve("out.txt").toString()), Runs.files(r, "s1"));
        assertEquals(List.of(), Runs.errors(r));
    }
}
