package mig.agent.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.common.json.GoJson;
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
 * <p>Concurrency. Operations run on a bounded pool of {@code parallelism + }{@value #SPARE_THREADS}
 * daemon threads (operations beyond that wait in its queue), and only {@code parallelism} of them
 * (at most half the cores, the original's rule) may run a module at a time: a {@link Semaphore}
 * gates them, and waiting for a thread or a permit counts against the deadline. A timed-out run
 * gives its permit back at once, even if its module ignores the interrupt, so one misbehaving module
 * cannot stall every later command; such a thread is logged and left to end on its own, and the
 * spare threads keep the pool serving meanwhile. When every thread of the pool is held by such a
 * module, the agent cannot run anything any more: {@link #runAll} throws {@link Unrecoverable} and
 * the agent exits for its supervisor to restart it. Each run's permit state ({@link Run#permit})
 * guarantees the permit is released once.
 *
 * <p>Bounds per command (the original had none; docs/agent.md): at most {@value #MAX_OPERATIONS}
 * operations (checked by {@link CommandProcessor}), and compressed parameters are decompressed only
 * once their operation holds a module slot, all of a command's together to at most
 * {@value #MAX_DECOMPRESSED_BYTES} bytes, so a small signed action cannot make the agent hold
 * megabytes of parameters per operation at once.
 */
public final class OperationRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    /** How long past its deadline a module may take to hand back its partial result. */
    static final Duration GRACE = Duration.ofMillis(500);
    /** Operations one command may have. */
    public static final int MAX_OPERATIONS = 100;
    /** Bytes the compressed parameters of one command may decompress to, all operations together. */
    public static final int MAX_DECOMPRESSED_BYTES = 1 << 20;
    /** Pool threads beyond {@code parallelism}, for modules that ignore their deadline. */
    public static final int SPARE_THREADS = 2;
    /** How long a command waits for abandoned modules to give a pool thread back before giving up. */
    static final Duration STUCK_PATIENCE = Duration.ofSeconds(10);

    /** Every thread of the pool is held by a module that ignored its deadline: nothing can run. */
    public static final class Unrecoverable extends Error {
        private static final long serialVersionUID = 1L;

        Unrecoverable(String message) {
            super(message);
        }
    }

    /** An operation refused before its module ran; its message is the operation's error. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Module> modules;
    private final int parallelism;
    private final Clock clock;
    private final boolean extraPrivacyMode;
    private final Semaphore slots;
    private final ThreadPoolExecutor threads;
    private final AtomicInteger threadCount = new AtomicInteger();
    /** Abandoned runs whose module has not returned yet, each holding a pool thread. */
    private final AtomicInteger stuck = new AtomicInteger();

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
        int poolSize = parallelism + SPARE_THREADS;
        this.threads =
                new ThreadPoolExecutor(poolSize, poolSize, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "mig-module-" + threadCount.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.threads.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs every operation and waits for all of them (at most until {@code deadline} plus the grace).
     *
     * @param logPrefix e.g. {@code action 1 command 2}, for log lines
     * @return one outcome per operation, in operation order
     * @throws InterruptedException if the agent is shutting down; running modules are interrupted
     * @throws Unrecoverable         if every pool thread is held by a module that ignored its deadline
     */
    public List<OperationOutcome> runAll(List<Operation> operations, Instant deadline, String logPrefix)
            throws InterruptedException {
        // A module just interrupted at its deadline usually returns within moments: give them time.
        long end = System.nanoTime() + STUCK_PATIENCE.toNanos();
        while (stuck.get() >= threads.getMaximumPoolSize() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        int held = stuck.get();
        if (held >= threads.getMaximumPoolSize()) {
            throw new Unrecoverable(held + " modules ignored their deadline and still hold every module thread; "
                    + "the agent cannot run operations any more");
        }
        AtomicLong budget = new AtomicLong(MAX_DECOMPRESSED_BYTES);
        List<Run> runs = new ArrayList<>(operations.size());
        for (int i = 0; i < operations.size(); i++) {
            runs.add(start(operations.get(i), i, deadline, logPrefix, budget));
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

    private Run start(Operation op, int index, Instant deadline, String logPrefix, AtomicLong budget) {
        Run run = new Run(op.module(), index);
        Module module = modules.get(op.module());
        if (module == null) {
            LOG.warn("{}: module '{}' not available", logPrefix, op.module());
            run.immediate = OperationOutcome.failed("module '" + op.module() + "' is not available");
            return run;
        }
        LOG.info("{}: sending operation {} to module {}", logPrefix, index, op.module());
        RunContext ctx = new RunContext(deadline, clock, parallelism, RunContext.DEFAULT_MAX_RESULT_BYTES);
        run.future = threads.submit(() -> execute(run, module, op, ctx, budget));
        return run;
    }

    private ModuleResult execute(Run run, Module module, Operation op, RunContext ctx, AtomicLong budget)
            throws InterruptedException, Refused {
        long waitNanos =
                Math.max(0, Duration.between(clock.instant(), ctx.deadline()).toNanos());
        if (!slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
            return null;
        }
        if (!run.permit.compareAndSet(Run.NOT_HELD, Run.HELD)) {
            slots.release();
            return null;
        }
        synchronized (run.stateLock) {
            run.running = true;
        }
        try {
            ModuleResult r = module.run(plain(op, budget).parameters(), ctx);
            if (extraPrivacyMode && module instanceof HasEnhancedPrivacy privacy) {
                r = privacy.enhancePrivacy(r);
            }
            run.finishedLate = ctx.pastDeadline();
            return asGenericJson(r);
        } finally {
            run.releasePermit();
            run.ended();
        }
    }

    /** The operation with plain parameters, decompressed (in the module slot) within the command's budget. */
    private static Operation plain(Operation op, AtomicLong budget) throws Refused {
        if (!op.isCompressed()) {
            return op;
        }
        long left = budget.get();
        byte[] json;
        try {
            json = op.decompressedJson((int) Math.max(0, left));
        } catch (GoJsonException e) {
            if (e.getMessage().contains("decompressed parameters exceed")) {
                throw new Refused("operation '" + op.module() + "': the decompressed parameters of a command may "
                        + "take at most " + MAX_DECOMPRESSED_BYTES + " bytes in all (" + left + " left for this "
                        + "operation)");
            }
            throw new Refused(e.getMessage());
        }
        budget.addAndGet(-json.length);
        return new Operation(
                op.module(),
                GoJson.tree(new String(json, java.nio.charset.StandardCharsets.UTF_8)),
                false,
                op.wantCompressed());
    }

    /**
     * The original agent read each module's stdout into generic JSON before publishing, so the
     * objects of its results have sorted keys; a module that keeps typed records (struct order) is
     * published the same way.
     */
    static ModuleResult asGenericJson(ModuleResult r) {
        return new ModuleResult(
                r.foundAnything(), r.success(), GoJson.toTree(r.elements()), GoJson.toTree(r.statistics()), r.errors());
    }

    private OperationOutcome await(Run run, Instant deadline, String logPrefix) throws InterruptedException {
        if (run.immediate != null) {
            return run.immediate;
        }
        long waitNanos = Math.max(
                0, Duration.between(clock.instant(), deadline.plus(GRACE)).toNanos());
        try {
            ModuleResult r = run.future.get(waitNanos, TimeUnit.NANOSECONDS);
            if (r == null) {
                LOG.warn(
                        "{}: operation {} ({}) timed out waiting for a free module slot",
                        logPrefix,
                        run.index,
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
            if (cause instanceof Refused) {
                LOG.warn("{}: operation {} ({}) refused: {}", logPrefix, run.index, run.module, cause.getMessage());
                return OperationOutcome.failed(cause.getMessage());
            }
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
        /** The module was called and has not returned; under {@link #stateLock}. */
        boolean running;
        /** Abandoned while running: counted in {@link #stuck} until it returns; under {@link #stateLock}. */
        boolean stuckCounted;

        final Object stateLock = new Object();
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
            synchronized (stateLock) {
                if (running && !stuckCounted) {
                    stuckCounted = true;
                    stuck.incrementAndGet();
                }
            }
        }

        /** The module returned (or threw). */
        void ended() {
            synchronized (stateLock) {
                running = false;
                if (stuckCounted) {
                    stuckCounted = false;
                    stuck.decrementAndGet();
                }
            }
        }
    }
}
