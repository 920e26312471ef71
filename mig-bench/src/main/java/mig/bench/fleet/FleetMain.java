package mig.bench.fleet;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import mig.bench.platform.Investigator;
import mig.bench.proc.ChildJvm;
import mig.common.config.GoDuration;
import mig.testkit.TestServices;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code bench/fleet.sh}: the fleet simulator. For each fleet size it runs {@link FleetRun} (API
 * and scheduler in child JVMs, N simulated agents here, a fresh database and vhost on the local
 * PostgreSQL and RabbitMQ, or the embedded ones), prints one table row per measured action, and
 * writes the table ({@code fleet.tsv}) and a plot of time to all results against N
 * ({@code fleet.png}) to the output folder.
 */
@CommandLine.Command(
        name = "fleet",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Simulated MIG agents against a real API, scheduler and broker: time to all results vs N.")
public final class FleetMain implements Callable<Integer> {

    @Option(
            names = "--agents",
            split = ",",
            paramLabel = "N[,N...]",
            description = "Fleet sizes (default 100,1000,5000)")
    List<Integer> sizes = List.of(100, 1000, 5000);

    @Option(names = "--runs", description = "Measured actions per fleet size, after the warm-up (default 2)")
    int runs = 2;

    @Option(
            names = "--warmup",
            paramLabel = "<commands>",
            description = "Commands of warm-up before the measured actions, in actions to the whole fleet "
                    + "when at least its size, else to its first 1,000 agents (default 1000; 0: none)")
    int warmup = 1000;

    @Option(
            names = "--heartbeat",
            paramLabel = "<duration>",
            description = "Heartbeat period of every agent, Go syntax (default 30s)")
    String heartbeat = "30s";

    @Option(names = "--workers", description = "Threads of the simulator handling commands (default 4)")
    int workers = 4;

    @Option(
            names = "--jvm-opts",
            paramLabel = "<options>",
            description =
                    "JVM options of the API and scheduler (default: " + "-XX:+UseSerialGC -Xms64m -Xmx1g -Xss512k)")
    String jvmOptions = String.join(" ", ChildJvm.SERVER_OPTIONS);

    @Option(
            names = "--wait-load",
            paramLabel = "<load>",
            description = "Before each measured action, wait (up to "
                    + "10 min) until the 1-minute load average is below this (default 0: do not wait)")
    double waitLoad = 0;

    @Option(
            names = "--out",
            paramLabel = "<dir>",
            description = "Where fleet.tsv and fleet.png go (default " + "mig-bench/results)")
    Path out = Path.of("mig-bench/results");

    @Option(
            names = "--replot",
            split = ",",
            paramLabel = "<fleet.tsv>[,...]",
            description = "Run nothing: merge "
                    + "the tables of earlier runs into <out>/fleet.tsv and draw <out>/fleet.png from them")
    List<Path> replot = List.of();

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit")
    boolean help;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!replot.isEmpty()) {
            return replot();
        }
        if (runs < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--runs must be at least 1 and --warmup at least 0, got " + runs + " and " + warmup);
        }
        Duration period = GoDuration.parse(heartbeat);
        Path work = Files.createTempDirectory("mig-fleet");
        FleetRun.Options options = new FleetRun.Options(
                sizes,
                runs,
                period,
                workers,
                Arrays.stream(jvmOptions.trim().split("\\s+"))
                        .filter(s -> !s.isEmpty())
                        .toList(),
                work,
                waitLoad,
                warmup);
        System.out.printf(
                "MIG fleet simulator, %s, %d cores, load average %s%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(
                "PostgreSQL: %s%nbroker: %s%n",
                TestServices.postgres().description(), TestServices.amqp().description());
        System.out.printf(
                "API and scheduler: child JVMs (%s), CPU and RSS from /proc; agents: this JVM, %d workers; "
                        + "heartbeat every %s; warm-up %d commands; logs in %s%n%n",
                jvmOptions, workers, GoDuration.format(period), warmup, work);
        Investigator investigator = Investigator.generate("bench");
        List<FleetRun.Result> all = new ArrayList<>();
        System.out.println(header());
        for (int n : sizes) {
            List<FleetRun.Result> results = new FleetRun(n, options, investigator).run();
            for (FleetRun.Result r : results) {
                System.out.println(row(r));
            }
            all.addAll(results);
        }
        Files.createDirectories(out);
        Path tsv = out.resolve("fleet.tsv");
        List<String> lines = new ArrayList<>();
        lines.add(header().replaceAll(" *\\| *", "\t").strip());
        all.forEach(r -> lines.add(row(r).replaceAll(" *\\| *", "\t").strip()));
        Files.write(tsv, lines, StandardCharsets.UTF_8);
        Path png = out.resolve("fleet.png");
        plot(all, png);
        System.out.printf(
                "%nwhere the time goes (seconds from the POST; CPU over the same window):%n%s%n", whereHeader());
        for (FleetRun.Result r : all) {
            System.out.println(where(r));
            List<String> t = new ArrayList<>();
            t.add("seconds\tdelivered\tconfirmed\tcommitted");
            r.timeline()
                    .forEach(p -> t.add(String.format(Locale.ROOT, "%.2f\t%.0f\t%.0f\t%.0f", p[0], p[1], p[2], p[3])));
            Files.write(out.resolve("timeline-" + r.agents() + "-" + r.run() + ".tsv"), t, StandardCharsets.UTF_8);
        }
        System.out.printf("%nsetup per size (queues, consumers, first heartbeat of every agent, all online):%n");
        for (int n : sizes) {
            all.stream()
                    .filter(r -> r.agents() == n)
                    .findFirst()
                    .ifPresent(r -> System.out.printf(
                            "  N=%-6d setup %.1f s, of which first heartbeats until all online %.1f s (%.0f heartbeats/s)%n",
                            n, r.setupSeconds(), r.registerSeconds(), n / r.registerSeconds()));
        }
        System.out.printf("%ntable: %s%nplot:  %s%n", tsv.toAbsolutePath(), png.toAbsolutePath());
        return 0;
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%6s | %3s | %9s | %9s | %9s | %-24s | %5s | %7s | %7s | %7s | %7s | %7s | %s",
                "N",
                "run",
                "published",
                "sched pub",
                "results",
                "commands",
                "redel",
                "API cpu",
                "API rss",
                "sch cpu",
                "sch rss",
                "sim cpu",
                "heartbeats meanwhile (n, /s, p99 ms, failed)");
    }

    static String row(FleetRun.Result r) {
        return String.format(
                Locale.ROOT,
                "%6d | %3d | %8.2fs | %7.0fms | %8.2fs%s| %-24s | %5d | %6.1fs | %5dMB | %6.1fs | %5dMB | %6.1fs | "
                        + "%d, %.0f/s, %.0f ms, %d",
                r.agents(),
                r.run(),
                r.publishedSeconds(),
                r.schedulerPublishMillis(),
                r.completedSeconds(),
                r.complete() ? " " : "!",
                r.commandStatuses().toString(),
                r.redelivered(),
                r.api().cpuSeconds(),
                r.api().peakRssKb() / 1024,
                r.scheduler().cpuSeconds(),
                r.scheduler().peakRssKb() / 1024,
                r.fleet().cpuSeconds(),
                r.heartbeats().sent(),
                r.heartbeats().perSecond(),
                r.heartbeats().p99Millis(),
                r.heartbeats().failed());
    }

    static String whereHeader() {
        return String.format(
                Locale.ROOT,
                "%6s | %3s | %9s | %9s | %9s | %13s | %6s | %10s | %10s | %10s",
                "N",
                "run",
                "published",
                "answered",
                "committed",
                "commits/s late",
                "load",
                "busy cores",
                "broker cpu",
                "pg cpu");
    }

    static String where(FleetRun.Result r) {
        return String.format(
                Locale.ROOT,
                "%6d | %3d | %8.2fs | %8.2fs | %8.2fs | %14.0f | %6.2f | %10.2f | %9.1fs | %9.1fs",
                r.agents(),
                r.run(),
                r.publishedSeconds(),
                r.answeredSeconds(),
                r.completedSeconds(),
                r.commitRateAfterPublish(),
                r.loadAtStart(),
                r.machine().busyCores(),
                r.machine().brokerCpu(),
                r.machine().postgresCpu());
    }

    private void plot(List<FleetRun.Result> all, Path png) throws java.io.IOException {
        List<double[]> rows = all.stream()
                .map(r -> new double[] {r.agents(), r.publishedSeconds(), r.completedSeconds()})
                .toList();
        plotRows(rows, png);
    }

    /** Rows of {N, published, completed}: the plot of the medians per N. */
    private void plotRows(List<double[]> rows, Path png) throws java.io.IOException {
        List<double[]> results = new ArrayList<>();
        List<double[]> published = new ArrayList<>();
        java.util.SortedSet<Double> ns = new java.util.TreeSet<>();
        rows.forEach(r -> ns.add(r[0]));
        for (double n : ns) {
            List<double[]> rs = rows.stream().filter(r -> r[0] == n).toList();
            results.add(new double[] {
                n, median(rs.stream().mapToDouble(r -> r[2]).toArray())
            });
            published.add(new double[] {
                n, median(rs.stream().mapToDouble(r -> r[1]).toArray())
            });
        }
        Plot.write(
                png,
                "MIG for Java: one action to every agent, shared 2-core machine (median of the runs)",
                "agents (N)",
                "seconds from POST",
                List.of(
                        new Plot.Series("every result committed (action completed)", new Color(30, 90, 200), results),
                        new Plot.Series("every command delivered to its agent", new Color(40, 160, 80), published)),
                List.of(
                        new Plot.Target(5000, 8, "target: 5,000 in 8 s"),
                        new Plot.Target(10000, 15, "target: 10,000 in 15 s")));
    }

    /** {@code --replot}: merges earlier tables and draws their plot. */
    private int replot() throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (Path tsv : replot) {
            List<String> in = Files.readAllLines(tsv, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                lines.add(in.get(0));
            }
            for (String line : in.subList(1, in.size())) {
                String[] f = line.split("\t");
                lines.add(line);
                double delivered = seconds(f[2]);
                if (Double.isNaN(delivered)) {
                    // Nothing delivered (the action was never dispatched in its window): in the table, not the plot.
                    continue;
                }
                rows.add(new double[] {Double.parseDouble(f[0]), delivered, seconds(f[4])});
            }
        }
        Files.createDirectories(out);
        Files.write(out.resolve("fleet.tsv"), lines, StandardCharsets.UTF_8);
        plotRows(rows, out.resolve("fleet.png"));
        System.out.printf(
                "merged %d runs (%d plotted): %s, %s%n",
                lines.size() - 1, rows.size(), out.resolve("fleet.tsv"), out.resolve("fleet.png"));
        return 0;
    }

    /** "1.23s" or "1.23s!" (not completed) as seconds; "NaNs" (never happened) as NaN. */
    private static double seconds(String cell) {
        String digits = cell.replaceAll("[^0-9.]", "");
        return digits.isEmpty() ? Double.NaN : Double.parseDouble(digits);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The 1-minute load average, or 0 if unknown. */
    static double loadAverage1() {
        try {
            return Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
