package mig.modules.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mig.common.json.GoJson;

/**
 * Turns the scan's per-process outcomes into the original's result elements:
 * {@code {"<label>": [{"process": {"name", "pid"}, "search": {...}}]}}.
 *
 * <ul>
 *   <li>With {@code matchall}: one entry per process that matched every check of the search,
 *       echoing the whole search (offset and maxlength cleared).</li>
 *   <li>Without: one entry per (check, process) that matched, echoing only that check.</li>
 *   <li>Nothing matched: one entry with an empty name and pid 0 (per check without
 *       {@code matchall}), which the printer shows as "0 match found".</li>
 * </ul>
 *
 * <p>Entries past the result size bound are counted in {@link #dropped()} but not kept.
 */
final class MemoryResults {

    private final long maxBytes;
    private long used;
    private long hits;
    private long dropped;

    MemoryResults(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Elements by label; a search without any check maps to null, as in the original. */
    Map<String, List<MatchedProcess>> elements(List<CompiledSearch> searches, List<ProcessScanner.Outcome> outcomes) {
        Map<String, List<MatchedProcess>> out = new TreeMap<>();
        for (CompiledSearch s : searches) {
            out.put(s.label(), s.matchAll() ? matchAll(s, outcomes) : matchAny(s, outcomes));
        }
        return out;
    }

    private List<MatchedProcess> matchAll(CompiledSearch s, List<ProcessScanner.Outcome> outcomes) {
        MemorySearch echo = new MemorySearch(
                s.source().description(),
                s.source().names(),
                s.source().libraries(),
                s.source().bytes(),
                s.source().contents(),
                new MemoryOptions(0, 0, s.source().options().logFailures(), true));
        List<MatchedProcess> entries = new ArrayList<>();
        int n = s.checks().size();
        for (ProcessScanner.Outcome o : outcomes) {
            if (n > 0 && o.matched().get(s.index()).cardinality() == n) {
                keep(entries, new MatchedProcess(new MatchedProcess.ProcessRef(o.name(), o.pid()), echo));
            }
        }
        if (entries.isEmpty()) {
            entries.add(new MatchedProcess(new MatchedProcess.ProcessRef("", 0), echo));
        }
        return entries;
    }

    private List<MatchedProcess> matchAny(CompiledSearch s, List<ProcessScanner.Outcome> outcomes) {
        if (s.checks().isEmpty()) {
            return null;
        }
        List<MatchedProcess> entries = new ArrayList<>();
        for (int i = 0; i < s.checks().size(); i++) {
            MemorySearch echo = only(s.checks().get(i));
            boolean any = false;
            for (ProcessScanner.Outcome o : outcomes) {
                if (o.matched().get(s.index()).get(i)) {
                    any = true;
                    keep(entries, new MatchedProcess(new MatchedProcess.ProcessRef(o.name(), o.pid()), echo));
                }
            }
            if (!any) {
                entries.add(new MatchedProcess(new MatchedProcess.ProcessRef("", 0), echo));
            }
        }
        return entries;
    }

    /** A search holding one check's value, as match-any entries echo it. */
    private static MemorySearch only(CompiledSearch.Check c) {
        List<String> v = List.of(c.value());
        List<String> none = List.of();
        return switch (c.kind()) {
            case NAME -> new MemorySearch(null, v, none, none, none, MemoryOptions.NONE);
            case LIBRARY -> new MemorySearch(null, none, v, none, none, MemoryOptions.NONE);
            case CONTENT -> new MemorySearch(null, none, none, none, v, MemoryOptions.NONE);
            case BYTES -> new MemorySearch(null, none, none, v, none, MemoryOptions.NONE);
        };
    }

    private void keep(List<MatchedProcess> entries, MatchedProcess e) {
        hits++;
        long size = GoJson.marshal(e).length() + 1L;
        if (used + size > maxBytes) {
            dropped++;
            return;
        }
        used += size;
        entries.add(e);
    }

    /** Entries naming a process (the statistics' {@code totalhits}). */
    long hits() {
        return hits;
    }

    /** Entries not kept because the result reached its size bound. */
    long dropped() {
        return dropped;
    }

    /** Adds failures while the result stays within its bound; returns how many did not fit. */
    int keepFailures(List<String> failures, List<String> into) {
        int left = 0;
        for (String f : failures) {
            long size = f.length() + 3L;
            if (used + size > maxBytes) {
                left++;
            } else {
                used += size;
                into.add(f);
            }
        }
        return left;
    }
}
