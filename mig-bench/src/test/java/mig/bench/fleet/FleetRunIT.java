package mig.bench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mig.bench.platform.Investigator;
import mig.bench.proc.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark itself, small: 20 simulated agents against the API and scheduler started as child
 * JVMs, two warm-up actions, one measured action. Keeps bench/fleet.sh from rotting; its figures are not checked.
 */
class FleetRunIT {

    @TempDir
    Path tmp;

    @Test
    void aSmallFleetAnswersEveryCommandAndTheRunIsMeasured() throws Exception {
        FleetRun.Options options =
                new FleetRun.Options(List.of(20), 1, Duration.ofSeconds(5), 2, ChildJvm.SERVER_OPTIONS, tmp, 0, 40);
        List<FleetRun.Result> results = new FleetRun(20, options, Investigator.generate("fleet-it")).run();
        assertEquals(1, results.size());
        FleetRun.Result r = results.get(0);
        assertTrue(r.complete(), "the action completed");
        assertEquals(Map.of("success", 20), r.commandStatuses());
        assertTrue(r.publishedSeconds() > 0 && r.publishedSeconds() <= r.completedSeconds(), r.toString());
        assertTrue(r.api().peakRssKb() > 0 && r.scheduler().peakRssKb() > 0, "child JVMs measured");
        assertTrue(FleetMain.row(r).startsWith("    20 |   1 |"), FleetMain.row(r));
    }

    @Test
    void warmUpActionsGoToTheWholeFleetOnlyWhenAskedForAtLeastItsSize() {
        assertEquals(20, FleetRun.warmupPerAction(20, 1000));
        assertEquals(1000, FleetRun.warmupPerAction(5000, 1000));
        assertEquals(1000, FleetRun.warmupPerAction(5000, 4999));
        assertEquals(5000, FleetRun.warmupPerAction(5000, 10000));
    }
}
