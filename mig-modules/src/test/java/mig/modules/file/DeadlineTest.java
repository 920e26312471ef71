package mig.modules.file;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import mig.common.ModuleResult;
import mig.modules.RunContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search that runs out of time or is interrupted stops promptly and returns what it found, saying so. */
class DeadlineTest {

    @TempDir
    Path tmp;

    /** A file of {@code size} zero bytes that takes no disk: reading it is pure CPU, and long. */
    private static Path sparse(Path file, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    @Test
    void aSearchOverMoreThanItHasTimeForIsStoppedAtTheDeadline() throws Exception {
        Path dir = tmp.toRealPath();
        sparse(dir.resolve("huge.bin"), 64L << 30);
        Files.writeString(dir.resolve("found.txt"), "found\n");
        String params = "{\"searches\":{"
                + "\"fine\":{\"paths\":[\"" + dir + "\"],\"names\":[\"^found\"],\"options\":{\"matchall\":true}},"
                + "\"slow\":{\"paths\":[\"" + dir + "\"],\"contents\":[\"x\"],\"options\":{\"matchall\":true}}}}";
        RunContext ctx = new RunContext(
                Instant.now().plusMillis(700), Clock.systemUTC(), 1, RunContext.DEFAULT_MAX_RESULT_BYTES);
        ModuleResult r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Runs.run(params, ctx));
        List<String> errors = Runs.errors(r);
        assertTrue(
                errors.get(errors.size() - 1)
                        .matches("ERROR: the search reached its deadline after .* and stopped: "
                                + "results are incomplete"),
                errors::toString);
        assertTrue(r.success());
    }

    @Test
    void aRunWhoseDeadlineHasPassedReturnsAtOnceWithAnError() throws Exception {
        Path dir = tmp.toRealPath();
        Files.writeString(dir.resolve("f"), "x");
        RunContext ctx = new RunContext(
                TestTree.NOW.minusSeconds(1),
                Clock.fixed(TestTree.NOW, java.time.ZoneOffset.UTC),
                1,
                RunContext.DEFAULT_MAX_RESULT_BYTES);
        ModuleResult r = Runs.run(
                Runs.search("\"paths\":[\"" + dir + "\"],\"names\":[\".\"],\"options\":{\"matchall\":true}"), ctx);
        assertTrue(Runs.files(r, "s1").isEmpty());
        assertTrue(Runs.errors(r).get(0).startsWith("ERROR: the search reached its deadline"));
    }

    @Test
    void anInterruptedRunStopsAndKeepsTheInterruptFlag() throws Exception {
        Path dir = tmp.toRealPath();
        sparse(dir.resolve("huge.bin"), 64L << 30);
        String params = Runs.search("\"paths\":[\"" + dir + "\"],\"contents\":[\"x\"],\"options\":{\"matchall\":true}");
        AtomicReference<Boolean> flag = new AtomicReference<>();
        AtomicReference<Thread> runner = new AtomicReference<>();
        CompletableFuture<ModuleResult> f = CompletableFuture.supplyAsync(() -> {
            runner.set(Thread.currentThread());
            ModuleResult r = Runs.run(
                    params,
                    new RunContext(
                            Instant.now().plusSeconds(600), Clock.systemUTC(), 1, RunContext.DEFAULT_MAX_RESULT_BYTES));
            flag.set(Thread.interrupted());
            return r;
        });
        await("the run started").atMost(Duration.ofSeconds(30)).until(() -> runner.get() != null);
        Thread.sleep(300); // into the catastrophic regex, so that the interrupt lands mid-search: nothing to await
        runner.get().interrupt();
        ModuleResult r = f.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(
                Runs.errors(r).get(0).startsWith("ERROR: the search was interrupted after "), Runs.errors(r)::toString);
        assertEquals(true, flag.get());
    }

    /**
     * Java's backtracking engine took exponential time here and ran until the deadline; Go's RE2
     * is linear. A line like a CSV export's, and the expression an investigator tried on it.
     */
    @Test
    void aRegexThatBacktracksInJavaRunsInLinearTimeOnALongCsvLine() throws Exception {
        Path dir = tmp.toRealPath();
        String line = "2026-12-06,host-01,ok,".repeat(19).substring(0, 399) + "\n";
        Files.writeString(dir.resolve("export.csv"), line.repeat(3));
        String params = Runs.search(
                "\"paths\":[\"" + dir + "\"],\"contents\":[\"(.*,){11}P\"]," + "\"options\":{\"matchall\":true}");
        RunContext ctx = new RunContext(
                Instant.now().plusSeconds(30), Clock.systemUTC(), 1, RunContext.DEFAULT_MAX_RESULT_BYTES);
        ModuleResult r = Runs.run(params, ctx);
        long t0 = System.nanoTime();
        Runs.run(params, ctx); // the first run also loaded the module's classes: this one shows the search
        System.out.printf("(.*,){11}P over three 400-byte CSV lines: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(List.of(), Runs.errors(r), "no deadline reached");
        assertTrue(Runs.files(r, "s1").isEmpty());
        String withP = Runs.search(
                "\"paths\":[\"" + dir + "\"],\"contents\":[\"(.*,){11}2026\"]," + "\"options\":{\"matchall\":true}");
        assertEquals(1, Runs.files(Runs.run(withP, ctx), "s1").size());
    }
}
