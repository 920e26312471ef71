package mig.modules.file;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Walks the search paths once for all searches, depth first, on the calling thread.
 *
 * <pre>
 * roots = every search path, cleaned, sorted, each walked unless an earlier walk already reached it
 *   directory  -> listed entry by entry (no directory is held in memory whole)
 *     entry is a directory       -> entered if a search is in scope there within its maxdepth,
 *                                   or a search path lies below it; never twice on one branch
 *     entry is a regular file    -> inspected for the searches in scope
 *     entry is a link to a file  -> inspected through the link, wherever its target lies (as the
 *                                   original's code does; its help text says otherwise)
 *     anything else              -> skipped without being opened (devices, FIFOs, sockets,
 *                                   links to directories)
 *   regular file -> inspected
 *   link         -> its target file is inspected; a link to a directory is reported, not followed
 * </pre>
 *
 * A search is in scope in a directory at or below one of its paths (compared by path components,
 * so {@code /etc} does not cover {@code /etc2}); the path itself is depth 1. The walk stops when
 * the deadline passes, the thread is interrupted, or no search can record anything more.
 */
final class FileWalker {

    private static final int[] NONE = new int[0];

    /** One directory being listed. */
    private record Frame(
            Path dir,
            DirectoryStream<Path> stream,
            Iterator<Path> entries,
            int[] depth,
            int[] active,
            Object key,
            boolean holdsSearchPaths) {}

    private final List<CompiledSearch> searches;
    private final FileChecks checks;
    private final OrderedPipeline pipeline;
    private final ResultCollector collector;
    private final Guard guard;
    private final Map<Path, int[]> named = new HashMap<>();
    private final Set<Path> aboveSearchPaths = new HashSet<>();
    /** Directories that directly contain a search path: only there can an entry be one. */
    private final Set<Path> parentsOfSearchPaths = new HashSet<>();

    private final Set<Path> roots = new TreeSet<>(Comparator.comparing(Path::toString));
    /** Roots reached by an earlier root's walk (only roots are remembered, so memory stays bounded). */
    private final Set<Path> reached = new HashSet<>();

    private final Set<Path> rootSet;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private final Set<Object> openKeys = new HashSet<>();
    private int visited;

    FileWalker(
            List<CompiledSearch> searches,
            FileChecks checks,
            OrderedPipeline pipeline,
            ResultCollector collector,
            Guard guard) {
        this.searches = searches;
        this.checks = checks;
        this.pipeline = pipeline;
        this.collector = collector;
        this.guard = guard;
        Map<Path, List<Integer>> byPath = new HashMap<>();
        for (CompiledSearch s : searches) {
            for (Path p : s.paths) {
                roots.add(p);
                byPath.computeIfAbsent(p, k -> new ArrayList<>()).add(s.index);
                for (Path up = p.getParent(); up != null; up = up.getParent()) {
                    aboveSearchPaths.add(up);
                }
                if (p.getParent() != null) {
                    parentsOfSearchPaths.add(p.getParent());
                }
            }
        }
        byPath.forEach((p, l) ->
                named.put(p, l.stream().distinct().mapToInt(Integer::intValue).toArray()));
        rootSet = roots.size() > 1 ? new HashSet<>(roots) : Set.of();
    }

    private void reach(Path p) {
        if (rootSet.contains(p)) {
            reached.add(p);
        }
    }

    /** Walks every root; returns normally or throws {@link SearchAborted}. */
    void walk(ReadScheduler reads) {
        for (Path root : roots) {
            if (collector.exhausted()) {
                return;
            }
            if (!reached.contains(root)) {
                walkRoot(root, reads);
            }
        }
    }

    /** Hands a read to the workers; supplied by {@link FileSearch}. */
    interface ReadScheduler {
        void schedule(FileChecks.Inspection pending);
    }

    private void walkRoot(Path root, ReadScheduler reads) {
        reached.add(root);
        guard.check();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            pipeline.accept(FileOutcome.error("ERROR: " + IoErrors.describe("open", root, e), true));
            return;
        }
        int[] depth = depthsOf(root);
        if (attrs.isDirectory()) {
            if (open(root, depth, attrs.fileKey())) {
                walkStack(reads);
            }
        } else if (attrs.isRegularFile()) {
            inspect(
                    new FileChecks.Candidate(root, name(root), attrs, fileSearches(root, depthsOf(root.getParent()))),
                    reads);
        } else if (attrs.isSymbolicLink()) {
            Path target;
            BasicFileAttributes t;
            try {
                target = root.toRealPath();
                t = Files.readAttributes(target, BasicFileAttributes.class);
            } catch (IOException e) {
                pipeline.accept(FileOutcome.error("ERROR: followSymLink() -> " + IoErrors.linkFailure(root, e), true));
                return;
            }
            if (t.isRegularFile()) {
                // as the original: a root that links to a file is inspected and reported as its target
                inspect(
                        new FileChecks.Candidate(
                                target, name(target), t, fileSearches(root, depthsOf(root.getParent()))),
                        reads);
            } else {
                pipeline.accept(FileOutcome.error(
                        "warning: " + root + " is a link to " + target + " and was not followed", false));
            }
        } else {
            pipeline.accept(FileOutcome.error(
                    "warning: " + root + " is not a regular file, a directory or a link, and was not inspected",
                    false));
        }
    }

    private void walkStack(ReadScheduler reads) {
        try {
            while (!stack.isEmpty()) {
                Frame f = stack.peek();
                Path entry;
                try {
                    entry = f.entries().hasNext() ? f.entries().next() : null;
                } catch (DirectoryIteratorException e) {
                    pipeline.accept(FileOutcome.error(
                            "ERROR: " + IoErrors.describe("readdirent", f.dir(), e.getCause()), false));
                    entry = null;
                }
                if (entry == null) {
                    pop();
                    continue;
                }
                if ((++visited & 255) == 0) {
                    guard.check();
                    if (collector.exhausted()) {
                        return;
                    }
                }
                visit(f, entry, reads);
            }
        } finally {
            while (!stack.isEmpty()) {
                pop();
            }
        }
    }

    private void visit(Frame f, Path entry, ReadScheduler reads) {
        BasicFileAttributes attrs;
        try {
            attrs = lstat(f, entry);
        } catch (NoSuchFileException e) {
            return; // removed since the directory was listed
        } catch (IOException e) {
            pipeline.accept(FileOutcome.error("ERROR: " + IoErrors.describe("lstat", entry, e), false));
            return;
        }
        if (attrs.isDirectory()) {
            enter(f, entry, attrs);
        } else if (attrs.isRegularFile()) {
            int[] active = fileSearches(f, entry);
            if (active.length > 0) {
                if (f.holdsSearchPaths()) {
                    reach(entry);
                }
                String name = name(entry);
                int[] byName = checks.byName(active, name);
                if (byName.length == 0) {
                    collector.countFile();
                } else {
                    inspect(new FileChecks.Candidate(entry, name, attrs, byName), reads);
                }
            }
        } else if (attrs.isSymbolicLink()) {
            int[] active = fileSearches(f, entry);
            if (active.length > 0) {
                // resolved before any name check, as the original does: a broken link is an error
                // and a link to a file counts in filescount whatever its name
                followLink(entry, name(entry), active, reads);
            }
        }
    }

    /**
     * The entry's own attributes (a link is not followed). Where the platform lists directories
     * through a {@link SecureDirectoryStream} (Linux), the entry is looked up by its name in the open
     * directory (fstatat): one path component to resolve instead of the whole path, which was most of
     * the kernel's time per entry in a walk of {@code /usr}.
     */
    private static BasicFileAttributes lstat(Frame f, Path entry) throws IOException {
        if (f.stream() instanceof SecureDirectoryStream<Path> sds) {
            try {
                return sds.getFileAttributeView(
                                entry.getFileName(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (UnsupportedOperationException e) {
                // fall through to the path
            }
        }
        return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private void followLink(Path link, String name, int[] active, ReadScheduler reads) {
        BasicFileAttributes t;
        try {
            t = Files.readAttributes(link, BasicFileAttributes.class);
            if (!t.isRegularFile()) {
                return; // links to directories and devices are not followed
            }
        } catch (IOException e) {
            pipeline.accept(FileOutcome.error("ERROR: followSymLink() -> " + IoErrors.linkFailure(link, e), true));
            return;
        }
        // as the original's pathWalk: every link to a regular file is evaluated, wherever its target
        // lies, under the link's own path with the target's size, mode and time (Go's os.Stat)
        int[] byName = checks.byName(active, name);
        if (byName.length == 0) {
            collector.countFile();
        } else {
            reach(link);
            inspect(new FileChecks.Candidate(link, name, t, byName), reads);
        }
    }

    private void enter(Frame parent, Path dir, BasicFileAttributes attrs) {
        int[] namedHere = parent.holdsSearchPaths() ? named.getOrDefault(dir, NONE) : NONE;
        int[] depth = new int[searches.size()];
        for (int s = 0; s < depth.length; s++) {
            depth[s] = contains(namedHere, s) ? 1 : parent.depth()[s] >= 1 ? parent.depth()[s] + 1 : -1;
        }
        if (!wanted(depth) && !aboveSearchPaths.contains(dir)) {
            return;
        }
        open(dir, depth, attrs.fileKey());
    }

    private boolean wanted(int[] depth) {
        for (CompiledSearch s : searches) {
            int d = depth[s.index];
            if (d >= 1 && d <= s.maxDepth && collector.underLimit(s)) {
                return true;
            }
        }
        return false;
    }

    /** Starts listing a directory; false when it cannot be opened or would loop. */
    private boolean open(Path dir, int[] depth, Object key) {
        if (key != null && openKeys.contains(key)) {
            pipeline.accept(FileOutcome.error(
                    "ERROR: " + dir + " is a file system loop (the same directory as one"
                            + " of its parents) and was not entered",
                    false));
            return false;
        }
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(dir);
        } catch (IOException e) {
            pipeline.accept(FileOutcome.error("ERROR: " + IoErrors.describe("open", dir, e), true));
            return false;
        }
        reach(dir);
        int[] active = new int[depth.length];
        int n = 0;
        for (CompiledSearch s : searches) {
            int d = depth[s.index];
            if (d >= 1 && d <= s.maxDepth) {
                active[n++] = s.index;
            }
        }
        if (key != null) {
            openKeys.add(key);
        }
        stack.push(new Frame(
                dir,
                stream,
                stream.iterator(),
                depth,
                Arrays.copyOf(active, n),
                key,
                parentsOfSearchPaths.contains(dir)));
        return true;
    }

    private void pop() {
        Frame f = stack.pop();
        if (f.key() != null) {
            openKeys.remove(f.key());
        }
        try {
            f.stream().close();
        } catch (IOException e) {
            // nothing was written; a failed close of a directory stream loses nothing
        }
    }

    /** Searches that inspect a file in directory frame {@code f}: in scope there, or naming the file. */
    private int[] fileSearches(Frame f, Path file) {
        int[] namedHere = f.holdsSearchPaths() ? named.get(file) : null;
        int[] active = f.active();
        if (namedHere == null && allUnderLimit(active)) {
            return active;
        }
        return merge(active, namedHere == null ? NONE : namedHere);
    }

    /** Searches that inspect a file given as a root, from its parent directory's depths. */
    private int[] fileSearches(Path file, int[] parentDepth) {
        int[] namedHere = named.getOrDefault(file, NONE);
        int[] active = new int[searches.size()];
        int n = 0;
        for (CompiledSearch s : searches) {
            int d = parentDepth[s.index];
            if (d >= 1 && d <= s.maxDepth) {
                active[n++] = s.index;
            }
        }
        return merge(Arrays.copyOf(active, n), namedHere);
    }

    private int[] merge(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        int n = 0;
        for (int s : a) {
            if (collector.underLimit(searches.get(s))) {
                out[n++] = s;
            }
        }
        for (int s : b) {
            if (!contains(a, s) && collector.underLimit(searches.get(s))) {
                out[n++] = s;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private boolean allUnderLimit(int[] active) {
        for (int s : active) {
            if (!collector.underLimit(searches.get(s))) {
                return false;
            }
        }
        return true;
    }

    /** Depth of a directory for each search: 1 at a search path, +1 per level below it, -1 outside. */
    private int[] depthsOf(Path dir) {
        int[] depth = new int[searches.size()];
        for (CompiledSearch s : searches) {
            int best = -1;
            if (dir != null) {
                for (Path p : s.paths) {
                    if (dir.startsWith(p)) {
                        int d = dir.getNameCount() - p.getNameCount() + 1;
                        best = best < 0 ? d : Math.min(best, d);
                    }
                }
            }
            depth[s.index] = best;
        }
        return depth;
    }

    private void inspect(FileChecks.Candidate c, ReadScheduler reads) {
        if (c.searches().length == 0) {
            return;
        }
        FileChecks.Inspection r = checks.inspect(c);
        if (r == null) {
            collector.countFile();
        } else if (r.done() != null) {
            pipeline.accept(r.done());
        } else {
            reads.schedule(r);
        }
    }

    /** The base name; through the path's own (cached) string, which a match reports anyway. */
    private static String name(Path p) {
        String s = p.toString();
        int slash = s.lastIndexOf(java.io.File.separatorChar, s.length() - 2);
        return slash < 0 || s.length() == 1 ? s : s.substring(slash + 1);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
