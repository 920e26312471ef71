package mig.modules.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The original's outputs, recorded on this machine's dpkg database (golden/pkg/README.md), against
 * this module reading a copy of the same database.
 */
class PkgGoldenTest {

    private static final String DIR = "/golden/pkg/";
    private static final String GO_DURATION = "[0-9.]+(ns|µs|ms|s|m|h)([0-9.]+(ms|s))?";

    @TempDir
    static Path tmp;

    static PkgModule module;

    @BeforeAll
    static void database() throws IOException {
        Path dpkg = Files.createDirectories(tmp.resolve("dpkg"));
        try (InputStream in = new GZIPInputStream(PkgGoldenTest.class.getResourceAsStream(DIR + "dpkg-status.gz"))) {
            Files.copy(in, dpkg.resolve("status"));
        }
        module = new PkgModule(dpkg, List.of(tmp.resolve("no-rpm")));
    }

    static String resource(String name) {
        try (InputStream in = PkgGoldenTest.class.getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<String> cases() {
        return Stream.of("openssl", "ssl-not-3", "lib-libc-v2", "all", "nothing", "qualified", "caseless", "bang");
    }

    static RunContext context() {
        return RunContext.withTimeout(Duration.ofMinutes(1));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void localModePrintsWhatTheOriginalClientPrinted(String name) throws ParameterException {
        List<String> args = resource(name + ".args").lines().toList();
        JsonNode params = module.parseArgs(args);
        ModuleResult r = module.run(params, context());
        List<String> expected = resource(name + ".stdout").lines().toList();
        assertEquals(expected, module.printResults(r, true));
        assertEquals(!expected.isEmpty(), r.foundAnything());
        assertNull(r.errors());
    }

    @Test
    void theAgentsJsonResultAndPrettyLinesAreTheOriginals() throws ParameterException {
        JsonNode params = GoJson.tree("{\"pkgmatch\":{\"matches\":[\"^openssl$\",\"^libssl\"]},\"vermatch\":\"\"}");
        ModuleResult r = module.run(params, context());
        JsonNode expected = GoJson.tree(resource("openssl-libssl.result.json"));
        assertDuration(
                GoJson.tree(GoJson.marshal(r.statistics())).get("execruntime").asText());
        assertEquals(withoutRuntime(expected), withoutRuntime(GoJson.tree(GoJson.marshal(r))));
        String runtime = "\"execruntime\":\"[^\"]*\"";
        assertEquals(
                resource("openssl-libssl.result.json").strip().replaceAll(runtime, "T"),
                GoJson.marshal(r).replaceAll(runtime, "T"),
                "the original's bytes, field order included");
        List<String> pretty =
                new ArrayList<>(resource("openssl-libssl.pretty").lines().toList());
        List<String> ours = new ArrayList<>(module.printResults(r, false));
        assertTrue(ours.get(ours.size() - 1).matches("Statistics: runtime " + GO_DURATION), ours.toString());
        pretty.remove(pretty.size() - 1);
        ours.remove(ours.size() - 1);
        assertEquals(pretty, ours);
    }

    @Test
    void everyBadParametersDocumentGetsTheOriginalsResult() {
        List<String> lines = resource("bad-parameters.jsonl").lines().toList();
        assertEquals(14, lines.size());
        for (String line : lines) {
            JsonNode rec = GoJson.tree(line);
            ModuleResult r = module.run(rec.get("parameters"), context());
            assertDuration(GoJson.tree(GoJson.marshal(r.statistics()))
                    .get("execruntime")
                    .asText());
            assertEquals(withoutRuntime(rec.get("result")), withoutRuntime(GoJson.tree(GoJson.marshal(r))), line);
        }
    }

    @Test
    void helpIsTheOriginalsAndNoArgumentsMeansHelp() throws ParameterException {
        assertEquals(resource("help.stdout"), module.help());
        assertNull(module.parseArgs(List.of()));
        assertNull(module.parseArgs(List.of("help")));
    }

    private static void assertDuration(String d) {
        assertTrue(d.matches(GO_DURATION), d);
    }

    private static JsonNode withoutRuntime(JsonNode result) {
        ObjectNode copy = result.deepCopy();
        copy.set("statistics", null);
        return copy;
    }
}
