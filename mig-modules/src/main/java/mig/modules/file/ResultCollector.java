package mig.modules.file;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mig.common.json.GoJson;

/**
 * Commits file outcomes in walk order (walker thread only) and builds the original's result from
 * them: the statistics, the hit counter that {@code matchlimit} is checked against, the walking
 * errors cut at {@code maxerrors}, and one list of matched files per search (matchall) or per check
 * (matchany), with the {@code ""} entry for whatever found nothing.
 *
 * <p>Memory is bounded: at most {@link #KEPT_ERRORS} error strings are kept (the rest are counted),
 * and once the estimated JSON size of the matches reaches the run's result cap, collecting stops.
 */
final class ResultCollector {

    /** Errors kept in memory at most, whatever maxerrors says. */
    static final int KEPT_ERRORS = 10_000;

    private final List<CompiledSearch> searches;
    private final long maxResultBytes;
    private final long keptErrors;
    private final List<Map<String, FileInfo>> allMatched = new ArrayList<>();
    private final List<List<Map<String, FileInfo>>> perCheck = new ArrayList<>();
    private final int[] searchJsonBytes;
    private final List<String> errors = new ArrayList<>();
    private long errorCount;
    private double filesCount;
    private double openFailed;
    private double totalHits;
    private long resultBytes;
    private boolean full;

    ResultCollector(List<CompiledSearch> searches, long maxResultBytes) {
        this.searches = searches;
        this.maxResultBytes = maxResultBytes;
        double maxErrors = 0;
        this.searchJsonBytes = new int[searches.size()];
        for (CompiledSearch s : searches) {
            maxErrors = Math.max(maxErrors, s.maxErrors);
            allMatched.add(new LinkedHashMap<>());
            List<Map<String, FileInfo>> checks = new ArrayList<>();
            for (int i = 0; i < s.checks.size(); i++) {
                checks.add(new LinkedHashMap<>());
            }
            perCheck.add(checks);
            searchJsonBytes[s.index] = GoJson.marshal(matchAllSearch(s)).length();
        }
        this.keptErrors = (long) Math.min(maxErrors, KEPT_ERRORS);
    }

    /** Commits one outcome (walker thread). */
    void commit(FileOutcome o) {
        if (o.counted()) {
            filesCount++;
        }
        if (o.openFailed()) {
            openFailed++;
        }
        for (String e : o.errors()) {
            addError(e);
        }
        if (o.hits().isEmpty() || full) {
            return;
        }
        double before = totalHits;
        for (FileOutcome.Hit h : o.hits()) {
            CompiledSearch s = searches.get(h.search());
            if (before >= s.matchLimit) {
                continue;
            }
            FileInfo info = s.returnSha256 ? o.info() : o.info().withSha256(null);
            if (s.matchAll) {
                if (allMatched.get(s.index).putIfAbsent(o.path(), info) == null) {
                    totalHits++;
                    grow(o.path(), searchJsonBytes[s.index]);
                }
            } else {
                for (int c : h.checks()) {
                    if (perCheck.get(s.index).get(c).putIfAbsent(o.path(), info) == null) {
                        totalHits++;
                        grow(o.path(), s.checks.get(c).value().length() + 160);
                    }
                }
            }
        }
    }

    private void grow(String path, int searchBytes) {
        resultBytes += 2L * path.length() + searchBytes + 120;
        if (resultBytes >= maxResultBytes) {
            full = true;
        }
    }

    /** A file that was inspected and matched nothing: order does not matter for a count. */
    void countFile() {
        filesCount++;
    }

    void addError(String e) {
        errorCount++;
        if (errors.size() < keptErrors) {
            errors.add(e);
        }
    }

    /** Whether the search may still record hits (its matchlimit is not reached). */
    boolean underLimit(CompiledSearch s) {
        return totalHits < s.matchLimit;
    }

    /** True when no search can record anything more: every matchlimit reached, or the size cap. */
    boolean exhausted() {
        if (full) {
            return true;
        }
        for (CompiledSearch s : searches) {
            if (underLimit(s)) {
                return false;
            }
        }
        return true;
    }

    /** True once the results reached the run's size cap. */
    boolean full() {
        return full;
    }

    double totalHits() {
        return totalHits;
    }

    /** The {@code elements} of the result, by label. */
    Map<String, List<MatchedFile>> elements() {
        Map<String, List<MatchedFile>> out = new TreeMap<>();
        for (CompiledSearch s : searches) {
            List<MatchedFile> list = new ArrayList<>();
            if (s.matchAll) {
                Search wire = matchAllSearch(s);
                for (Map.Entry<String, FileInfo> e : allMatched.get(s.index).entrySet()) {
                    list.add(new MatchedFile(e.getKey(), wire, e.getValue()));
                }
                if (list.isEmpty()) {
                    list.add(new MatchedFile("", wire, FileInfo.EMPTY));
                }
            } else {
                for (Check c : s.checks) {
                    Map<String, FileInfo> files = perCheck.get(s.index).get(c.index());
                    if (files.isEmpty()) {
                        list.add(new MatchedFile(
                                "", Search.ofSingleCheck(c.filter(), c.value(), s.wire.paths()), FileInfo.EMPTY));
                    }
                    for (Map.Entry<String, FileInfo> e : files.entrySet()) {
                        List<String> dir = List.of(GoPaths.dir(e.getKey()));
                        list.add(new MatchedFile(
                                e.getKey(), Search.ofSingleCheck(c.filter(), c.value(), dir), e.getValue()));
                    }
                }
            }
            out.put(s.label, list);
        }
        return out;
    }

    Statistics statistics(String execTime) {
        return new Statistics(filesCount, openFailed, totalHits, execTime);
    }

    /** The walking errors as the original returns them: at most maxerrors, then a line saying how many were left out. */
    List<String> errors() {
        List<String> out = new ArrayList<>(errors);
        if (errorCount > keptErrors) {
            out.add((errorCount - keptErrors) + " errors were not returned (max errors = " + keptErrors + ")");
        }
        return out;
    }

    /** What a matchall result echoes: the search as given, paths cleaned, three limits zeroed. */
    static Search matchAllSearch(CompiledSearch s) {
        return s.wire.withOptions(s.wire.options().withLimitsZeroed());
    }
}
