package mig.modules.memory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mig.common.ModuleResult;
import mig.common.json.GoJson;

/**
 * The original's human lines for a memory result, word for word:
 * {@code /usr/bin/bash [pid:42] in search 's1'} (plus {@code on checks content='...'} without
 * matchall), {@code 0 match found in search 's1'}, then unless found-only {@code Failure: ...}
 * lines, the errors, and {@code Statistics: N processes checked, N matched, N failures, ran in T.}
 * Searches print in label order (Go's map order was random).
 */
final class MemoryPrinter {

    private static final TypeReference<Map<String, List<MatchedProcess>>> ELEMENTS = new TypeReference<>() {};

    private MemoryPrinter() {}

    static List<String> print(ModuleResult result, boolean foundOnly) {
        Map<String, List<MatchedProcess>> elements;
        MemoryStatistics stats;
        try {
            elements = isAbsent(result.elements())
                    ? Map.of()
                    : new TreeMap<>(GoJson.mapper()
                            .readerFor(ELEMENTS)
                            .<Map<String, List<MatchedProcess>>>readValue(result.elements()));
            stats = isAbsent(result.statistics())
                    ? new MemoryStatistics(0, 0, 0, null, "")
                    : GoJson.mapper().treeToValue(result.statistics(), MemoryStatistics.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return List.of("cannot read the memory result: " + e.getMessage());
        }
        List<String> lines = new ArrayList<>();
        elements.forEach((label, entries) -> {
            for (MatchedProcess mp : entries == null ? List.<MatchedProcess>of() : entries) {
                lines.addAll(entry(label, mp, foundOnly));
            }
        });
        if (!foundOnly) {
            List<String> failures = stats.failures() == null ? List.of() : stats.failures();
            failures.forEach(f -> lines.add("Failure: " + f));
            if (result.errors() != null) {
                lines.addAll(result.errors());
            }
            lines.add("Statistics: " + stats.processCount() + " processes checked, " + stats.totalHits()
                    + " matched, " + failures.size() + " failures, ran in "
                    + (stats.exectime() == null ? "" : stats.exectime()) + ".");
        }
        return lines;
    }

    private static List<String> entry(String label, MatchedProcess mp, boolean foundOnly) {
        String out;
        if (mp.isNothing()) {
            if (foundOnly) {
                return List.of();
            }
            out = "0 match found in search '" + label + "'";
        } else {
            out = mp.process().name() + " [pid:" + mp.process().pid() + "] in search '" + label + "'";
        }
        MemorySearch s = mp.search() == null ? new MemorySearch(null, null, null, null, null, null) : mp.search();
        if (s.options().matchAll()) {
            return List.of(out);
        }
        StringBuilder sb = new StringBuilder(out).append(" on checks");
        s.names().forEach(v -> sb.append(" name='").append(v).append('\''));
        s.libraries().forEach(v -> sb.append(" library='").append(v).append('\''));
        s.contents().forEach(v -> sb.append(" content='").append(v).append('\''));
        s.bytes().forEach(v -> sb.append(" byte='").append(v).append('\''));
        return List.of(sb.toString());
    }

    private static boolean isAbsent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }
}
