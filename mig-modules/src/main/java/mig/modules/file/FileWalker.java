package mig.modules.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /** A directory entry: where it is, its name, and what is known of its type so far. */
    private static final class Listed {
        final Path parent;
        final byte[] parentBytes;
        final String name;
        /** The name's bytes when they differ from the name encoded (not ASCII), else null. */
        final byte[] rawName;
        /** {@link NativeDirs} type, or {@link NativeDirs#DT_UNKNOWN} when only an lstat can tell. */
        int type;

        BasicFileAttributes attrs;
        private Path path;

        Listed(Path parent, byte[] parentBytes, String name, byte[] rawName, int type, Path path) {
            this.parent = parent;
            this.parentBytes = parentBytes;
            this.name = name;
            this.rawName = rawName;
            this.type = type;
            this.path = path;
        }

        Path path() {
            if (path == null) {
                path = rawName == null ? parent.resolve(name) : NativeDirs.pathOf(bytes());
            }
            return path;
        }

        /** The path's bytes, for listing it natively; null when it was listed through NIO. */
        byte[] bytes() {
            if (parentBytes == null) {
                return null;
            }
            byte[] n = rawName != null ? rawName : name.getBytes(StandardCharsets.ISO_8859_1);
            int p = parentBytes.length;
            boolean slash = p > 0 && parentBytes[p - 1] == '/';
            byte[] b = Arrays.copyOf(parentBytes, p + (slash ? 0 : 1) + n.length);
            if (!slash) {
                b[p] = '/';
            }
            System.arraycopy(n, 0, b, slash ? p : p + 1, n.length);
            return b;
        }
    }

    /**
     * One directory being walked: its entries are listed first, files inspected as they come (in
     * directory order) and subdirectories kept; then the subdirectories are walked in that order.
     * That is the original's order (files of a directory, then each subdirectory in turn), which
     * decides the order of the results.
     */
    private static final class Frame {
        final Path dir;
        final byte[] dirBytes;
        final int[] depth;
        final int[] active;
        final Object key;
        final boolean holdsSearchPaths;
        DirectoryStream<Path> stream;
        Iterator<Path> entries;
        NativeDirs.Dir nativeDir;
        final ArrayList<Listed> subdirs = new ArrayList<>();
        int nextSubdir;

        Frame(Path dir, byte[] dirBytes, int[] depth, int[] active, Object key, boolean holdsSearchPaths) {
            this.dir = dir;
            this.dirBytes = dirBytes;
            this.depth = depth;
            this.active = active;
            this.key = key;
            this.holdsSearchPaths = holdsSearchPaths;
        }

        boolean listing() {
            return stream != null || nativeDir != null;
        }

        void closeListing() {
            if (nativeDir != null) {
                nativeDir.close();
                nativeDir = null;
            }
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    // nothing was written; a failed close of a directory stream loses nothing
                }
                stream = null;
                entries = null;
            }
        }
    }

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
            if (open(root, NativeDirs.bytesOf(root), depth, attrs.fileKey())) {
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
                if ((++visited & 255) == 0) {
                    guard.check();
                    if (collector.exhausted()) {
                        return;
                    }
                }
                if (f.listing()) {
                    Listed entry = nextEntry(f);
                    if (entry == null) {
                        f.closeListing();
                    } else {
                        visit(f, entry, reads);
                    }
                } else if (f.nextSubdir < f.subdirs.size()) {
                    Listed sub = f.subdirs.set(f.nextSubdir++, null);
                    enter(f, sub);
                } else {
                    pop();
                }
            }
        } finally {
            while (!stack.isEmpty()) {
                pop();
            }
        }
    }

    /** The frame's next entry, or null at the end of its listing (a read error is reported). */
    private Listed nextEntry(Frame f) {
        try {
            if (f.nativeDir != null) {
                NativeDirs.Dir d = f.nativeDir;
                if (!d.next()) {
                    return null;
                }
                boolean ascii = d.asciiName();
                int type = d.type();
                if (type != NativeDirs.DT_DIR && type != NativeDirs.DT_REG && type != NativeDirs.DT_LNK) {
                    // devices, FIFOs, sockets are skipped unopened; an unknown type takes an lstat
                    type = type == NativeDirs.DT_UNKNOWN ? NativeDirs.DT_UNKNOWN : -1;
                }
                return new Listed(f.dir, f.dirBytes, d.name(), ascii ? null : d.nameBytes(), type, null);
            }
            if (!f.entries.hasNext()) {
                return null;
            }
            Path p = f.entries.next();
            return new Listed(f.dir, null, name(p), null, NativeDirs.DT_UNKNOWN, p);
        } catch (DirectoryIteratorException e) {
            pipeline.accept(FileOutcome.error("ERROR: " + IoErrors.describe("readdirent", f.dir, e.getCause()), false));
        } catch (IOException e) {
            pipeline.accept(FileOutcome.error("ERROR: " + IoErrors.describe("readdirent", f.dir, e), false));
        }
        return null;
    }

    private void visit(Frame f, Listed entry, ReadScheduler reads) {
        if (entry.type == NativeDirs.DT_UNKNOWN && !stat(f, entry)) {
            return;
        }
        switch (entry.type) {
            case NativeDirs.DT_DIR -> f.subdirs.add(entry);
            case NativeDirs.DT_REG -> {
                int[] active = fileSearches(f, entry);
                if (active.length > 0) {
                    if (f.holdsSearchPaths) {
                        reach(entry.path());
                    }
                    int[] byName = checks.byName(active, entry.name);
                    if (byName.length == 0) {
                        collector.countFile();
                    } else if (entry.attrs == null) {
                        // listed natively: the attributes are read only now that a search wants them
                        if (stat(f, entry)) {
                            visit(f, entry, reads);
                        }
                    } else {
                        inspect(new FileChecks.Candidate(entry.path(), entry.name, entry.attrs, byName), reads);
                    }
                }
            }
            case NativeDirs.DT_LNK -> {
                int[] active = fileSearches(f, entry);
                if (active.length > 0) {
                    // resolved before any name check, as the original does: a broken link is an error
                    // and a link to a file counts in filescount whatever its name
                    followLink(entry.path(), entry.name, active, reads);
                }
            }
            default -> {
                // not a directory, a regular file or a link: skipped without being opened
            }
        }
    }

    /**
     * Reads an entry's own attributes (a link is not followed) and sets its type from them.
     *
     * @return false when the entry is gone (removed since it was listed) or could not be read (reported)
     */
    private boolean stat(Frame f, Listed entry) {
        BasicFileAttributes attrs;
        try {
            attrs = lstat(f, entry);
        } catch (NoSuchFileException e) {
            return false; // removed since the directory was listed
        } catch (IOException e) {
            pipeline.accept(FileOutcome.error("ERROR: " + IoErrors.describe("lstat", entry.path(), e), false));
            return false;
        }
        entry.attrs = attrs;
        entry.type = attrs.isDirectory()
                ? NativeDirs.DT_DIR
                : attrs.isRegularFile() ? NativeDirs.DT_REG : attrs.isSymbolicLink() ? NativeDirs.DT_LNK : -1;
        return true;
    }

    /**
     * The entry's own attributes (a link is not followed). Where the platform lists directories
     * through a {@link SecureDirectoryStream} (Linux), the entry is looked up by its name in the open
     * directory (fstatat): one path component to resolve instead of the whole path, which was most of
     * the kernel's time per entry in a walk of {@code /usr}.
     */
    private static BasicFileAttributes lstat(Frame f, Listed entry) throws IOException {
        if (f != null && f.stream instanceof SecureDirectoryStream<Path> sds) {
            try {
                return sds.getFileAttributeView(
                                entry.path().getFileName(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (UnsupportedOperationException e) {
                // fall through to the path
            }
        }
        return Files.readAttributes(entry.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
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

    private void enter(Frame parent, Listed sub) {
        Path dir = sub.path();
        int[] namedHere = parent.holdsSearchPaths ? named.getOrDefault(dir, NONE) : NONE;
        int[] depth = new int[searches.size()];
        for (int s = 0; s < depth.length; s++) {
            depth[s] = contains(namedHere, s) ? 1 : parent.depth[s] >= 1 ? parent.depth[s] + 1 : -1;
        }
        if (!wanted(depth) && !aboveSearchPaths.contains(dir)) {
            return;
        }
        if (sub.attrs == null && (!stat(null, sub) || sub.type != NativeDirs.DT_DIR)) {
            return; // gone, unreadable (reported) or no longer a directory since it was listed
        }
        open(dir, sub.bytes(), depth, sub.attrs.fileKey());
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

    /**
     * Starts listing a directory; false when it cannot be opened or would loop. Listed natively
     * (with each entry's type) when {@code bytes} is known and {@link NativeDirs} is available, else
     * through NIO.
     */
    private boolean open(Path dir, byte[] bytes, int[] depth, Object key) {
        if (key != null && openKeys.contains(key)) {
            pipeline.accept(FileOutcome.error(
                    "ERROR: " + dir + " is a file system loop (the same directory as one"
                            + " of its parents) and was not entered",
                    false));
            return false;
        }
        NativeDirs.Dir nativeDir = bytes != null ? NativeDirs.open(bytes) : null;
        DirectoryStream<Path> stream = null;
        if (nativeDir == null) {
            try {
                stream = Files.newDirectoryStream(dir);
            } catch (IOException e) {
                pipeline.accept(FileOutcome.error("ERROR: " + IoErrors.describe("open", dir, e), true));
                return false;
            }
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
        Frame f = new Frame(
                dir,
                nativeDir == null ? null : bytes,
                depth,
                Arrays.copyOf(active, n),
                key,
                parentsOfSearchPaths.contains(dir));
        f.nativeDir = nativeDir;
        f.stream = stream;
        f.entries = stream == null ? null : stream.iterator();
        stack.push(f);
        return true;
    }

    private void pop() {
        Frame f = stack.pop();
        if (f.key != null) {
            openKeys.remove(f.key);
        }
        f.closeListing();
    }

    /** Searches that inspect a file in directory frame {@code f}: in scope there, or naming the file. */
    private int[] fileSearches(Frame f, Listed file) {
        int[] namedHere = f.holdsSearchPaths ? named.get(file.path()) : null;
        int[] active = f.active;
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
