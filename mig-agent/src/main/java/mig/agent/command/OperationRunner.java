package mig.agent.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mig.common.ModuleResult;
import mig.common.json.GoJson;
import mig.common.Operation;
import mig.common.json.GoJsonException;
import mig.modules.HasEnhancedPrivacy;
import mig.modules.Module;
import mig.modules.RunContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command's operations in this process, in parallel, each bounded by a deadline.
 *
 * <p>Design. The original ran each operation as a child process and killed it at the deadline.
 * Here modules are in-process ({@link Module#run}), so a deadline is enforced in two steps: the
 * module sees the deadline in its {@link RunContext} and is expected to return by then with what it
 * found; {@link #GRACE} later its thread is interrupted and the operation is reported as
 * {@code timeout} with an empty result, as the original did. A module that returned past its
 * deadline is also {@code timeout}, but keeps its partial result.
 *
 * <p>Concurrency. Every operation gets its own daemon thread from a cached pool, but only
 * {@code parallelism} of them (at most half the cores, the original's rule) may run a module at a
 * time: a {@link Semaphore} gates them, and waiting for a permit counts against the deadline. A
 * timed-out run gives its permit back at once, even if its module ignores the interrupt, so one
 * misbehaving module cannot stall every later command; such a thread is logged and left to end on
 * its own. Each run's permit state ({@link Run#permit}) guarantees the permit is released once.
 */
public final class OperationRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    /** How long past its deadline a module may take to hand back its partial result. */
    static final Duration GRACE = Duration.ofMillis(500);

    private final Map<String, Module> modules;
    private final int parallelism;
    private final Clock clock;
    private final boolean extraPrivacyMode;
    private final Semaphore slots;
    private final ExecutorService threads;
    private final AtomicInteger threadCount = new AtomicInteger();

    /**
     * @param modules          the modules this agent offers, by case-sensitive name
     * @param parallelism      modules running at once, at least 1
     * @param extraPrivacyMode ask modules that can to mask their results
     */
    public OperationRunner(Map<String, Module> modules, int parallelism, Clock clock, boolean extraPrivacyMode) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.modules = Map.copyOf(modules);
        this.parallelism = parallelism;
        this.clock = clock;
        this.extraPrivacyMode = extraPrivacyMode;
        this.slots = new Semaphore(parallelism, true);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mig-module-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs every operation and waits for all of them (at most until {@code deadline} plus the grace).
     *
     * @param logPrefix e.g. {@code action 1 command 2}, for log lines
     * @return one outcome per operation, in operation order
     * @throws InterruptedException if the agent is shutting down; running modules are interrupted
     */
    public List<OperationOutcome> runAll(List<Operation> operations, Instant deadline, String logPrefix)
            throws InterruptedException {
        List<Run> runs = new ArrayList<>(operations.size());
        for (int i = 0; i < operations.size(); i++) {
            runs.add(start(operations.get(i), i, deadline, logPrefix));
        }
        List<OperationOutcome> outcomes = new ArrayList<>(runs.size());
        try {
            for (Run run : runs) {
                outcomes.add(await(run, deadline, logPrefix));
            }
        } catch (InterruptedException e) {
            runs.stream().filter(r -> r.future != null).forEach(r -> r.abandon());
            throw e;
        }
        return outcomes;
    }

    private Run start(Operation op, int index, Instant deadline, String logPrefix) {
        Run run = new Run(op.module(), index);
        Module module = modules.get(op.module());
        if (module == null) {
            LOG.warn("{}: module '{}' not available", logPrefix, op.module());
            run.immediate = OperationOutcome.failed("module '" + op.module() + "' is not available");
            return run;
        }
        Operation plain;
        try {
            plain = op.decompressed();
        } catch (GoJsonException e) {
            run.immediate = OperationOutcome.failed(e.getMessage());
            return run;
        }
        LOG.info("{}: sending operation {} to module {}", logPrefix, index, op.module());
        RunContext ctx = new RunContext(deadline, clock, parallelism, RunContext.DEFAULT_MAX_RESULT_BYTES);
        run.future = threads.submit(() -> execute(run, module, plain, ctx));
        return run;
    }

    private ModuleResult execute(Run run, Module module, Operation op, RunContext ctx) throws InterruptedException {
        long waitNanos = Math.max(0, Duration.between(clock.instant(), ctx.deadline()).toNanos());
        if (!slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
            return null;
        }
        if (!run.permit.compareAndSet(Run.NOT_HELD, Run.HELD)) {
            slots.release();
            return null;
        }
        try {
            ModuleResult r = module.run(op.parameters(), ctx);
            if (extraPrivacyMode && module instanceof HasEnhancedPrivacy privacy) {
                r = privacy.enhancePrivacy(r);
            }
            run.finishedLate = ctx.pastDeadline();
            return asGenericJson(r);
        } finally {
            run.releasePermit();
        }
    }

    /**
     * The original agent read each module's stdout into generic JSON before publishing, so the
     * objects of its results have sorted keys; a module that keeps typed records (struct order) is
     * published the same way.
     */
    static ModuleResult asGenericJson(ModuleResult r) {
        return new ModuleResult(r.foundAnything(), r.success(), GoJson.toTree(r.elements()),
                GoJson.toTree(r.statistics()), r.errors());
    }

    private OperationOutcome await(Run run, Instant deadline, String logPrefix) throws InterruptedException {
        if (run.immediate != null) {
            return run.immediate;
        }
        long waitNanos = Math.max(0, Duration.between(clock.instant(), deadline.plus(GRACE)).toNanos());
        try {
            ModuleResult r = run.future.get(waitNanos, TimeUnit.NANOSECONDS);
            if (r == null) {
                LOG.warn("{}: operation {} ({}) timed out waiting for a free module slot", logPrefix, run.index,
                        run.module);
                return OperationOutcome.timeout(ModuleResult.EMPTY);
            }
            if (run.finishedLate) {
                LOG.warn("{}: operation {} ({}) reached its deadline", logPrefix, run.index, run.module);
                return OperationOutcome.timeout(r);
            }
            LOG.info("{}: operation {} ({}) done", logPrefix, run.index, run.module);
            return OperationOutcome.success(r);
        } catch (TimeoutException e) {
            LOG.warn("{}: operation {} ({}) timed out; interrupting it", logPrefix, run.index, run.module);
            run.abandon();
            return OperationOutcome.timeout(ModuleResult.EMPTY);
        } catch (CancellationException e) {
            return OperationOutcome.timeout(ModuleResult.EMPTY);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.warn("{}: operation {} ({}) failed: {}", logPrefix, run.index, run.module, cause.toString());
            return OperationOutcome.failed("module '" + run.module + "' failed: " + cause);
        }
    }

    /** Interrupts running modules; does not wait for modules that ignore interrupts. */
    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** One operation's run: its future and who holds its module slot. */
    private final class Run {
        static final int NOT_HELD = 0;
        static final int HELD = 1;
        static final int RELEASED = 2;

        final String module;
        final int index;
        final AtomicInteger permit = new AtomicInteger(NOT_HELD);
        volatile Future<ModuleResult> future;
        volatile boolean finishedLate;
        OperationOutcome immediate;

        Run(String module, int index) {
            this.module = module;
            this.index = index;
        }

        void releasePermit() {
            if (permit.getAndSet(RELEASED) == HELD) {
                slots.release();
            }
        }

        /** Interrupts the module and frees its slot now, whether or not it stops. */
        void abandon() {
            future.cancel(true);
            releasePermit();
        }
    }
}
