package mig.modules.sshkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import mig.modules.ParameterException;
import mig.modules.RunContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original's outputs over the key tree of golden/sshkey (see its README) against this module's. */
class SshKeyGoldenTest {

    private static final String DIR = "/golden/sshkey/";
    private static final String RECORDED_AT = "/tmp/j18-sshkey-tree";

    @TempDir
    static Path tmp;

    static Path tree;
    static final SshKeyModule MODULE = new SshKeyModule();

    @BeforeAll
    static void copyTree() throws IOException, URISyntaxException {
        Path src = Path.of(SshKeyGoldenTest.class.getResource(DIR + "tree").toURI());
        tree = tmp.resolve("tree");
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Path dst = tree.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
        Files.createSymbolicLink(tree.resolve("carol/link-to-key"), Path.of("../alice/.ssh/id_rsa"));
        byte[] pub = Files.readAllBytes(tree.resolve("alice/.ssh/id_rsa.pub"));
        byte[] big = new byte[1_100_001 + pub.length];
        java.util.Arrays.fill(big, 0, 1_100_000, (byte) 'a');
        big[1_100_000] = '\n';
        System.arraycopy(pub, 0, big, 1_100_001, pub.length);
        Files.write(tree.resolve("carol/big"), big);
    }

    static String resource(String name) {
        try (InputStream in = SshKeyGoldenTest.class.getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(RECORDED_AT, tree.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RunContext context() {
        return RunContext.withTimeout(Duration.ofMinutes(1));
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(null);
        return s;
    }

    @Test
    void localModeFindsWhatTheOriginalFound() throws ParameterException {
        for (String c : List.of("tree", "depth2", "depth3", "one-file")) {
            List<String> args = resource(c + ".args").lines().toList();
            ModuleResult r = MODULE.run(MODULE.parseArgs(args), context());
            List<String> expected = resource(c + ".stdout").lines().toList();
            assertEquals(sorted(expected), sorted(MODULE.printResults(r, true)), c);
            assertTrue(r.success(), c);
        }
    }

    @Test
    void theAgentsJsonAndPrettyLinesAreTheOriginals() {
        JsonNode params = GoJson.tree("{\"paths\":[" + GoJson.marshal(tree.toString()) + "]}");
        ModuleResult r = MODULE.run(params, context());
        JsonNode expected = GoJson.tree(resource("tree.result.json"));
        JsonNode ours = GoJson.tree(GoJson.marshal(r));
        assertEquals(expected.get("foundanything"), ours.get("foundanything"));
        assertEquals(expected.get("success"), ours.get("success"));
        assertEquals(expected.get("statistics"), ours.get("statistics"));
        assertEquals(expected.get("errors"), ours.get("errors"));
        List<String> want = new ArrayList<>();
        expected.get("elements").get("keys").forEach(k -> want.add(GoJson.marshal(k)));
        List<String> got = new ArrayList<>();
        ours.get("elements").get("keys").forEach(k -> got.add(GoJson.marshal(k)));
        assertEquals(sorted(want), sorted(got));
        // field order as the original's KeyInfo struct
        assertTrue(GoJson.marshal(r).contains("{\"fingerprint_md5\":\""), GoJson.marshal(r));
        assertTrue(GoJson.marshal(r).contains("\",\"encrypted\":true,\"type\":\"private\"}"), GoJson.marshal(r));
        assertEquals(sorted(resource("tree.pretty").lines().toList()), sorted(MODULE.printResults(r, false)));
    }

    @Test
    void everyBadParametersDocumentGetsTheOriginalsResult() {
        List<String> lines = resource("bad-parameters.jsonl").lines().toList();
        assertEquals(8, lines.size());
        for (String line : lines) {
            JsonNode rec = GoJson.tree(line);
            ModuleResult r = MODULE.run(rec.get("parameters"), context());
            assertEquals(rec.get("result"), GoJson.tree(GoJson.marshal(r)), line);
        }
    }

    @Test
    void helpAndFlagsAreTheOriginals() throws ParameterException {
        assertEquals(resource("help.stdout"), MODULE.help());
        assertNull(MODULE.parseArgs(List.of("help")));
        assertEquals("{\"paths\":null,\"maxdepth\":0}", GoJson.marshalInOrder(MODULE.parseArgs(List.of())));
        assertEquals(
                "{\"paths\":[\"/a\",\"/b\"],\"maxdepth\":16}",
                GoJson.marshalInOrder(MODULE.parseArgs(List.of("-path", "/a", "-path=/b", "-maxdepth", "0x10"))));
        assertEquals(
                "invalid value \"x\" for flag -maxdepth: parse error",
                org.junit.jupiter.api.Assertions.assertThrows(
                                ParameterException.class, () -> MODULE.parseArgs(List.of("-maxdepth", "x")))
                        .getMessage());
        assertEquals(
                "maxdepth should be specified from 0-1000",
                org.junit.jupiter.api.Assertions.assertThrows(
                                ParameterException.class, () -> MODULE.parseArgs(List.of("-maxdepth", "1001")))
                        .getMessage());
        assertEquals(
                "flag needs an argument: -path",
                org.junit.jupiter.api.Assertions.assertThrows(
                                ParameterException.class, () -> MODULE.parseArgs(List.of("-path")))
                        .getMessage());
    }
}
