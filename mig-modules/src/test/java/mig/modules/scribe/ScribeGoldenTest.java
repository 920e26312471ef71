package mig.modules.scribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.ParameterException;
import mig.modules.RunContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The original client's and agent's outputs over the documents and tree of golden/scribe (see its
 * README) against this module's, on a copy of the tree and of the dpkg database they were recorded on.
 */
class ScribeGoldenTest {

    private static final String DIR = "/golden/scribe/";
    private static final String TREE_AT = "/tmp/m18s-scribe-tree";
    private static final String DOCS_AT = "/tmp/m18s-scribe-tree-docs";
    private static final String GO_DURATION = "[0-9.]+(ns|µs|ms|s|m|h)([0-9.]+(ms|s))?";

    @TempDir
    static Path tmp;

    static Path tree;
    static Path docs;
    static ScribeModule module;

    @BeforeAll
    static void copies() throws IOException, URISyntaxException {
        tree = tmp.resolve("tree");
        docs = tmp.resolve("docs");
        copy(Path.of(ScribeGoldenTest.class.getResource(DIR + "tree").toURI()), tree, false);
        copy(Path.of(ScribeGoldenTest.class.getResource(DIR + "docs").toURI()), docs, true);
        Path dpkg = Files.createDirectories(tmp.resolve("dpkg"));
        try (InputStream in = new GZIPInputStream(ScribeGoldenTest.class.getResourceAsStream(DIR + "dpkg-status.gz"))) {
            Files.copy(in, dpkg.resolve("status"));
        }
        module = new ScribeModule(dpkg);
    }

    private static void copy(Path src, Path dst, boolean rewrite) throws IOException {
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Path to = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (rewrite) {
                    Files.writeString(to, localise(Files.readString(p)));
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    /** The recorded paths made this test's. */
    static String localise(String s) {
        return s.replace(DOCS_AT, docs.toString()).replace(TREE_AT, tree.toString());
    }

    static String resource(String name) {
        try (InputStream in = ScribeGoldenTest.class.getResourceAsStream(DIR + name)) {
            return localise(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RunContext context() {
        return RunContext.withTimeout(Duration.ofMinutes(1));
    }

    static Stream<String> cases() {
        return Stream.of(
                "files",
                "files-human",
                "files-json",
                "files-onlytrue",
                "packages",
                "packages-human",
                "packages-json",
                "packages-onlytrue",
                "raw",
                "raw-human",
                "raw-json",
                "raw-onlytrue",
                "raw-onlytrue-human");
    }

    /**
     * {@code mig scribe -t local <args>}: the original's lines. Over files, the lines of a test come
     * in the order the file module found the files, which is the file system's listing order (and
     * the original listed a directory's files before its subdirectories' where ours walks into a
     * subdirectory when it meets it): those are compared as sorted lines.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void localModePrintsWhatTheOriginalClientPrinted(String name) throws ParameterException {
        List<String> args = resource(name + ".args").lines().toList();
        JsonNode params = module.parseArgs(args);
        ModuleResult r = module.run(params, context());
        List<String> expected = resource(name + ".stdout").lines().toList();
        List<String> ours =
                String.join("\n", module.printResults(r, true)).lines().toList();
        if (name.equals("files-json")) {
            assertEquals(sorted(subResultsSorted(expected)), sorted(subResultsSorted(ours)));
        } else if (name.startsWith("files")) {
            assertEquals(sorted(expected), sorted(ours));
        } else {
            assertEquals(expected, ours);
        }
        assertTrue(r.success());
    }

    /** JSON lines with each test's sub-results sorted. */
    private static List<String> subResultsSorted(List<String> jsonLines) {
        return jsonLines.stream()
                .map(l -> {
                    ObjectNode wrapper = GoJson.tree("{\"elements\":{\"results\":[" + l + "]}}")
                            .deepCopy();
                    return sortedSubResults(wrapper).toString();
                })
                .toList();
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(null);
        return s;
    }

    @Test
    void theAgentsJsonResultAndPrettyLinesAreTheOriginals() {
        JsonNode params = GoJson.tree(resource("files.parameters.json"));
        ModuleResult r = module.run(params, context());
        JsonNode expected = GoJson.tree(resource("files.result.json"));
        JsonNode ours = GoJson.tree(GoJson.marshal(r));
        assertTrue(ours.get("statistics").get("execruntime").asText().matches(GO_DURATION));
        assertEquals(sortedSubResults(withoutRuntime(expected)), sortedSubResults(withoutRuntime(ours)));
        List<String> pretty = new ArrayList<>(resource("files.pretty").lines().toList());
        List<String> lines = new ArrayList<>(module.printResults(r, false));
        assertTrue(lines.remove(lines.size() - 1).matches("Statistics: runtime " + GO_DURATION));
        pretty.remove(pretty.size() - 1);
        assertEquals(sorted(pretty), sorted(lines));
        assertEquals(
                List.of(
                        "Error: error parsing regexp: missing closing ): `(unclosed` in \"bad-regexp\"",
                        "Error: invalid evr operation <= in \"bad-evr-op\"",
                        "Error: object not prepared in \"chain-object\""),
                r.errors());
    }

    /** Each test's sub-results sorted by identifier: their order is the file system's. */
    private static JsonNode sortedSubResults(JsonNode result) {
        ObjectNode copy = result.deepCopy();
        for (JsonNode t : copy.path("elements").path("results")) {
            if (t.get("results").isArray()) {
                List<JsonNode> subs = new ArrayList<>();
                t.get("results").forEach(subs::add);
                subs.sort((a, b) -> a.toString().compareTo(b.toString()));
                ((ObjectNode) t).putArray("results").addAll(subs);
            }
        }
        return copy;
    }

    private static JsonNode withoutRuntime(JsonNode result) {
        ObjectNode copy = result.deepCopy();
        copy.set("statistics", null);
        return copy;
    }

    /** Every parameters document sent to the original agent: the same result (errors included). */
    @Test
    void everyBadParametersDocumentGetsTheOriginalsResult() {
        List<String> lines = resource("bad-parameters.jsonl").lines().toList();
        assertEquals(14, lines.size());
        for (String line : lines) {
            JsonNode rec = GoJson.tree(line);
            ModuleResult r = module.run(rec.get("parameters"), context());
            assertEquals(withoutRuntime(rec.get("result")), withoutRuntime(GoJson.tree(GoJson.marshal(r))), line);
        }
    }

    /**
     * Every document the original client was given with {@code -path}: its error (after the
     * client's {@code error: }), or the lines it printed. The one YAML document is the exception:
     * the original read YAML, this client refuses it and says so.
     */
    @Test
    void everyBadDocumentGetsTheOriginalsError() throws IOException, ParameterException {
        List<String> lines = resource("bad-documents.jsonl").lines().toList();
        assertEquals(38, lines.size());
        int checked = 0;
        for (String line : lines) {
            JsonNode rec = GoJson.tree(line);
            String doc = rec.get("document").asText();
            Path p = Files.writeString(tmp.resolve("doc.json"), doc);
            List<String> args = List.of("-path", p.toString());
            if (doc.startsWith("objects:")) {
                ParameterException e = assertThrows(ParameterException.class, () -> module.parseArgs(args));
                assertTrue(e.getMessage().contains("JSON scribe documents only"), e.getMessage());
                continue;
            }
            if (rec.get("rc").asInt() != 0) {
                ParameterException e = assertThrows(ParameterException.class, () -> module.parseArgs(args), doc);
                assertEquals(rec.get("stderr").asText(), "error: " + e.getMessage() + "\n", doc);
            } else {
                ModuleResult r = module.run(module.parseArgs(args), context());
                List<String> out = module.printResults(r, true);
                assertEquals(rec.get("stdout").asText(), out.isEmpty() ? "" : String.join("\n", out) + "\n", doc);
            }
            checked++;
        }
        assertEquals(37, checked);
    }

    @Test
    void flagErrorsAreTheOriginals() throws IOException {
        assertEquals(
                "-path option is required",
                assertThrows(ParameterException.class, () -> module.parseArgs(List.of("-human")))
                        .getMessage());
        String missing = tmp.resolve("no-such.json").toString();
        assertEquals(
                "open " + missing + ": no such file or directory",
                assertThrows(ParameterException.class, () -> module.parseArgs(List.of("-path", missing)))
                        .getMessage());
        assertTrue(assertThrows(ParameterException.class, () -> module.parseArgs(List.of("-foo")))
                .getMessage()
                .startsWith("flag provided but not defined: -foo"));
    }

    @Test
    void helpIsTheOriginalsAndNoArgumentsMeansHelp() throws ParameterException {
        assertEquals(resource("help.stdout"), module.help());
        assertNull(module.parseArgs(List.of()));
        assertNull(module.parseArgs(List.of("help")));
    }

    @Test
    void privacyMasksIdentifiers() throws ParameterException {
        ModuleResult r = module.run(
                module.parseArgs(List.of("-path", docs.resolve("raw.json").toString())), context());
        JsonNode masked = GoJson.tree(GoJson.marshal(module.enhancePrivacy(r)));
        List<String> ids = new ArrayList<>();
        masked.at("/elements/results")
                .forEach(t -> t.path("results")
                        .forEach(s -> ids.add(s.get("identifier").asText())));
        assertTrue(ids.size() > 10);
        assertEquals(List.of("masked"), ids.stream().distinct().toList());
        assertTrue(Arrays.asList(GoJson.marshal(r).split("\"")).contains("kernel-a"), "the original is unchanged");
    }
}
