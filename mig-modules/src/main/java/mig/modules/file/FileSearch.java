package mig.modules.file;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mig.common.config.GoDuration;
import mig.modules.RunContext;

/**
 * One run of the file module over validated searches: wires the walker (calling thread), the
 * checks, the read workers and the collector, and turns a deadline or an interrupt into partial
 * results with an error saying so.
 */
final class FileSearch {

    /**
     * What a run found.
     *
     * @param elements   the matched files by label
     * @param statistics the counters and run time
     * @param errors     walking errors (cut at maxerrors) and, last, why the run stopped early
     * @param found      true when anything was matched
     */
    record Outcome(
            Map<String, List<MatchedFile>> elements, Statistics statistics, List<String> errors, boolean found) {}

    private FileSearch() {}

    static Outcome run(List<CompiledSearch> searches, RunContext context) {
        long t0 = System.nanoTime();
        Guard guard = new Guard(context);
        ResultCollector collector = new ResultCollector(searches, context.maxResultBytes());
        FileChecks checks = new FileChecks(searches);
        DigestCache digests = new DigestCache();
        ThreadLocal<ReadPass.Scratch> scratch = ThreadLocal.withInitial(() -> new ReadPass.Scratch(guard));
        List<String> stopped = new ArrayList<>(1);
        try (OrderedPipeline pipeline = new OrderedPipeline(context, collector::commit)) {
            FileWalker walker = new FileWalker(searches, checks, pipeline, collector, guard);
            try {
                walker.walk(pending -> pipeline.submit(() -> {
                    try {
                        return checks.read(pending, scratch.get(), guard, digests);
                    } catch (SearchAborted e) {
                        return FileOutcome.aborted(e);
                    } catch (RuntimeException | StackOverflowError e) {
                        return new FileOutcome(
                                null,
                                null,
                                List.of(),
                                List.of("evaluateFile() -> "
                                        + pending.candidate().path() + ": " + e),
                                true,
                                false,
                                null);
                    }
                }));
                pipeline.finish();
            } catch (SearchAborted e) {
                pipeline.salvage();
                String after = GoDuration.format(Duration.ofNanos(System.nanoTime() - t0));
                stopped.add(
                        e.reason() == SearchAborted.Reason.DEADLINE
                                ? "ERROR: the search reached its deadline after " + after
                                        + " and stopped: results are incomplete"
                                : "ERROR: the search was interrupted after " + after + ": results are incomplete");
            }
        }
        if (collector.full()) {
            stopped.add("ERROR: the results reached the size limit of " + context.maxResultBytes()
                    + " bytes and the search stopped: results are incomplete, narrow the search");
        }
        List<String> errors = collector.errors();
        errors.addAll(stopped);
        String execTime = GoDuration.format(Duration.ofNanos(System.nanoTime() - t0));
        return new Outcome(collector.elements(), collector.statistics(execTime), errors, collector.totalHits() > 0);
    }
}
