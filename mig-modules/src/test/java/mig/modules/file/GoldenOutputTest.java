package mig.modules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our printer on the original's recorded results prints exactly the original's recorded lines, and
 * our results have the original's JSON shape field for field.
 */
class GoldenOutputTest {

    private final FileModule module = new FileModule();

    private static ModuleResult recorded(String name) {
        return GoJson.unmarshal(Golden.text(name), ModuleResult.class);
    }

    /** The client's lines for agent {@code vm}, without the prefix and the client's own "command success". */
    private static List<String> clientLines(String name) {
        return Golden.lines(name).stream()
                .filter(l -> !l.equals("vm command success"))
                .map(l -> l.substring("vm ".length()))
                .toList();
    }

    @Test
    void printsTheOriginalsLinesForTheRecordedWgetSearch() {
        assertEquals(clientLines("inv1-wget.stdout"), module.printResults(recorded("inv1-wget.result.json"), false));
    }

    @Test
    void printsTheOriginalsFoundLineForTheRecordedSha2Search() {
        List<String> ours = module.printResults(recorded("sha2-usr.result.json"), false);
        assertEquals(Golden.lines("sha2-usr.expected"), ours);
        assertEquals(clientLines("inv2-sha.stdout").get(0), ours.get(0));
    }

    @Test
    void printsErrorsAndStatisticsOnlyWhenAllResultsAreShown() {
        assertEquals(
                Golden.lines("hostname-etc.expected"),
                module.printResults(recorded("hostname-etc.result.json"), false));
        assertEquals(
                Golden.lines("hostname-etc.expected").subList(0, 1),
                module.printResults(recorded("hostname-etc.result.json"), true));
    }

    @Test
    void printsMatchanyChecksAndEmptyEntriesAsTheOriginal() {
        String json = "{\"foundanything\":true,\"success\":true,\"elements\":{\"s1\":["
                + "{\"file\":\"/etc/passwd\",\"search\":{\"paths\":[\"/etc\"],\"names\":[\"^passwd$\"],\"options\":"
                + "{\"maxdepth\":0,\"maxerrors\":0,\"matchall\":false,\"macroal\":false,\"mismatch\":null,\"matchlimit\":0}},"
                + "\"fileinfo\":{\"size\":1532.0,\"mode\":\"-rw-r--r--\",\"lastmodified\":\"2024-01-02 03:04:05 +0000 UTC\","
                + "\"sha256\":\"ABCDEF\"}},"
                + "{\"file\":\"\",\"search\":{\"paths\":[\"/etc\"],\"sha2\":[\"AB\"],\"md5\":[\"CD\"],\"options\":"
                + "{\"matchall\":false}},\"fileinfo\":{\"size\":0,\"mode\":\"\",\"lastmodified\":\"\"}}]},"
                + "\"statistics\":{\"filescount\":10,\"openfailed\":0,\"totalhits\":1,\"exectime\":\"1.5ms\"},\"errors\":null}";
        ModuleResult r = GoJson.unmarshal(json, ModuleResult.class);
        assertEquals(
                List.of(
                        "/etc/passwd [lastmodified:2024-01-02 03:04:05 +0000 UTC, mode:-rw-r--r--, size:1532, sha256:abcdef] in "
                                + "search 's1' on checks name='^passwd$'",
                        "0 match found in search 's1' on checks md5='CD' sha2='AB'",
                        "Statistics: 10 files checked, 0 failed to open, 1 matched, ran in 1.5ms."),
                module.printResults(r, false));
        assertEquals(List.of(module.printResults(r, false).get(0)), module.printResults(r, true));
    }

    @Test
    void aResultHasTheOriginalsShapeFieldForField(@TempDir Path tmp) throws Exception {
        Path usr = Files.createDirectories(tmp.toRealPath().resolve("usr/bin"));
        Files.writeString(usr.resolve("wget"), "binary");
        Files.createSymbolicLink(usr.resolve("dangling"), usr.resolve("nowhere"));
        ModuleResult r =
                Runs.run(Runs.search("\"paths\":[\"" + usr.getParent() + "\"],\"names\":[\"^wget$|^dangling$\"],"
                        + "\"options\":{\"maxdepth\":1000,\"maxerrors\":30,\"matchall\":true,\"macroal\":false,"
                        + "\"mismatch\":null,\"matchlimit\":1000}"));
        JsonNode ours = GoJson.tree(GoJson.marshal(r));
        JsonNode theirs = GoJson.tree(Golden.text("local-file-name.module-output.json"));
        assertEquals(Golden.shape(theirs), Golden.shape(ours));
        assertEquals(
                theirs.get("elements")
                        .get("s1")
                        .get(0)
                        .get("search")
                        .toString()
                        .replace("/usr", usr.getParent().toString())
                        .replace("^wget$", "^wget$|^dangling$"),
                ours.get("elements").get("s1").get(0).get("search").toString());
    }

    @Test
    void privacyMasksARecordedResultAndKeepsTheOriginalsFieldOrder() {
        ModuleResult r = module.enhancePrivacy(
                GoJson.unmarshal(Golden.text("local-file-name.module-output.json"), ModuleResult.class));
        // as the original: elements are re-encoded from its structs, statistics stay a generic (sorted) map
        assertEquals(
                "{\"foundanything\":true,\"success\":true,\"elements\":{\"s1\":[{\"file\":\"masked\","
                        + "\"search\":{\"paths\":[\"/usr\"],\"names\":[\"^wget$\"],\"options\":{\"maxdepth\":0,\"maxerrors\":0,"
                        + "\"matchall\":true,\"macroal\":false,\"mismatch\":null,\"matchlimit\":0}},\"fileinfo\":{\"size\":470384,"
                        + "\"mode\":\"-rwxr-xr-x\",\"lastmodified\":\"2025-03-03 13:32:32 +0000 UTC\"}}]},\"statistics\":"
                        + "{\"exectime\":\"2.214583337s\",\"filescount\":137489,\"openfailed\":2,\"totalhits\":1},"
                        + "\"errors\":[\"masked\",\"masked\"]}",
                GoJson.marshal(r));
    }
}
