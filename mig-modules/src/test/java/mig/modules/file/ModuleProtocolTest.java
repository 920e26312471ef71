package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.Module;
import mig.modules.ModuleMessages;
import mig.modules.Modules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mig-agent -m file} (with and without {@code -p}) and discovery, through the SPI. */
class ModuleProtocolTest {

    @TempDir
    Path tmp;

    private String runFromStdin(String stdin, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ModuleMessages.runFromStdin(
                Modules.get("file").orElseThrow(),
                new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                pretty,
                Duration.ofMinutes(1));
        assertEquals(0, code);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void isFoundByName() {
        Module m = Modules.get("file").orElseThrow();
        assertTrue(m instanceof FileModule);
    }

    @Test
    void printsTheResultJsonInTheOriginalsFieldOrder() throws Exception {
        Path dir = tmp.toRealPath();
        TestTree.perms(Files.writeString(dir.resolve("hostname"), "vm\n"), "rw-r--r--");
        String params = "{\"searches\":{\"s1\":{\"paths\":[\"" + dir + "\"],\"names\":[\"^hostname$\"],"
                + "\"options\":{\"maxdepth\":1000,\"maxerrors\":30,\"matchall\":true,\"macroal\":false,"
                + "\"mismatch\":null,\"matchlimit\":1000}}}}";
        String out = runFromStdin(ModuleMessages.parametersMessage(GoJson.tree(params)) + "\n", false);
        assertTrue(
                out.startsWith("{\"foundanything\":true,\"success\":true,\"elements\":{\"s1\":[{\"file\":\"" + dir
                        + "/hostname\",\"search\":{\"paths\":[\"" + dir
                        + "\"],\"names\":[\"^hostname$\"],\"options\":{\"maxdepth\":0,"
                        + "\"maxerrors\":0,\"matchall\":true,\"macroal\":false,\"mismatch\":null,\"matchlimit\":0}},\"fileinfo\":"
                        + "{\"size\":3,\"mode\":\"-rw-r--r--\",\"lastmodified\":\""),
                out);
        assertTrue(
                out.matches(
                        "(?s).*\"statistics\":\\{\"filescount\":1,\"openfailed\":0,\"totalhits\":1,\"exectime\":\"[^\"]+\"},"
                                + "\"errors\":null}\n"),
                out);
    }

    @Test
    void printsTheOriginalsLinesWithDashP() throws Exception {
        Path dir = tmp.toRealPath();
        TestTree.perms(Files.writeString(dir.resolve("hostname"), "vm\n"), "rw-r--r--");
        String params =
                Runs.search("\"paths\":[\"" + dir + "\"],\"names\":[\"^hostname$\"],\"options\":{\"matchall\":true}");
        List<String> lines = runFromStdin(ModuleMessages.parametersMessage(GoJson.tree(params)) + "\n", true)
                .lines()
                .toList();
        assertEquals(2, lines.size());
        assertTrue(
                lines.get(0)
                        .matches(dir + "/hostname \\[lastmodified:[-0-9]+ [:.0-9]+ \\+0000 UTC, mode:-rw-r--r--, "
                                + "size:3\\] in search 's1'"),
                lines.get(0));
        assertTrue(
                lines.get(1).matches("Statistics: 1 files checked, 0 failed to open, 1 matched, ran in .+\\."),
                lines.get(1));
    }

    @Test
    void runsLocallyFromTheClientsFlagsAndPrintsTheOriginalsLines() throws Exception {
        Path dir = tmp.toRealPath();
        TestTree.perms(Files.writeString(dir.resolve("wget"), "elf"), "rw-r--r--");
        FileModule m = new FileModule();
        ModuleResult r = m.run(m.parseArgs(List.of("-path", dir.toString(), "-name", "^wget$")), Runs.context(1));
        List<String> lines = m.printResults(r, true);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith(dir + "/wget [lastmodified:"), lines.get(0));
        assertTrue(lines.get(0).endsWith(", mode:-rw-r--r--, size:3] in search 's1'"), lines.get(0));
    }

    @Test
    void aBadSearchStillGivesAResult() {
        String out = runFromStdin(
                "{\"class\":\"parameters\",\"parameters\":{\"searches\":{\"s1\":{\"paths\":[\"/\"],"
                        + "\"md5\":[\"NOTAMD5\"]}}}}\n",
                false);
        assertEquals(
                "{\"foundanything\":false,\"success\":false,\"elements\":{},\"statistics\":{\"filescount\":0,"
                        + "\"openfailed\":0,\"totalhits\":0,\"exectime\":\"\"},\"errors\":[\"search 's1': Invalid checksum format for"
                        + " hash 'NOTAMD5'. Must match regex ^[A-F0-9]{32}$\"]}\n",
                out);
    }
}
