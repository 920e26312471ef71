package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid parameters get the original's message (naming the value and the rule) in {@code errors},
 * the run is not a success, and the other searches still run.
 */
class BadParametersTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(
                        "\"names\":[\"(unclosed\"]",
                        "Invalid regexp '(unclosed'. Must be a regexp. Compilation failed with 'error parsing regexp: "),
                Arguments.of("\"names\":[\"\"]", "Empty values are not permitted"),
                Arguments.of(
                        "\"contents\":[\"!a(?=b)\"]",
                        "Invalid regexp 'a(?=b)'. Must be a regexp. Compilation failed"
                                + " with 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'"),
                Arguments.of("\"modes\":[\"[z-a]\"]", "Invalid regexp '[z-a]'."),
                Arguments.of(
                        "\"sizes\":[\"10q\"]",
                        "Invalid size format for size '10q'. Must match regex " + "^(<|>)?[0-9]*(k|m|g|t)?$"),
                Arguments.of("\"sizes\":[\">k\"]", "Invalid size format for size '>k': a number is required"),
                Arguments.of("\"sizes\":[\"99999999999999999999t\"]", "Invalid size '99999999999999999999t': larger"),
                Arguments.of(
                        "\"mtimes\":[\"10d\"]",
                        "Invalid mtime format for mtime '10d'. Must match regex " + "^(<|>)[0-9]*(d|h|m)$"),
                Arguments.of("\"mtimes\":[\"<d\"]", "Invalid mtime format for mtime '<d': a number is required"),
                Arguments.of("\"mtimes\":[\">999999999d\"]", "Invalid mtime '>999999999d': the period exceeds"),
                Arguments.of(
                        "\"md5\":[\"xyz\"]", "Invalid checksum format for hash 'XYZ'. Must match regex ^[A-F0-9]{32}$"),
                Arguments.of(
                        "\"sha1\":[\"" + "g".repeat(40) + "\"]",
                        "Invalid checksum format for hash '" + "G".repeat(40) + "'. Must match regex ^[A-F0-9]{40}$"),
                Arguments.of("\"sha2\":[\"abcd\"]", "Invalid hash length for sha2 hash 'abcd': must be 64, 96 or 128"),
                Arguments.of("\"sha3\":[\"" + "a".repeat(40) + "\"]", "Invalid hash length for sha3 hash '"),
                Arguments.of(
                        "\"names\":[\"x\"],\"options\":{\"mismatch\":[\"nmae\"]}",
                        "The syntax of filter 'nmae' is "
                                + "invalid. Must match regex ^(name|size|mode|mtime|content|md5|sha1|sha2|sha3)$"),
                Arguments.of(
                        "\"names\":[\"x\"],\"options\":{\"maxdepth\":-1}",
                        "option maxdepth must be a whole number " + "from 0 up (0 means no limit), got -1"),
                Arguments.of(
                        "\"names\":[\"x\"],\"options\":{\"matchlimit\":2.5}",
                        "option matchlimit must be a whole " + "number from 0 up (0 means no limit), got 2.5"),
                Arguments.of(
                        "\"names\":[\"x\"],\"options\":{\"maxdepht\":3}",
                        "unknown option 'maxdepht' (known: "
                                + "maxdepth, maxerrors, remotefs, matchall, macroal, mismatch, matchlimit, debug, returnsha256, "
                                + "decompress)"),
                Arguments.of(
                        "\"name\":[\"x\"]", "unknown parameter 'name' (known: description, paths, contents, names"),
                Arguments.of("\"names\":\"x\"", "names must be a list of strings, got the string \"x\""),
                Arguments.of(
                        "\"names\":[\"x\"],\"options\":{\"matchall\":\"yes\"}",
                        "option matchall must be true or false, got the string \"yes\""));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesAnInvalidSearchWhileTheOthersStillRun(String bad, String message) throws Exception {
        Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n");
        ModuleResult r = Runs.run("{\"searches\":{"
                + "\"bad\":{\"paths\":[\"" + tmp + "\"]," + bad + "},"
                + "\"good\":{\"paths\":[\"" + tmp + "\"],\"names\":[\"^hosts$\"],\"options\":{\"matchall\":true}}}}");
        assertFalse(r.success());
        assertTrue(r.foundAnything());
        assertEquals(1, Runs.files(r, "good").size());
        assertFalse(Runs.json(r).get("elements").has("bad"));
        String first = r.errors().get(0);
        assertTrue(first.startsWith("search 'bad': " + message), () -> first);
    }

    @Test
    void aSearchWithoutPathsIsRefused() {
        ModuleResult r = Runs.run(Runs.search("\"names\":[\"x\"]"));
        assertEquals(List.of("search 's1': invalid empty search path, must have at least one search path"), r.errors());
    }

    @Test
    void whenEverySearchIsRefusedTheResultHasTheOriginalsFailureShape() {
        ModuleResult r = Runs.run(Runs.search("\"paths\":[\"/\"],\"sizes\":[\"big\"]"));
        assertEquals(
                "{\"foundanything\":false,\"success\":false,\"elements\":{},\"statistics\":{\"filescount\":0,"
                        + "\"openfailed\":0,\"totalhits\":0,\"exectime\":\"\"},\"errors\":[\"search 's1': Invalid size format for"
                        + " size 'big'. Must match regex ^(\\u003c|\\u003e)?[0-9]*(k|m|g|t)?$\"]}",
                GoJson.marshal(r));
    }

    @Test
    void labelsFollowTheOriginalsRule() {
        ModuleResult r = Runs.run("{\"searches\":{\"" + "x".repeat(65) + "\":{\"paths\":[\"/nonexistent\"]},"
                + "\"\":{\"paths\":[\"/nonexistent\"]}}}");
        assertTrue(r.errors().contains("search '': empty labels are not permitted"), r.errors()::toString);
        assertTrue(
                r.errors()
                        .contains("search '" + "x".repeat(65) + "': The syntax of label '" + "x".repeat(65)
                                + "' is invalid. Must match regex ^([a-zA-Z0-9_-]|.){1,64}$"),
                r.errors()::toString);
    }

    @Test
    void parametersThatAreNotAnObjectAreRefusedWhole() {
        ModuleResult r = new FileModule().run(GoJson.tree("[1,2]"), Runs.context(1));
        assertFalse(r.success());
        assertTrue(r.errors().get(0).startsWith("file module parameters must be a JSON object"));
    }

    @Test
    void keysMatchCaseInsensitivelyAsInGo() throws Exception {
        Files.writeString(tmp.resolve("hosts"), "x\n");
        ModuleResult r = Runs.run("{\"Searches\":{\"s1\":{\"Paths\":[\"" + tmp + "\"],\"NAMES\":[\"^hosts$\"],"
                + "\"Options\":{\"MatchAll\":true}}}}");
        assertTrue(r.success(), () -> String.valueOf(r.errors()));
        assertEquals(1, Runs.files(r, "s1").size());
    }

    @Test
    void aMissingPathIsAWalkingErrorAndTheSearchStillSucceeds() {
        ModuleResult r = Runs.run(Runs.search(
                "\"paths\":[\"" + tmp.resolve("gone") + "\"],\"names\":[\"x\"]," + "\"options\":{\"matchall\":true}"));
        assertTrue(r.success());
        assertEquals(List.of("ERROR: open " + tmp.resolve("gone") + ": no such file or directory"), r.errors());
        assertEquals(1.0, ((Number) Runs.stats(r).get("openfailed")).doubleValue());
    }

    @Test
    void anUnreadableDirectoryIsAWalkingErrorUnlessWeAreRoot() throws Exception {
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.writeString(locked.resolve("secret"), "x\n");
        TestTree.perms(locked, "---------");
        try {
            ModuleResult r = Runs.run(Runs.search(
                    "\"paths\":[\"" + tmp + "\"],\"names\":[\"^secret$\"]," + "\"options\":{\"matchall\":true}"));
            if (Files.isReadable(locked)) {
                // root reads everything: the file is found and nothing fails
                assertEquals(1, Runs.files(r, "s1").size());
                assertEquals(null, r.errors());
            } else {
                assertEquals(List.of("ERROR: open " + locked + ": permission denied"), r.errors());
                assertEquals(1.0, ((Number) Runs.stats(r).get("openfailed")).doubleValue());
            }
        } finally {
            TestTree.perms(locked, "rwx------");
        }
    }
}
