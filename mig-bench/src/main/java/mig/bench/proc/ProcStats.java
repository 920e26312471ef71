package mig.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time and resident memory of a Linux process, read from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status}: what {@code top} would show for the API or scheduler JVM, every
 * thread included (JIT, GC, Jetty, the AMQP client). Readings are cheap (two small files), so a
 * sampler may take one every 100 ms.
 */
public final class ProcStats {

    /** Kernel clock ticks per second of {@code utime}/{@code stime}; 100 on every Linux we run on. */
    static final int CLOCK_TICKS = clockTicks();

    private ProcStats() {}

    /** One reading. */
    public record Reading(long pid, double cpuSeconds, long rssKb, long hwmKb) {}

    /** Reads {@code pid} now. @throws IOException if the process is gone */
    public static Reading read(long pid) throws IOException {
        Path dir = Path.of("/proc", Long.toString(pid));
        String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
        String status = Files.readString(dir.resolve("status"), StandardCharsets.US_ASCII);
        return new Reading(pid, cpuSeconds(stat), kb(status, "VmRSS:"), kb(status, "VmHWM:"));
    }

    /** This JVM. */
    public static Reading self() throws IOException {
        return read(ProcessHandle.current().pid());
    }

    /** utime + stime of a {@code /proc/<pid>/stat} line, in seconds. */
    static double cpuSeconds(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // f[0] is field 3 (state); utime and stime are fields 14 and 15.
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks / (double) CLOCK_TICKS;
    }

    /** A {@code kB} value of {@code /proc/<pid>/status}, 0 when absent (a zombie has no VmRSS). */
    static long kb(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    private static int clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Integer.parseInt(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /**
     * Follows one process from {@link #start}: CPU seconds used since then and the largest resident
     * size seen by {@link #sample} (call it from a timer).
     */
    public static final class Window {
        private final long pid;
        private final double cpuAtStart;
        private final AtomicLong peakRssKb = new AtomicLong();

        private Window(long pid, double cpuAtStart, long rssKb) {
            this.pid = pid;
            this.cpuAtStart = cpuAtStart;
            this.peakRssKb.set(rssKb);
        }

        /** Starts a window on {@code pid} now. */
        public static Window start(long pid) throws IOException {
            Reading r = read(pid);
            return new Window(pid, r.cpuSeconds(), r.rssKb());
        }

        /** Takes a memory reading; a vanished process is ignored. */
        public void sample() {
            try {
                long rss = read(pid).rssKb();
                peakRssKb.accumulateAndGet(rss, Math::max);
            } catch (IOException | RuntimeException e) {
                // The process ended; the window keeps what it saw.
            }
        }

        /** CPU seconds since the start, and the peak RSS seen (sampling once more now). */
        public Usage end() throws IOException {
            sample();
            Reading r = read(pid);
            return new Usage(r.cpuSeconds() - cpuAtStart, peakRssKb.get(), r.hwmKb());
        }
    }

    /**
     * What a process used over a window.
     *
     * @param cpuSeconds user + system CPU seconds, all threads
     * @param peakRssKb  largest resident set sampled
     * @param hwmKb      the kernel's high-water mark of the resident set since the process started
     */
    public record Usage(double cpuSeconds, long peakRssKb, long hwmKb) {}
}
