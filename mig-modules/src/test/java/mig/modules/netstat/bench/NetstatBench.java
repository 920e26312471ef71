package mig.modules.netstat.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.ModuleMessages;
import mig.modules.RunContext;
import mig.modules.netstat.NetstatModule;

/**
 * Wall time of a netstat query on this machine, as the agent runs it: the first run in a fresh JVM
 * (what a module process started per command pays), then warm runs. Prints figures; asserts nothing.
 *
 * <pre>bench/netstat-bench.sh [warm runs] [parameters JSON]</pre>
 */
public final class NetstatBench {

    private static final String DEFAULT_QUERY = "{\"localmac\":[\"^02:\"],\"localip\":[\"127.0.0.0/8\",\"::1\"],"
            + "\"neighborip\":[\"192.0.2.0/24\"],\"neighbormac\":[\"^02:fc\"],"
            + "\"connectedip\":[\"127.0.0.1\",\"10.0.0.0/8\",\"::1\"],\"listeningport\":[\"22\",\"443\",\"1664\"],"
            + "\"namespaces\":false}";

    private NetstatBench() {}

    public static void main(String[] args) {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        String query = args.length > 1 ? args[1] : DEFAULT_QUERY;
        NetstatModule module = new NetstatModule();

        long t0 = System.nanoTime();
        ModuleResult first = module.run(GoJson.tree(query), RunContext.withTimeout(Duration.ofMinutes(1)));
        double firstMs = ms(System.nanoTime() - t0);
        System.out.printf("query: %s%n", query);
        System.out.printf(
                "result: found=%s examined=%s totalhits=%s errors=%s%n",
                first.foundAnything(),
                first.statistics().get("examined"),
                first.statistics().get("totalhits"),
                first.errors());
        System.out.printf("first run (cold JVM):        %8.2f ms%n", firstMs);

        double[] runs = new double[warm];
        for (int i = 0; i < warm; i++) {
            long t = System.nanoTime();
            module.run(GoJson.tree(query), RunContext.withTimeout(Duration.ofMinutes(1)));
            runs[i] = ms(System.nanoTime() - t);
        }
        report("warm module.run", runs);

        String in = ModuleMessages.parametersMessage(GoJson.tree(query)) + "\n";
        double[] protocol = new double[warm];
        for (int i = 0; i < warm; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long t = System.nanoTime();
            ModuleMessages.runFromStdin(
                    module,
                    new BufferedReader(new StringReader(in)),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    false,
                    Duration.ofMinutes(1));
            protocol[i] = ms(System.nanoTime() - t);
        }
        report("warm stdin JSON -> result JSON", protocol);
    }

    private static void report(String what, double[] runs) {
        double[] s = runs.clone();
        Arrays.sort(s);
        System.out.printf(
                "%-30s n=%d  min %.2f  median %.2f  p95 %.2f  max %.2f ms%n",
                what, s.length, s[0], s[s.length / 2], s[(int) (s.length * 0.95)], s[s.length - 1]);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
