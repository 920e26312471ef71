package mig.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mig.common.ModuleResult;
import mig.modules.Module;
import mig.modules.RunContext;

/**
 * Module {@code fleetecho}: the cheap module simulated agents answer with, so a fleet run measures
 * the platform and not a file search. It answers {@code {"pong":true}}; parameter {@code sleepms}
 * makes it take that long first (honouring the deadline and interrupts), which the fault tests use
 * to have commands under way when they break something.
 *
 * <p>Registered with {@link java.util.ServiceLoader}, so a real agent started from the bench's
 * class path (a child JVM of a fault test) offers it too. {@link #runs()} counts runs in this JVM:
 * the bad-input tests check that no refused command ever reached a module.
 */
public final class FleetEchoModule implements Module {

    /** The module's name in actions. */
    public static final String NAME = "fleetecho";

    private static final AtomicLong RUNS = new AtomicLong();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModuleResult run(JsonNode parameters, RunContext context) {
        RUNS.incrementAndGet();
        long sleep = parameters == null ? 0 : parameters.path("sleepms").asLong(0);
        if (sleep > 0) {
            Duration left = context.remaining();
            long millis = Math.min(sleep, Math.max(0, left.toMillis()));
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ModuleResult(
                        false, false, null, null, List.of("interrupted after less than " + sleep + " ms"));
            }
            if (millis < sleep) {
                return new ModuleResult(
                        false, false, null, null, List.of("deadline reached before " + sleep + " ms had passed"));
            }
        }
        return new ModuleResult(
                true, true, JsonNodeFactory.instance.objectNode().put("pong", true), null, null);
    }

    /** Runs of this module in this JVM so far. */
    public static long runs() {
        return RUNS.get();
    }
}
