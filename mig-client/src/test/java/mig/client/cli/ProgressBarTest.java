package mig.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bar is laid out as the original's (cheggaaa/pb v1) and degrades to plain lines in a pipe. */
class ProgressBarTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void onATerminalItFillsEightyColumnsWithCountersBarPercentSpeedAndTimeLeft() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), 10, true, 200, nanos::get);
        assertEquals(
                " 0 / 10 [--------------------------------------------------------------]   0.00%",
                bar.render(0, false).stripTrailing());
        nanos.set(3_000_000_000L);
        String three = bar.render(3, false);
        assertEquals(80, three.length());
        assertEquals(
                " 3 / 10 [================>--------------------------------------]  30.00% 1/s 7s",
                three.stripTrailing());
        nanos.set(9_500_000_000L);
        assertEquals(
                " 10 / 10 [======================================================] 100.00% 1/s 9s",
                bar.render(10, true).stripTrailing());
    }

    @Test
    void aNarrowTerminalGetsANarrowerBar() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), 4, true, 40, nanos::get);
        assertEquals(40, bar.render(1, false).length());
    }

    @Test
    void inAPipeEachChangeIsOnePlainLineAndTheLastCarriesTheElapsedTime() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressBar bar =
                new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8), 2, false, 80, nanos::get).start();
        bar.set(0);
        nanos.set(1_000_000_000L);
        bar.set(1);
        nanos.set(4_200_000_000L);
        bar.set(2);
        bar.finish();
        assertEquals(
                " 0 / 2    0.00%\n 1 / 2   50.00% 1/s 1s\n 2 / 2  100.00% 0/s 0s\n 2 / 2  100.00% 0/s 4s\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cancellingMarksTheBarLikeTheOriginal() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressBar bar =
                new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8), 3, false, 80, nanos::get).start();
        bar.cancel();
        assertEquals(" 0 / 3    0.00%\n 0 / 3    0.00% 0s [cancelling]\n", err.toString(StandardCharsets.UTF_8));
    }
}
