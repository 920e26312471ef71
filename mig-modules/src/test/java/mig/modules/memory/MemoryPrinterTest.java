package mig.modules.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import org.junit.jupiter.api.Test;

/** The original's printed lines, from the recorded investigation and from hand-made results. */
class MemoryPrinterTest {

    private final MemoryModule module = new MemoryModule();

    @Test
    void printsTheRecordedInvestigationLineForLine() throws IOException {
        ModuleResult result = GoJson.unmarshal(resource("inv4-result.json"), ModuleResult.class);
        List<String> recorded = resource("inv4-memory.stdout")
                .lines()
                .map(l -> l.substring("vm ".length()))
                .filter(l -> !l.equals("command success")) // the client's own line, not the module's
                .toList();
        assertEquals(recorded, module.printResults(result, false));
        assertEquals(List.of(), module.printResults(result, true), "nothing found, nothing printed");
    }

    @Test
    void printsMatchesWithTheirChecksWhenNotMatchingAll() {
        ModuleResult result = GoJson.unmarshal("""
                {"foundanything":true,"success":true,"elements":{
                 "s2":[{"process":{"name":"/usr/sbin/sshd","pid":812},"search":{"names":["sshd"],"options":{}}},
                       {"process":{"name":"","pid":0},"search":{"libraries":["libfoo"],"options":{}}},
                       {"process":{"name":"/usr/sbin/sshd","pid":812},"search":{"bytes":["ff00"],"options":{}}}],
                 "s1":[{"process":{"name":"[kworker/0:1]","pid":12},"search":{"contents":["x+"],
                       "options":{"matchall":true}}}]},
                 "statistics":{"processcount":2,"memoryread":8192,"totalhits":3,"failures":["Unreadable memory 0-1000"],
                   "exectime":"3ms"},
                 "errors":["deadline reached after examining 2 of 9 processes; results are partial"]}""", ModuleResult.class);
        assertEquals(
                List.of(
                        "[kworker/0:1] [pid:12] in search 's1'",
                        "/usr/sbin/sshd [pid:812] in search 's2' on checks name='sshd'",
                        "0 match found in search 's2' on checks library='libfoo'",
                        "/usr/sbin/sshd [pid:812] in search 's2' on checks byte='ff00'",
                        "Failure: Unreadable memory 0-1000",
                        "deadline reached after examining 2 of 9 processes; results are partial",
                        "Statistics: 2 processes checked, 3 matched, 1 failures, ran in 3ms."),
                module.printResults(result, false));
        assertEquals(4 - 1, module.printResults(result, true).size());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MemoryPrinterTest.class.getResourceAsStream("/memory/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
