package mig.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import mig.common.json.GoJson;
import mig.common.pgp.KeyGen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our {@code mig}, run against the original API's recorded answers, prints what the original
 * client printed for the same investigations (recorded in {@code client-output/}): stdout byte for
 * byte, stderr byte for byte once the countdown digits, the progress bar and the elapsed time are
 * set aside. The file investigation replays its whole recorded session; netstat and memory replay
 * the same session with their module's operation and result in the command.
 */
class ClientOutputGoldenTest {

    @TempDir
    static Path tmp;

    static Path migrc;

    @BeforeAll
    static void investigator() throws IOException {
        KeyGen.Generated key = KeyGen.rsa("Golden Investigator <golden@example.net>", 2048);
        Path secret = Files.writeString(tmp.resolve("key.asc"), key.armoredSecretKey());
        migrc = tmp.resolve("migrc");
        Files.writeString(migrc, "[gpg]\n    secretkey = " + secret + "\n[targets]\n    macro = all:status='online'\n");
    }

    @Test
    void aFileSearchPrintsTheOriginalsLinesAndSummary() throws Exception {
        Run run = replay(UnaryOperator.identity(), "file", "-show", "all", "-path", "/usr/bin", "-name", "^wget$");
        assertEquals(0, run.code, run.err);
        assertEquals(golden("inv1-wget.stdout"), run.out);
        assertEquals(normalize(golden("inv1-wget.stderr")), normalize(run.err));
    }

    @Test
    void aNetstatSearchPrintsTheOriginalsLinesAndSummary() throws Exception {
        Run run = replay(
                withResult("netstat", List.of("-lp", "1664", "-lp", "22"), "inv3-result.json"),
                "netstat",
                "-show",
                "all",
                "-lp",
                "1664",
                "-lp",
                "22");
        assertEquals(0, run.code, run.err);
        assertEquals(golden("inv3-netstat.stdout"), run.out);
        assertEquals(normalize(golden("inv3-netstat.stderr")), normalize(run.err));
    }

    @Test
    void aMemorySearchPrintsTheOriginalsLinesAndSummary() throws Exception {
        Run run = replay(
                withResult(
                        "memory",
                        List.of("-name", "^bash$", "-content", "migref-memory-marker-[0-9]+"),
                        "inv4-result.json"),
                "memory",
                "-show",
                "all",
                "-name",
                "^bash$",
                "-content",
                "migref-memory-marker-[0-9]+");
        assertEquals(0, run.code, run.err);
        assertEquals(golden("inv4-memory.stdout"), run.out);
        assertEquals(normalize(golden("inv4-memory.stderr")), normalize(run.err));
    }

    @Test
    void showFoundPrintsOnlyFindingsAndSaysHowManyAgentsFoundSomething() throws Exception {
        // the recorded answers hold one successful command; the found filter is the API's, the printer's is ours
        Run run = replay(UnaryOperator.identity(), "file", "-path", "/usr/bin", "-name", "^wget$");
        assertEquals(0, run.code, run.err);
        assertEquals(
                "vm /usr/bin/wget [lastmodified:2025-03-03 13:32:32 +0000 UTC, mode:-rwxr-xr-x, size:470384]"
                        + " in search 's1'\n",
                run.out);
        assertTrue(run.err.contains("\u001b[31m1 agent has found results\u001b[0m\n"), run.err);
    }

    @Test
    void printingTheActionNeedsNoKeyAndMatchesTheOriginal() throws Exception {
        Run run = mig(List.of(
                "file",
                "-c",
                migrc.toString(),
                "-n",
                "file -p -t all -path /usr -name ^wget$ ",
                "-p",
                "-t",
                "all",
                "-path",
                "/usr",
                "-name",
                "^wget$"));
        assertEquals(0, run.code, run.err);
        assertEquals(golden("action-print-file-name.json"), run.out);
    }

    /** The netstat or memory operation and result in the recorded file session's answers. */
    private static UnaryOperator<String> withResult(String module, List<String> flags, String resultFile)
            throws Exception {
        JsonNode params =
                ((mig.modules.HasParamsParser) mig.modules.Modules.get(module).orElseThrow()).parseArgs(flags);
        JsonNode result = GoJson.tree(golden(resultFile));
        return body -> {
            JsonNode doc = GoJson.tree(body);
            for (JsonNode item : doc.path("collection").path("items")) {
                for (JsonNode data : item.path("data")) {
                    JsonNode v = data.path("value");
                    JsonNode action = v.has("action") ? v.get("action") : v;
                    if (action.has("operations")) {
                        ObjectNode op = (ObjectNode) action.get("operations").get(0);
                        op.put("module", module);
                        op.set("parameters", params);
                    }
                    if (v.has("results") && v.get("results").isArray()) {
                        ArrayNode results = (ArrayNode) v.get("results");
                        results.removeAll();
                        results.add(result);
                    }
                }
            }
            return doc.toString();
        };
    }

    private Run replay(UnaryOperator<String> rewrite, String module, String... flags) throws Exception {
        // the recorded action expired long ago; a follower would stop at once, so it expires in 2100 here
        UnaryOperator<String> fresh = body -> rewrite.apply(body)
                .replaceAll("\"expireafter\":\"[^\"]+\"", "\"expireafter\":\"2100-01-01T00:00:00Z\"");
        try (RecordedApi api = new RecordedApi(golden("http-stream-action1.txt"), fresh)) {
            Path rc = Files.writeString(
                    tmp.resolve("migrc-" + module),
                    "[api]\n    url = \"" + api.url() + "\"\n" + Files.readString(migrc));
            List<String> args =
                    new java.util.ArrayList<>(List.of(module, "-c", rc.toString(), "-nocountdown", "-t", "all"));
            args.addAll(List.of(flags));
            return mig(args);
        }
    }

    /** Sets aside what differs from run to run: countdown digits, progress redraws, elapsed time. */
    static String normalize(String stderr) {
        return stderr.replaceAll("(\u001b\\[33m[1-5]\u001b\\[0m )+", "")
                .replaceAll("Following action ID [0-9]+", "Following action ID <id>")
                .replaceAll("(?m)^(\r? ?\\d+ / \\d+[^\n]*)\n", "")
                .replaceAll("done in -?[0-9.]+[a-zµ]+[0-9.a-zµ]*", "done in <elapsed>");
    }

    static String golden(String name) throws IOException {
        try (InputStream in = ClientOutputGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /golden/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    record Run(int code, String out, String err) {}

    static Run mig(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        MigMain.Io io = new MigMain.Io(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]),
                false,
                false,
                new Colours(true),
                Clock.systemUTC());
        int code = MigMain.run(args, io);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
