package mig.agent.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import mig.common.Command;
import mig.common.ModuleResult;
import mig.common.Operation;
import mig.modules.Module;
import mig.modules.RunContext;
import org.junit.jupiter.api.Test;

/** The runner's pool is bounded: modules that ignore their deadline use up its spare threads. */
class OperationRunnerTest {

    /** Ignores its deadline and interrupts until released, as a module stuck in a system call would. */
    private static final class Deaf implements Module {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "deaf";
        }

        @Override
        public ModuleResult run(JsonNode parameters, RunContext context) {
            while (true) {
                try {
                    release.await();
                    return ModuleResult.EMPTY;
                } catch (InterruptedException ignored) {
                    // deaf
                }
            }
        }
    }

    private static List<Operation> one(String module) {
        return List.of(Operation.of(module, JsonNodeFactory.instance.objectNode()));
    }

    @Test
    void modulesHoldingEveryPoolThreadPastTheirDeadlineMakeTheRunnerUnrecoverableUntilOneReturns() throws Exception {
        Deaf deaf = new Deaf();
        try (OperationRunner runner = new OperationRunner(Map.of("deaf", deaf), 1, Clock.systemUTC(), false)) {
            int threads = 1 + OperationRunner.SPARE_THREADS;
            for (int i = 0; i < threads; i++) {
                List<OperationOutcome> out =
                        runner.runAll(one("deaf"), Instant.now().plusMillis(200), "test " + i);
                assertEquals(Command.STATUS_TIMEOUT, out.get(0).status(), "command " + i);
            }
            OperationRunner.Unrecoverable e = assertThrows(
                    OperationRunner.Unrecoverable.class,
                    () -> runner.runAll(one("deaf"), Instant.now().plusSeconds(1), "test stuck"));
            assertTrue(e.getMessage().startsWith(threads + " modules ignored their deadline"), e.getMessage());

            deaf.release.countDown();
            long end = System.nanoTime() + 30_000_000_000L;
            List<OperationOutcome> out;
            do {
                out = runner.runAll(one("deaf"), Instant.now().plusSeconds(5), "test after");
            } while (!out.get(0).status().equals(Command.STATUS_SUCCESS) && System.nanoTime() < end);
            assertEquals(Command.STATUS_SUCCESS, out.get(0).status(), "the pool serves again once they return");
        }
    }
}
