package mig.modules.yara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.Modules;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import mig.modules.file.FileModule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The original's outputs (built with {@code -tags modyara} against Debian's libyara 4.2, see
 * golden/yara/README.md) against this module's, scanning a copy of the same files through libyara.
 */
class YaraGoldenTest {

    private static final String DIR = "/golden/yara/";
    private static final String TREE_AT = "/tmp/m18s-yara-tree";
    private static final String RULES_AT = "/tmp/m18s-yara-rules";

    @TempDir
    static Path tmp;

    static Path tree;
    static Path rules;
    static final YaraModule MODULE = new YaraModule();

    @BeforeAll
    static void copies() throws IOException, URISyntaxException {
        tree = tmp.resolve("tree");
        rules = tmp.resolve("rules");
        copy(Path.of(YaraGoldenTest.class.getResource(DIR + "tree").toURI()), tree);
        copy(Path.of(YaraGoldenTest.class.getResource(DIR + "rules").toURI()), rules);
        Files.createDirectories(tree.resolve("etc"));
        Files.write(tree.resolve("etc/empty"), new byte[0]); // git may not keep the empty file's mode
    }

    private static void copy(Path src, Path dst) throws IOException {
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Path to = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    static String localise(String s) {
        return s.replace(TREE_AT, tree.toString()).replace(RULES_AT, rules.toString());
    }

    static String resource(String name) {
        try (InputStream in = YaraGoldenTest.class.getResourceAsStream(DIR + name)) {
            return localise(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RunContext context() {
        return RunContext.withTimeout(Duration.ofMinutes(1));
    }

    /** libyara is installed here (.ci/run installs libyara9); the tests that scan need it. */
    static void needLibyara() {
        String why = null;
        try {
            LibYara.load();
        } catch (LibYara.Unavailable e) {
            why = e.getMessage();
        }
        Assumptions.assumeTrue(why == null, "skipped: " + why);
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(null);
        return s;
    }

    static Stream<String> scans() {
        return Stream.of(
                "markers",
                "markers-bin",
                "markers-content",
                "everything",
                "nothing-found",
                "syntax-error",
                "undefined",
                "duplicate");
    }

    /**
     * {@code mig yara -t local <args>}: the lines the original client printed (the matches; its
     * {@code -t local} printed no errors). The order is the file system's listing order, so the
     * lines are compared sorted.
     */
    @ParameterizedTest
    @MethodSource("scans")
    void localModePrintsWhatTheOriginalClientPrinted(String name) throws ParameterException {
        needLibyara();
        List<String> args = resource(name + ".args").lines().toList();
        ModuleResult r = MODULE.run(MODULE.parseArgs(args), context());
        assertEquals(sorted(resource(name + ".stdout").lines().toList()), sorted(MODULE.printResults(r, true)));
    }

    @Test
    void aRuleMatchesATestFileThroughLibyara() throws IOException {
        needLibyara();
        Path f = Files.writeString(tmp.resolve("sample.bin"), "xx EVIL_MARKER_42 yy");
        JsonNode params = GoJson.tree(GoJson.marshal(java.util.Map.of(
                "yara",
                "rule evil { strings: $s = \"EVIL_MARKER_42\" condition: $s }\nrule never { condition: false }",
                "filesearch",
                "-path " + tmp + " -name ^sample\\.bin$")));
        ModuleResult r = MODULE.run(params, context());
        assertTrue(r.success(), String.valueOf(r.errors()));
        assertTrue(r.foundAnything());
        assertEquals(List.of(f + " [evil]"), MODULE.printResults(r, false));
    }

    /** Every parameters document sent to the original agent (built with modyara): the same result. */
    @Test
    void everyParametersDocumentGetsTheOriginalsResult() {
        needLibyara();
        List<String> lines = resource("bad-parameters.jsonl").lines().toList();
        assertEquals(21, lines.size());
        for (String line : lines) {
            JsonNode rec = GoJson.tree(line);
            ModuleResult r = MODULE.run(rec.get("parameters"), context());
            JsonNode expected = rec.get("result");
            JsonNode ours = GoJson.tree(GoJson.marshal(r));
            assertEquals(expected.get("errors"), ours.get("errors"), line);
            assertEquals(expected.get("success"), ours.get("success"), line);
            assertEquals(expected.get("foundanything"), ours.get("foundanything"), line);
            assertEquals(expected.get("statistics"), ours.get("statistics"), line);
            assertEquals(sortedMatches(expected.get("elements")), sortedMatches(ours.get("elements")), line);
        }
    }

    private static List<String> sortedMatches(JsonNode elements) {
        if (elements == null || elements.isNull()) {
            return null;
        }
        List<String> m = new ArrayList<>();
        elements.path("Matches").forEach(x -> m.add(x.toString()));
        m.sort(null);
        return elements.get("Matches").isNull() ? List.of("null") : m;
    }

    @Test
    void theAgentsJsonAndPrettyLinesAreTheOriginals() throws ParameterException {
        needLibyara();
        JsonNode params = MODULE.parseArgs(resource("markers.args").lines().toList());
        ModuleResult r = MODULE.run(params, context());
        String ours = GoJson.marshal(r);
        String expected = resource("markers.result.json").strip();
        assertEquals(expected.length(), ours.length(), "same bytes, maybe in another file order");
        assertEquals(sorted(resource("markers.pretty").lines().toList()), sorted(MODULE.printResults(r, false)));
        ModuleResult none = MODULE.run(
                MODULE.parseArgs(resource("nothing-found.args").lines().toList()), context());
        assertEquals(resource("nothing-found.pretty").lines().toList(), MODULE.printResults(none, false));
    }

    /** Client-side errors: the original's text after its {@code error: }. */
    static Stream<String> refused() {
        return Stream.of(
                "bad-files-flag",
                "bad-files-regexp",
                "bad-flag",
                "empty-rules",
                "missing-rules",
                "no-files",
                "no-rules");
    }

    @ParameterizedTest
    @MethodSource("refused")
    void flagsAreRefusedWithTheOriginalsError(String name) {
        List<String> args = resource(name + ".args").lines().toList();
        ParameterException e = assertThrows(ParameterException.class, () -> MODULE.parseArgs(args));
        List<String> stderr = resource(name + ".stderr").lines().toList();
        assertEquals(stderr.get(stderr.size() - 1), "error: " + firstLine(e.getMessage()));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Test
    void helpIsTheOriginalsAndNoArgumentsMeansHelp() throws ParameterException {
        assertEquals(resource("help.stdout"), MODULE.help());
        assertNull(MODULE.parseArgs(List.of()));
        assertNull(MODULE.parseArgs(List.of("help")));
    }

    @Test
    void fileSearchArgumentsAreSplitAsTheOriginalSplitThem() {
        assertEquals(
                List.of("-path", "/etc", "-content", "two words", "-name", "x"),
                YaraModule.arguments("-path /etc -content 'two words' -name x"));
        // the original's '.+' runs to the last quote: two quoted values become one argument
        assertEquals(List.of("-content", "a' -name 'b"), YaraModule.arguments("-content 'a' -name 'b'"));
        assertEquals(List.of("-name", "q"), YaraModule.arguments("-name \"q\""));
    }

    /**
     * A client or agent without libyara: the yara module answers with an error naming the library,
     * nothing is thrown, and the other modules run as usual.
     */
    @Test
    void withoutLibyaraTheModuleIsUnavailableAndTheRestRuns() throws IOException, ParameterException {
        String before = System.getProperty("mig.yara.library");
        System.setProperty("mig.yara.library", tmp.resolve("no/libyara-here.so").toString());
        try {
            JsonNode params = GoJson.tree(GoJson.marshal(java.util.Map.of(
                    "yara", "rule x { condition: true }", "filesearch", "-path " + tree + " -name .")));
            ModuleResult r = MODULE.run(params, context());
            assertFalse(r.success());
            assertFalse(r.foundAnything());
            assertEquals(1, r.errors().size());
            assertTrue(
                    r.errors().get(0).startsWith("yara module unavailable: libyara could not be loaded ("),
                    r.errors().get(0));
            assertTrue(r.errors().get(0).contains("libyara-here.so"), r.errors().get(0));
            // the flags are still read (an investigator's client needs no libyara to send yara actions)
            assertEquals(
                    "rule x { condition: true }",
                    MODULE.parseArgs(List.of(
                                    "-rules",
                                    Files.writeString(tmp.resolve("r.yar"), "rule x { condition: true }")
                                            .toString(),
                                    "-files",
                                    "-path /tmp -name x"))
                            .get("yara")
                            .asText());
            FileModule file = (FileModule) Modules.get("file").orElseThrow();
            ModuleResult found =
                    file.run(file.parseArgs(List.of("-path", tree.toString(), "-name", "^tool-a$")), context());
            assertTrue(found.success());
            assertTrue(found.foundAnything());
            assertTrue(Modules.names().contains("yara"));
        } finally {
            if (before == null) {
                System.clearProperty("mig.yara.library");
            } else {
                System.setProperty("mig.yara.library", before);
            }
        }
    }
}
