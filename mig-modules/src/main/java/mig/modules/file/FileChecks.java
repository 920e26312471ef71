package mig.modules.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import mig.common.json.GoTime;

/**
 * Applies the searches' checks to one file, in the original's order: the cheap metadata checks
 * (name, mode, size, mtime) first on the walker thread, and only when some search still wants the
 * file's bytes a single {@link ReadPass} on a worker thread. A matchall search that fails a metadata
 * check never causes a read; a name-only search never opens a file.
 */
final class FileChecks {

    /**
     * A file the walker found.
     *
     * @param path     the path to report and to open (a followed link is opened through itself)
     * @param name     the base name the name checks see
     * @param attrs    the file's attributes (the target's, for a followed link)
     * @param searches indices of the searches to apply
     */
    record Candidate(Path path, String name, BasicFileAttributes attrs, int[] searches) {}

    /** The metadata verdict: either {@code done}, or a read still to run for {@code progress}. */
    record Inspection(FileOutcome done, Candidate candidate, List<SearchProgress> progress, String mode) {}

    private static final int[] NONE = new int[0];

    private final List<CompiledSearch> searches;

    FileChecks(List<CompiledSearch> searches) {
        this.searches = searches;
    }

    /**
     * The searches of {@code active} that a file with this base name can still match, decided
     * before anything else is looked at (no stat, no allocation): a matchall search whose name
     * check fails is dropped, and so is a search of name checks only none of which passes (its
     * only way to match is by name). Returns {@code active} itself when none is dropped.
     */
    int[] byName(int[] active, String name) {
        int[] kept = null;
        int n = 0;
        for (int i = 0; i < active.length; i++) {
            CompiledSearch s = searches.get(active[i]);
            boolean keep = s.matchAll ? namePasses(s, name) : !s.onlyNames || someNamePasses(s, name);
            if (!keep && kept == null) {
                kept = new int[active.length];
                System.arraycopy(active, 0, kept, 0, i);
                n = i;
            } else if (keep && kept != null) {
                kept[n++] = active[i];
            }
        }
        return kept == null ? active : Arrays.copyOf(kept, n);
    }

    private static boolean someNamePasses(CompiledSearch s, String name) {
        for (Check c : s.metadataChecks) {
            if (c instanceof Check.NameCheck n && c.wants(n.regex().find(name))) {
                return true;
            }
        }
        return false;
    }

    private boolean namePasses(CompiledSearch s, String name) {
        for (Check c : s.metadataChecks) {
            if (c instanceof Check.NameCheck n && !c.wants(n.regex().find(name))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the metadata checks (walker thread).
     *
     * @return null when no search matched and no read is needed: the file only counts
     */
    Inspection inspect(Candidate c) {
        List<SearchProgress> progress = new ArrayList<>(c.searches().length);
        String mode = null;
        boolean needRead = false;
        for (int idx : c.searches()) {
            CompiledSearch s = searches.get(idx);
            SearchProgress p = new SearchProgress(s);
            progress.add(p);
            for (Check check : s.metadataChecks) {
                boolean raw;
                if (check instanceof Check.NameCheck n) {
                    raw = n.regex().find(c.name());
                } else if (check instanceof Check.ModeCheck mc) {
                    if (mode == null) {
                        try {
                            mode = modeString(c.path());
                        } catch (IOException e) {
                            return new Inspection(
                                    new FileOutcome(
                                            null,
                                            null,
                                            List.of(),
                                            List.of("evaluateFile() -> " + IoErrors.describe("stat", c.path(), e)),
                                            false,
                                            false,
                                            null),
                                    c,
                                    progress,
                                    null);
                        }
                    }
                    raw = mc.regex().find(mode);
                } else if (check instanceof Check.SizeCheck sc) {
                    raw = sc.raw(c.attrs().size());
                } else {
                    raw = ((Check.MtimeCheck) check)
                            .raw(c.attrs().lastModifiedTime().toInstant());
                }
                p.record(check, check.wants(raw));
                if (!p.wantsMore()) {
                    break;
                }
            }
            if (p.wantsMore() && (s.readsContent() || (s.returnSha256 && (s.matchAll || !p.passed.isEmpty())))) {
                needRead = true;
            }
        }
        if (needRead) {
            return new Inspection(null, c, progress, mode);
        }
        FileOutcome done = finish(c, progress, mode, null, List.of(), false);
        return done.hits().isEmpty() && done.errors().isEmpty() ? null : new Inspection(done, c, progress, mode);
    }

    /** Runs the read an inspection asked for (worker thread). */
    FileOutcome read(Inspection pending, ReadPass.Scratch scratch, Guard guard, DigestCache cache) {
        Candidate c = pending.candidate();
        ReadPass.Result r = new ReadPass(scratch, guard).run(c.path(), c.attrs(), cache, pending.progress());
        return finish(pending.candidate(), pending.progress(), pending.mode(), r.sha256(), r.errors(), r.openFailed());
    }

    private FileOutcome finish(
            Candidate c,
            List<SearchProgress> progress,
            String mode,
            String sha256,
            List<String> errors,
            boolean openFailed) {
        List<FileOutcome.Hit> hits = new ArrayList<>(1);
        for (SearchProgress p : progress) {
            CompiledSearch s = p.search;
            if (s.matchAll) {
                if (p.alive && p.passed.cardinality() == s.checks.size()) {
                    hits.add(new FileOutcome.Hit(s.index, NONE));
                }
            } else if (!p.passed.isEmpty()) {
                hits.add(new FileOutcome.Hit(s.index, p.passed.stream().toArray()));
            }
        }
        if (hits.isEmpty()) {
            return new FileOutcome(null, null, List.of(), errors, true, openFailed, null);
        }
        String path = c.path().toString();
        String m = mode;
        if (m == null) {
            try {
                m = modeString(c.path());
            } catch (IOException e) {
                List<String> all = new ArrayList<>(errors);
                all.add("evaluateFile() -> " + IoErrors.describe("stat", c.path(), e));
                return new FileOutcome(path, null, List.of(), all, true, openFailed, null);
            }
        }
        FileInfo info = new FileInfo(
                c.attrs().size(),
                m,
                GoTime.formatString(c.attrs().lastModifiedTime().toInstant()),
                sha256);
        return new FileOutcome(path, info, hits, errors, true, openFailed, null);
    }

    /** Go's mode string of the file a path leads to (links followed, as Go's {@code os.Stat}). */
    static String modeString(Path path) throws IOException {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            return GoFormats.fileMode((Integer) mode);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
            int bits = 0;
            for (PosixFilePermission p : a.permissions()) {
                bits |= 1 << (8 - p.ordinal());
            }
            if (a.isDirectory()) {
                bits |= 0040000;
            } else if (a.isSymbolicLink()) {
                bits |= 0120000;
            }
            return GoFormats.fileMode(bits);
        }
    }
}
