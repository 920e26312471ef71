package mig.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU went over a window: all cores together ({@code /proc/stat}), the broker
 * ({@code beam.smp}) and PostgreSQL (every {@code postgres} process, backends included). On a shared
 * machine the broker and PostgreSQL also serve others, and whatever is left of the machine's total
 * is other work; a benchmark prints all three so its figures can be read against the load.
 */
public final class MachineStats {

    private final long busyTicksAtStart;
    private final long totalTicksAtStart;
    private final double brokerAtStart;
    private final double postgresAtStart;

    private MachineStats(long busy, long total, double broker, double postgres) {
        this.busyTicksAtStart = busy;
        this.totalTicksAtStart = total;
        this.brokerAtStart = broker;
        this.postgresAtStart = postgres;
    }

    /**
     * CPU over a window.
     *
     * @param busyCores    average cores busy (all processes), e.g. 1.8 of 2
     * @param brokerCpu    CPU seconds of {@code beam.smp} processes
     * @param postgresCpu  CPU seconds of {@code postgres} processes that lived through the window
     */
    public record Usage(double busyCores, double brokerCpu, double postgresCpu) {}

    /** Starts a window now. */
    public static MachineStats start() throws IOException {
        long[] t = cpuTicks();
        return new MachineStats(t[0], t[1], cpuOf("beam.smp"), cpuOf("postgres"));
    }

    /** The window so far. */
    public Usage end() throws IOException {
        long[] t = cpuTicks();
        int cores = Runtime.getRuntime().availableProcessors();
        double busyShare =
                (t[1] - totalTicksAtStart) == 0 ? 0 : (t[0] - busyTicksAtStart) / (double) (t[1] - totalTicksAtStart);
        return new Usage(busyShare * cores, cpuOf("beam.smp") - brokerAtStart, cpuOf("postgres") - postgresAtStart);
    }

    /** {busy, total} jiffies of the {@code cpu} line of {@code /proc/stat}. */
    static long[] cpuTicks() throws IOException {
        String first = Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII)
                .split("\n")[0];
        return cpuTicks(first);
    }

    static long[] cpuTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total - idle, total};
    }

    /** CPU seconds of every process whose command name is {@code comm}. */
    static double cpuOf(String comm) {
        double sum = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII);
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.equals(comm)) {
                        sum += ProcStats.cpuSeconds(stat);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }
}
