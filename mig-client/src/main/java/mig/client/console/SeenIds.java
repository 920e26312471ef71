package mig.client.console;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids the console has shown (search results, dashboard, launches), per kind, for Tab completion of
 * {@code action <id>}, {@code agent <id>}... Newest first, at most {@value #KEEP} per kind.
 */
final class SeenIds {
    static final int KEEP = 200;
    private final Map<String, LinkedHashSet<String>> byKind = new ConcurrentHashMap<>();

    void saw(String kind, long id) {
        LinkedHashSet<String> ids = byKind.computeIfAbsent(kind, k -> new LinkedHashSet<>());
        synchronized (ids) {
            String s = Long.toString(id);
            ids.remove(s);
            ids.add(s);
            while (ids.size() > KEEP) {
                ids.remove(ids.iterator().next());
            }
        }
    }

    List<String> of(String kind) {
        LinkedHashSet<String> ids = byKind.get(kind);
        if (ids == null) {
            return List.of();
        }
        synchronized (ids) {
            List<String> out = new ArrayList<>(ids);
            java.util.Collections.reverse(out);
            return out;
        }
    }
}
