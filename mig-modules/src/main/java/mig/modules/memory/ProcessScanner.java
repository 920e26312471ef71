package mig.modules.memory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Evaluates every search on one process, cheapest checks first, as the original does: the
 * executable path against {@code names}, then the mapped files against {@code libraries}, and only
 * for searches still interested (with {@code matchall}, a failed name or library check ends the
 * search for this process) the memory, read once for all of them by a {@link MemoryWalker}.
 *
 * <p>Never throws for the process: a process that exits, or whose files cannot be read, gives a
 * failure in its {@link Outcome} and whatever matched before.
 */
final class ProcessScanner {

    /**
     * What one process gave.
     *
     * @param name      executable path, {@code [comm]} without one; null when the process could not
     *                  be examined (then it does not count as checked)
     * @param matched   per search (by index), the indexes of its checks that matched
     * @param bytesRead bytes of memory read
     * @param failures  what went wrong, in the order it happened
     * @param stopped   true when the deadline or an interrupt cut the process short
     */
    record Outcome(
            long pid, String name, List<BitSet> matched, long bytesRead, List<String> failures, boolean stopped) {

        boolean examined() {
            return name != null;
        }
    }

    private final Path proc;
    private final List<CompiledSearch> searches;
    private final BooleanSupplier stop;
    private final MemoryWalker walker;
    private final boolean logSoft;

    ProcessScanner(
            Path proc, List<CompiledSearch> searches, BooleanSupplier stop, MemoryWalker.RegionListener listener) {
        this.proc = proc;
        this.searches = searches;
        this.stop = stop;
        this.walker = new MemoryWalker(searches, stop, listener);
        this.logSoft = searches.stream().anyMatch(CompiledSearch::logFailures);
    }

    /** Examines one process; an unexpected error is a failure of that process, not of the scan. */
    Outcome scan(long pid) {
        try {
            return examine(pid);
        } catch (ScanText.Stopped e) {
            return new Outcome(
                    pid, null, searches.stream().map(s -> new BitSet()).toList(), 0, List.of(), true);
        } catch (RuntimeException e) {
            return new Outcome(
                    pid,
                    null,
                    searches.stream().map(s -> new BitSet()).toList(),
                    0,
                    List.of("process " + pid + " could not be examined: " + e),
                    false);
        }
    }

    private Outcome examine(long pid) {
        List<String> failures = new ArrayList<>();
        List<BitSet> matched = new ArrayList<>();
        searches.forEach(s -> matched.add(new BitSet()));
        String name;
        try {
            name = processName(pid);
        } catch (IOException e) {
            failures.add(
                    alive(pid)
                            ? "cannot read the executable name of process " + pid + ": " + describe(e)
                            : "process " + pid + " exited before it could be examined");
            return new Outcome(pid, null, matched, 0, failures, false);
        }
        boolean[] active = new boolean[searches.size()];
        ProcessMaps maps = null;
        for (CompiledSearch s : searches) {
            active[s.index()] = matchNames(s, name, matched.get(s.index())) || !s.matchAll();
        }
        if (searches.stream().anyMatch(s -> active[s.index()] && s.has(CompiledSearch.Kind.LIBRARY))) {
            maps = maps(pid, failures);
            List<String> libs = maps == null ? List.of() : maps.libraries(name);
            for (CompiledSearch s : searches) {
                if (active[s.index()] && !matchLibraries(s, libs, matched.get(s.index())) && s.matchAll()) {
                    active[s.index()] = false;
                }
            }
        }
        List<MemoryWalker.Progress> progress = new ArrayList<>();
        for (CompiledSearch s : searches) {
            if (active[s.index()] && s.readsMemory()) {
                progress.add(new MemoryWalker.Progress(s, matched.get(s.index())));
            }
        }
        if (progress.isEmpty()) {
            return new Outcome(pid, name, matched, 0, failures, false);
        }
        if (maps == null) {
            maps = maps(pid, failures);
        }
        if (maps == null) {
            return new Outcome(pid, name, matched, 0, failures, false);
        }
        return walk(pid, name, maps, progress, matched, failures);
    }

    private Outcome walk(
            long pid,
            String name,
            ProcessMaps maps,
            List<MemoryWalker.Progress> progress,
            List<BitSet> matched,
            List<String> failures) {
        long from = progress.stream().mapToLong(p -> p.search.offset()).min().orElse(0);
        List<ProcessMaps.Region> regions = maps.readableRegions(from);
        List<String> soft = logSoft ? failures : null;
        if (soft != null) {
            soft.addAll(maps.unreadable(from));
        }
        if (regions.isEmpty()) {
            return new Outcome(pid, name, matched, 0, failures, false); // a kernel thread: no memory of its own
        }
        try (FileChannel mem =
                FileChannel.open(proc.resolve(Long.toString(pid)).resolve("mem"), StandardOpenOption.READ)) {
            MemoryWalker.Walk w = walker.walk(pid, mem, regions, progress, soft, failures, this::alive);
            return new Outcome(pid, name, matched, w.bytesRead(), failures, w.end() == MemoryWalker.End.STOPPED);
        } catch (ScanText.Stopped e) {
            return new Outcome(pid, name, matched, 0, failures, true);
        } catch (AccessDeniedException e) {
            failures.add("Permission denied to access memory of process " + pid);
        } catch (NoSuchFileException e) {
            failures.add("process " + pid + " exited before its memory could be read");
        } catch (IOException e) {
            failures.add("cannot read the memory of process " + pid + ": " + describe(e));
        }
        return new Outcome(pid, name, matched, 0, failures, stop.getAsBoolean());
    }

    /** Applies the name checks; true when all of them matched (or there are none). */
    private static boolean matchNames(CompiledSearch s, String name, BitSet matched) {
        boolean all = true;
        for (int i = 0; i < s.checks().size(); i++) {
            CompiledSearch.Check c = s.checks().get(i);
            if (c.kind() == CompiledSearch.Kind.NAME) {
                if (c.regex().find(name)) {
                    matched.set(i);
                } else {
                    all = false;
                }
            }
        }
        return all;
    }

    /** Applies the library checks; true when each matched some mapped file (or there are none). */
    private static boolean matchLibraries(CompiledSearch s, List<String> libs, BitSet matched) {
        boolean all = true;
        for (int i = 0; i < s.checks().size(); i++) {
            CompiledSearch.Check c = s.checks().get(i);
            if (c.kind() == CompiledSearch.Kind.LIBRARY) {
                if (libs.stream().anyMatch(c.regex()::find)) {
                    matched.set(i);
                } else {
                    all = false;
                }
            }
        }
        return all;
    }

    private ProcessMaps maps(long pid, List<String> failures) {
        try {
            return ProcessMaps.parse(Files.readAllLines(dir(pid).resolve("maps"), StandardCharsets.ISO_8859_1));
        } catch (AccessDeniedException e) {
            failures.add("Permission denied to access memory maps of process " + pid);
        } catch (IOException e) {
            failures.add(
                    alive(pid)
                            ? "cannot read the memory maps of process " + pid + ": " + describe(e)
                            : "process " + pid + " exited before its memory maps could be read");
        } catch (IllegalArgumentException e) {
            failures.add("process " + pid + ": " + e.getMessage());
        }
        return null;
    }

    /**
     * The executable's real path, as masche's {@code Name()}: the {@code exe} link with every
     * symlink resolved; for a process without one (kernel thread, deleted binary), ps(1)'s
     * {@code [comm]} from {@code status}.
     */
    String processName(long pid) throws IOException {
        try {
            return Files.readSymbolicLink(dir(pid).resolve("exe")).toRealPath().toString();
        } catch (IOException e) {
            for (String line : Files.readAllLines(dir(pid).resolve("status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("Name:")) {
                    return "[" + line.substring(5).strip() + "]";
                }
            }
            throw new IOException("no name found for pid " + pid, e);
        }
    }

    /** False once the process has gone or is a zombie (its memory is gone then). */
    boolean alive(long pid) {
        try {
            String stat = Files.readString(dir(pid).resolve("stat"), StandardCharsets.ISO_8859_1);
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private Path dir(long pid) {
        return proc.resolve(Long.toString(pid));
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
