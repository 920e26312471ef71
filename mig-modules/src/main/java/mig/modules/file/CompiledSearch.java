package mig.modules.file;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A validated search ready to run: its checks compiled, its paths cleaned and resolved, its limits
 * turned into numbers (0 meaning "no limit" already replaced), and the groups of checks the walker
 * and the reader need kept apart.
 */
final class CompiledSearch {

    /** Go's "pretty much infinity" for limits left at 0. */
    static final double UNLIMITED = 1125899906842624d;

    final int index;
    final String label;
    /** The search as given, with cleaned paths: what a matchall result echoes. */
    final Search wire;

    final List<Path> paths;
    final List<Check> checks;
    /** Name, mode, size and mtime checks, in the order the original applies them. */
    final List<Check> metadataChecks;

    final List<Check.ContentCheck> contentChecks;
    final List<Check.HashCheck> hashChecks;
    final Set<HashAlgo> algos;
    final boolean hasModeCheck;
    /** True when every check is a name check: the name alone decides a file, whatever matchall says. */
    final boolean onlyNames;

    final boolean matchAll;
    final boolean macroal;
    final boolean decompress;
    final boolean returnSha256;
    final long maxDepth;
    final double matchLimit;
    final double maxErrors;

    CompiledSearch(int index, String label, Search wire, List<Path> paths, List<Check> checks) {
        this.index = index;
        this.label = label;
        this.wire = wire;
        this.paths = List.copyOf(paths);
        this.checks = List.copyOf(checks);
        List<Check> meta = new ArrayList<>();
        for (Filter f : List.of(Filter.NAME, Filter.MODE, Filter.SIZE, Filter.MTIME)) {
            for (Check c : checks) {
                if (c.filter() == f) {
                    meta.add(c);
                }
            }
        }
        this.metadataChecks = List.copyOf(meta);
        List<Check.ContentCheck> content = new ArrayList<>();
        List<Check.HashCheck> hashes = new ArrayList<>();
        EnumSet<HashAlgo> algoSet = EnumSet.noneOf(HashAlgo.class);
        for (Check c : checks) {
            if (c instanceof Check.ContentCheck cc) {
                content.add(cc);
            } else if (c instanceof Check.HashCheck hc) {
                hashes.add(hc);
                algoSet.add(hc.algo());
            }
        }
        this.contentChecks = List.copyOf(content);
        this.hashChecks = List.copyOf(hashes);
        this.algos = algoSet;
        this.hasModeCheck = checks.stream().anyMatch(c -> c.filter() == Filter.MODE);
        this.onlyNames = checks.stream().allMatch(c -> c instanceof Check.NameCheck);
        Options o = wire.options();
        this.matchAll = o.matchAll();
        this.macroal = o.macroal();
        this.decompress = o.decompress();
        this.returnSha256 = o.returnSha256();
        this.maxDepth = o.maxDepth() == 0 ? Long.MAX_VALUE : (long) o.maxDepth();
        this.matchLimit = o.matchLimit() == 0 ? UNLIMITED : o.matchLimit();
        this.maxErrors = o.maxErrors() == 0 ? UNLIMITED : o.maxErrors();
    }

    /** True when some check needs the file's bytes. */
    boolean readsContent() {
        return !contentChecks.isEmpty() || !hashChecks.isEmpty();
    }

    /** True when {@code content} is in {@code options.mismatch}. */
    boolean contentMismatch() {
        return !contentChecks.isEmpty() && contentChecks.get(0).mismatch();
    }
}
