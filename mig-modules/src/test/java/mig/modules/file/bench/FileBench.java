package mig.modules.file.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.RunContext;
import mig.modules.file.FileModule;

/**
 * Benchmark of the file module against the tools it should be as fast as, printed side by side.
 *
 * <p>Each search runs in a child JVM ({@code -Xmx64m}, as on an endpoint) the way the agent runs a
 * module; the child reports the search's own wall time, its peak RSS ({@code VmHWM}) and peak heap, and the
 * parent also times the whole child process, JVM start included. The reference commands run under
 * {@code /usr/bin/time} for their wall time and peak RSS. Each measurement is the best of
 * {@code --runs} (default 3), after one untimed run of each to warm the page cache.
 *
 * <pre>
 * usage: FileBench [--runs N] [--usr /usr] [--lib /usr/lib]
 *        FileBench --child '&lt;parameters json&gt;'     (one search, used by the parent)
 * </pre>
 *
 * Not a test (no {@code *Test} name): run it with {@code bench/file-bench.sh}.
 */
public final class FileBench {

    private static final String CHILD_HEAP = "-Xmx64m";

    private FileBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            child(args[1]);
            return;
        }
        int runs = 3;
        String usr = "/usr";
        String lib = "/usr/lib";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--usr" -> usr = args[i + 1];
                case "--lib" -> lib = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "file module benchmark: %d cores, parallelism %d, child JVM %s -XX:+UseSerialGC," + " best of %d%n%n",
                Runtime.getRuntime().availableProcessors(),
                RunContext.halfTheCores(),
                CHILD_HEAP,
                runs);
        String nameSearch = params(usr, "\"names\":[\"^wget$\"]");
        String hashSearch = params(lib, "\"sha2\":[\"" + "0".repeat(64) + "\"]");
        List<String[]> rows = new ArrayList<>();
        rows.add(compare("name regex ^wget$ over " + usr, nameSearch, List.of("find", usr, "-name", "wget"), runs));
        rows.add(compare(
                "sha256 of every file under " + lib,
                hashSearch,
                List.of("sh", "-c", "find " + lib + " -type f -print0 | xargs -0 sha256sum > /dev/null"),
                runs));
        String format = "%-38s %9s %9s %9s %9s %7s %10s %8s %7s%n";
        System.out.printf(
                Locale.ROOT,
                format,
                "",
                "search",
                "process",
                "peak RSS",
                "heap",
                "files",
                "reference",
                "ref RSS",
                "ratio");
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, format, (Object[]) r);
        }
        System.out.println();
        System.out.println("search: the module's own wall time in the child; process: the child JVM, start to exit;");
        System.out.println("heap: peak used heap of the child (JVM memory pools); files: the module's filescount;");
        System.out.println("ratio: process wall / reference wall; RSS: peak resident set (VmHWM / GNU time %M).");
    }

    private static String params(String path, String filter) {
        return "{\"searches\":{\"s1\":{\"paths\":[\"" + path + "\"]," + filter + ",\"options\":{\"maxdepth\":1000,"
                + "\"maxerrors\":30,\"matchall\":true,\"macroal\":false,\"mismatch\":null,\"matchlimit\":1000}}}}";
    }

    private static String[] compare(String what, String params, List<String> reference, int runs) throws Exception {
        runChild(params);
        timed(reference);
        double bestSearch = Double.MAX_VALUE;
        double bestProcess = Double.MAX_VALUE;
        long rss = 0;
        long heap = 0;
        String files = "";
        double bestRef = Double.MAX_VALUE;
        long refRss = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            String[] child = runChild(params);
            double process = (System.nanoTime() - t0) / 1e9;
            double search = Double.parseDouble(child[0]);
            if (process < bestProcess) {
                bestProcess = process;
                bestSearch = search;
                rss = Long.parseLong(child[1]);
                files = child[2];
                heap = Long.parseLong(child[3]);
            }
            double[] ref = timed(reference);
            if (ref[0] < bestRef) {
                bestRef = ref[0];
                refRss = (long) ref[1];
            }
        }
        return new String[] {
            what,
            seconds(bestSearch),
            seconds(bestProcess),
            mib(rss),
            mib(heap),
            files,
            seconds(bestRef),
            mib(refRss),
            String.format(Locale.ROOT, "%.2fx", bestProcess / bestRef)
        };
    }

    /** Runs one search in a child JVM; returns its search seconds, VmHWM in KiB, files count and peak heap in KiB. */
    private static String[] runChild(String params) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        CHILD_HEAP,
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FileBench.class.getName(),
                        "--child",
                        params)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child failed: " + out);
        }
        String last = out.lines().reduce((a, b) -> b).orElse("");
        return last.split(" ");
    }

    /** Runs a command under GNU time; returns wall seconds and peak RSS in KiB. */
    private static double[] timed(List<String> command) throws IOException, InterruptedException {
        Path report = Files.createTempFile("file-bench", ".time");
        try {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-o", report.toString(), "-f", "%e %M"));
            cmd.addAll(command);
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long t0 = System.nanoTime();
            p.waitFor();
            double wall = (System.nanoTime() - t0) / 1e9;
            String[] f = Files.readString(report).trim().split("\\s+");
            return new double[] {wall, Double.parseDouble(f[f.length - 1])};
        } finally {
            Files.deleteIfExists(report);
        }
    }

    /** The child side: one search, then "seconds vmhwm_kib filescount heap_kib" on the last line. */
    private static void child(String params) throws IOException {
        JsonNode p = GoJson.tree(params);
        long t0 = System.nanoTime();
        ModuleResult r = new FileModule().run(p, RunContext.withTimeout(Duration.ofMinutes(10)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode stats = GoJson.tree(GoJson.marshal(r)).get("statistics");
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.replaceAll("[^0-9]", ""))
                .findFirst()
                .orElse("0");
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(String.format(Locale.ROOT, "%.3f", seconds) + " " + hwm + " "
                + stats.get("filescount").asLong() + " " + heapPeak / 1024);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }
}
