package mig.modules.memory.bench;

import java.time.Duration;
import java.util.List;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.modules.RunContext;
import mig.modules.memory.MemoryModule;

/**
 * Wall time of memory searches over every process of this machine: a content regex with a literal
 * (the recorded investigation's), one whose literal is case-insensitive, one without any literal
 * (every byte goes through the regex), a byte string, and a name-only search. Each runs {@code repeats} times; the first run is in a fresh JVM.
 * Prints figures; asserts nothing.
 *
 * <pre>bench/memory-bench.sh [repeats] [threads]</pre>
 */
public final class MemoryBench {

    private MemoryBench() {}

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : RunContext.halfTheCores();
        List<String[]> searches = List.of(
                new String[] {
                    "content with literal", "{\"searches\":{\"s1\":{\"contents\":[\"migref-memory-marker-[0-9]+\"]}}}"
                },
                new String[] {
                    "content, (?i) literal", "{\"searches\":{\"s1\":{\"contents\":[\"(?i)passw[o0]rd=[^&\\\\s]{8}\"]}}}"
                },
                new String[] {
                    "content, no literal",
                    "{\"searches\":{\"s1\":{\"contents\":[\"\\\\b[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}\\\\b\"]}}}"
                },
                new String[] {"bytes", "{\"searches\":{\"s1\":{\"bytes\":[\"6d69672e6d6f7a696c6c612e6f7267\"]}}}"},
                new String[] {
                    "name only", "{\"searches\":{\"s1\":{\"names\":[\"java\"],\"options\":{\"matchall\":true}}}}"
                });
        MemoryModule module = new MemoryModule();
        System.out.printf(
                "threads: %d (cores: %d)%n", threads, Runtime.getRuntime().availableProcessors());
        for (String[] s : searches) {
            for (int i = 0; i < repeats; i++) {
                RunContext ctx = new RunContext(
                        java.time.Instant.now().plus(Duration.ofMinutes(10)),
                        java.time.Clock.systemUTC(),
                        threads,
                        RunContext.DEFAULT_MAX_RESULT_BYTES);
                long t = System.nanoTime();
                ModuleResult r = module.run(GoJson.tree(s[1]), ctx);
                double ms = (System.nanoTime() - t) / 1e6;
                long read = r.statistics().get("memoryread").asLong();
                System.out.printf(
                        "%-22s run %d: %9.1f ms  processes %3d  read %7.1f MiB (%6.1f MiB/s)  hits %d"
                                + "  failures %d%s%n",
                        s[0],
                        i + 1,
                        ms,
                        r.statistics().get("processcount").asInt(),
                        read / 1048576.0,
                        ms > 0 ? read / 1048576.0 / (ms / 1000) : 0,
                        r.statistics().get("totalhits").asInt(),
                        r.statistics().path("failures").size(),
                        r.errors() == null ? "" : "  errors " + r.errors());
            }
        }
    }
}
