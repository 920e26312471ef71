package mig.testkit.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the fuzz tests rely on {@link Fuzz#check} for: it tells refusals, crashes and hangs apart. */
class FuzzCheckTest {

    @Test
    void aDocumentedRefusalWithAMessageIsRefusedAndAnAnswerIsAccepted() {
        assertEquals(Fuzz.Outcome.ACCEPTED, Fuzz.check("x", () -> 1, IllegalArgumentException.class));
        assertEquals(
                Fuzz.Outcome.REFUSED,
                Fuzz.check(
                        "x",
                        () -> {
                            throw new IllegalArgumentException("bad x");
                        },
                        IllegalArgumentException.class));
    }

    @Test
    void anUndocumentedExceptionOrABlankMessageFails() {
        AssertionError other = assertThrows(
                AssertionError.class,
                () -> Fuzz.check(
                        "x",
                        () -> {
                            throw new IllegalStateException("boom");
                        },
                        IllegalArgumentException.class));
        assertTrue(other.getMessage().startsWith("undocumented java.lang.IllegalStateException"), other.getMessage());
        AssertionError blank = assertThrows(
                AssertionError.class,
                () -> Fuzz.check(
                        "x",
                        () -> {
                            throw new IllegalArgumentException(" ");
                        },
                        IllegalArgumentException.class));
        assertTrue(blank.getMessage().contains("without a message"), blank.getMessage());
    }

    @Test
    void aTryThatSpinsPastItsCpuBoundIsAHang() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Fuzz.check(
                        Duration.ofMillis(300),
                        "loop",
                        () -> {
                            long n = 0;
                            while (!Thread.currentThread().isInterrupted()) {
                                n++;
                            }
                            return n;
                        },
                        IllegalArgumentException.class));
        assertTrue(e.getMessage().startsWith("no answer within PT0.3S of CPU time"), e.getMessage());
        assertTrue(e.getMessage().endsWith("for input \"loop\""), e.getMessage());
        // the runner was replaced: the next try runs
        assertEquals(Fuzz.Outcome.ACCEPTED, Fuzz.check("x", () -> 1, IllegalArgumentException.class));
    }

    @Test
    void aTryBlockedWithoutSpinningFailsAtTheWallLimit() {
        assertEquals(Duration.ofMinutes(1), Fuzz.wallLimit(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(270), Fuzz.wallLimit(Duration.ofSeconds(45)));
    }
}
