package mig.modules.memory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import mig.modules.RunContext;

/**
 * Scans every process of the endpoint, on as many threads as the run may use
 * ({@link RunContext#parallelism()}), and hands back one {@link ProcessScanner.Outcome} per process
 * in {@code /proc} listing order (pids sorted as text, as the original's directory read gave them),
 * whatever order the threads finished in.
 *
 * <p>The process running the scan is skipped. The original did not skip itself and so always
 * "found" its own copy of every byte pattern and literal it searched for; here the scanning process
 * is the agent's module process or the investigator's own client ({@code -t local}), neither of which
 * is what an investigation is about.
 *
 * <p>Concurrency lives here only: workers take the next pid from a shared counter and write their
 * outcome into that pid's slot; the caller waits for them. At the deadline, or when the caller is
 * interrupted, workers stop taking pids and cut short the one they are reading.
 */
final class MemoryScan {

    /** What the scan produced. {@code outcomes} has null for processes never reached. */
    record Result(List<Long> pids, ProcessScanner.Outcome[] outcomes, List<String> failures, boolean stopped) {}

    private final Path proc;
    private final List<CompiledSearch> searches;
    private final RunContext context;
    private final MemoryWalker.RegionListener listener;
    private final long self = ProcessHandle.current().pid();

    MemoryScan(Path proc, List<CompiledSearch> searches, RunContext context, MemoryWalker.RegionListener listener) {
        this.proc = proc;
        this.searches = searches;
        this.context = context;
        this.listener = listener;
    }

    Result run() {
        List<String> failures = new ArrayList<>();
        List<Long> pids = pids(failures);
        ProcessScanner.Outcome[] outcomes = new ProcessScanner.Outcome[pids.size()];
        BooleanSupplier stop =
                () -> context.pastDeadline() || Thread.currentThread().isInterrupted();
        AtomicInteger next = new AtomicInteger();
        int n = Math.max(1, Math.min(context.parallelism(), pids.size()));
        List<Thread> workers = new ArrayList<>(n);
        for (int w = 0; w < n; w++) {
            ProcessScanner scanner = new ProcessScanner(proc, searches, stop, listener);
            Runnable work = () -> {
                for (int i = next.getAndIncrement();
                        i < pids.size() && !stop.getAsBoolean();
                        i = next.getAndIncrement()) {
                    outcomes[i] = scanner.scan(pids.get(i));
                }
            };
            Thread t = new Thread(null, work, "mig-memory-scan-" + w); // default stack: RE2 does not recurse on memory
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    workers.forEach(Thread::interrupt);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        boolean stopped = interrupted || context.pastDeadline();
        for (ProcessScanner.Outcome o : outcomes) {
            stopped |= o == null || o.stopped();
        }
        return new Result(pids, outcomes, failures, stopped);
    }

    /** Every numeric entry of {@code /proc} but this process, sorted as text. */
    private List<Long> pids(List<String> failures) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (!name.isEmpty() && name.length() < 19 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            failures.add("cannot list processes in " + proc + ": " + ProcessScanner.describe(e));
        }
        names.sort(null);
        List<Long> pids = new ArrayList<>(names.size());
        for (String name : names) {
            long pid = Long.parseLong(name);
            if (pid != self) {
                pids.add(pid);
            }
        }
        return pids;
    }
}
