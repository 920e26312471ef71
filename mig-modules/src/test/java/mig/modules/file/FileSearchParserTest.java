package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import mig.common.json.GoJson;
import mig.modules.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code mig file} flags and help, as the original client. */
class FileSearchParserTest {

    private final FileModule module = new FileModule();

    private JsonNode parse(String... args) throws ParameterException {
        return module.parseArgs(List.of(args));
    }

    @Test
    void buildsTheOriginalsParametersInTheOriginalsFieldOrder() throws Exception {
        JsonNode ours = parse("-path", "/usr", "-name", "^wget$");
        JsonNode theirs = GoJson.tree(Golden.text("action-print-file-name.json"))
                .get("operations")
                .get(0)
                .get("parameters");
        assertEquals(theirs, ours);
        assertEquals(Golden.shape(theirs), Golden.shape(ours));
        assertEquals(
                "{\"searches\":{\"s1\":{\"paths\":[\"/usr\"],\"names\":[\"^wget$\"],\"options\":{\"maxdepth\":1000,"
                        + "\"maxerrors\":30,\"matchall\":true,\"macroal\":false,\"mismatch\":null,\"matchlimit\":1000}}}}",
                GoJson.marshal(GoJson.unmarshal(ours.toString(), FileParameters.class)));
    }

    @Test
    void acceptsEveryFlagOfTheOriginal() throws Exception {
        JsonNode p = parse(
                "-path",
                "/a/path",
                "-name",
                "^.*testfile.*$",
                "-content",
                "content match",
                "-size",
                "<10k",
                "-size",
                ">1",
                "-mode",
                "-rw-r--r--",
                "-mtime",
                "<1h",
                "-md5",
                "e499c1912bd9af4f7e8ccaf27f7b04d2",
                "-sha1",
                "d7bbc3dd7adf6e347c93a4c8b9bfb8ef4748c0fb",
                "-sha2",
                "4d8ef27c4415d71cbbfad1eaa97d6f2a3ddacc9708b66efbb726133b9fd3d79a",
                "-sha3",
                "a7ba1e66174848ecea143b612f22168b006979e3827e09f0ae6395e8",
                "-matchany",
                "-matchall",
                "-macroal",
                "-mismatch",
                "content",
                "-matchlimit",
                "10",
                "-maxdepth",
                "2",
                "-maxerrors",
                "31",
                "-verbose",
                "-decompress",
                "-returnsha256");
        assertEquals(
                "{\"searches\":{\"s1\":{\"paths\":[\"/a/path\"],\"contents\":[\"content match\"],"
                        + "\"names\":[\"^.*testfile.*$\"],\"sizes\":[\"<10k\",\">1\"],\"modes\":[\"-rw-r--r--\"],\"mtimes\":[\"<1h\"],"
                        + "\"md5\":[\"e499c1912bd9af4f7e8ccaf27f7b04d2\"],\"sha1\":[\"d7bbc3dd7adf6e347c93a4c8b9bfb8ef4748c0fb\"],"
                        + "\"sha2\":[\"4d8ef27c4415d71cbbfad1eaa97d6f2a3ddacc9708b66efbb726133b9fd3d79a\"],"
                        + "\"sha3\":[\"a7ba1e66174848ecea143b612f22168b006979e3827e09f0ae6395e8\"],\"options\":{\"maxdepth\":2,"
                        + "\"maxerrors\":31,\"matchall\":false,\"macroal\":true,\"mismatch\":[\"content\"],\"matchlimit\":10,"
                        + "\"returnsha256\":true,\"decompress\":true}}}}",
                inOrder(p));
    }

    /** The JSON text in the node's own field order (what {@code mig file -p} shows). */
    private static String inOrder(JsonNode n) {
        return n.toString();
    }

    @Test
    void understandsGoFlagSyntax() throws Exception {
        JsonNode p = parse("--path=/etc", "-name", "-weird-name", "-matchall=false", "-maxdepth=1e1", "--");
        JsonNode s = p.get("searches").get("s1");
        assertEquals("/etc", s.get("paths").get(0).asText());
        assertEquals("-weird-name", s.get("names").get(0).asText());
        assertEquals(false, s.get("options").get("matchall").asBoolean());
        assertEquals(10, s.get("options").get("maxdepth").asInt());
    }

    @Test
    void takesSha256Sha384AndSha512AsSha2() throws Exception {
        JsonNode s = parse(
                        "-path", "/", "-sha256", "a".repeat(64), "-sha384", "b".repeat(96), "-sha512", "c".repeat(128))
                .get("searches")
                .get("s1");
        assertEquals(3, s.get("sha2").size());
        JsonNode mixed = parse(
                        "-path", "/", "-sha2", "1".repeat(64), "-sha256", "a".repeat(64), "-sha2", "2".repeat(64))
                .get("searches")
                .get("s1")
                .get("sha2");
        assertEquals(
                List.of("1".repeat(64), "a".repeat(64), "2".repeat(64)),
                List.of(
                        mixed.get(0).asText(),
                        mixed.get(1).asText(),
                        mixed.get(2).asText()),
                "command-line order");
        ParameterException e = assertThrows(ParameterException.class, () -> parse("-path", "/", "-sha256", "abc"));
        assertEquals(
                "invalid value \"abc\" for flag -sha256: a SHA-256 hash is 64 hexadecimal characters", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "-path /x -nope 1|flag provided but not defined: -nope",
                "-path|flag needs an argument: -path",
                "-path /x -maxdepth abc|invalid value \"abc\" for flag -maxdepth: parse error",
                "-path /x -maxdepth 1e999|invalid value \"1e999\" for flag -maxdepth: value out of range",
                "-path /x -matchall=yes|invalid boolean value \"yes\" for -matchall: parse error",
                "-path /x ---name y|bad flag syntax: ---name",
                "-path /x -name y extra|unexpected argument 'extra': every search parameter is a flag",
                "-name y|invalid empty search path, must have at least one search path",
                "-path /x -size 12x|Invalid size format for size '12x'. Must match regex ^(<|>)?[0-9]*(k|m|g|t)?$",
                "-path /x -maxdepth -1|option maxdepth must be a whole number from 0 up (0 means no limit), got -1"
            })
    void refusesBadFlagsWithTheOriginalsMessages(String args, String message) {
        ParameterException e = assertThrows(ParameterException.class, () -> module.parseArgs(List.of(args.split(" "))));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void helpIsTheOriginalsText() {
        // the retired mig.mozilla.org gives way to this project's docs
        assertEquals(
                Golden.text("help.txt")
                        .replace(
                                "Module documentation is at http://mig.mozilla.org/doc/module_file.html",
                                "Module documentation is in docs/modules/file.md of MIG for Java (the folder bin/mig runs from)")
                        .replace(
                                "Cheatsheet and examples are at http://mig.mozilla.org/doc/cheatsheet.rst.html",
                                "Cheatsheet and examples are in docs/cheatsheet.md"),
                module.help());
        for (List<String> ask : List.of(
                List.<String>of(), List.of("help"), List.of(""), List.of("-h"), List.of("-path", "/", "-help"))) {
            ParameterException e = assertThrows(ParameterException.class, () -> module.parseArgs(ask));
            assertEquals(module.help(), e.getMessage());
        }
    }
}
