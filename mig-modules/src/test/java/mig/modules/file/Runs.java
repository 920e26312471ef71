package mig.modules.file;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.RunContext;

/** Runs the file module the way the agent does and reads its results back as the original's client would. */
final class Runs {

    private Runs() {}

    /** A context on the fixed test clock, with an hour to go. */
    static RunContext context(int parallelism) {
        return new RunContext(
                TestTree.NOW.plus(Duration.ofHours(1)),
                Clock.fixed(TestTree.NOW, ZoneOffset.UTC),
                parallelism,
                RunContext.DEFAULT_MAX_RESULT_BYTES);
    }

    static ModuleResult run(String json) {
        return run(json, context(2));
    }

    static ModuleResult run(String json, RunContext context) {
        return new FileModule().run(GoJson.tree(json), context);
    }

    /** One search {@code s1} over {@code paths} with the given body fields (JSON without braces). */
    static String search(String body) {
        return "{\"searches\":{\"s1\":{" + body + "}}}";
    }

    /** The result as the original's JSON text would be read back. */
    static JsonNode json(ModuleResult r) {
        return GoJson.tree(GoJson.marshal(r));
    }

    /** Every non-empty file of a label's entries, sorted. */
    static TreeSet<String> files(ModuleResult r, String label) {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode mf : json(r).get("elements").get(label)) {
            if (!mf.get("file").asText().isEmpty()) {
                out.add(mf.get("file").asText());
            }
        }
        return out;
    }

    /** Every entry of a label, in order. */
    static List<JsonNode> entries(ModuleResult r, String label) {
        List<JsonNode> out = new ArrayList<>();
        json(r).get("elements").get(label).forEach(out::add);
        return out;
    }

    static List<String> errors(ModuleResult r) {
        return r.errors() == null ? List.of() : r.errors();
    }

    static Map<String, Object> stats(ModuleResult r) {
        return GoJson.mapper()
                .convertValue(
                        json(r).get("statistics"),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    }
}
