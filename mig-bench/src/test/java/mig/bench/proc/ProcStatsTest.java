package mig.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void cpuTimeIsUtimePlusStimeEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        String stat = "4242 (java (mig) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 40 0 100 "
                + "9000000000 60000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0 0 0 0";
        assertEquals(300 / (double) ProcStats.CLOCK_TICKS, ProcStats.cpuSeconds(stat), 1e-9);
    }

    @Test
    void residentSizesAreReadInKilobytes() {
        String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t42\n";
        assertEquals(102_400, ProcStats.kb(status, "VmRSS:"));
        assertEquals(204_800, ProcStats.kb(status, "VmHWM:"));
        assertEquals(0, ProcStats.kb(status, "VmSwap:"));
    }

    @Test
    void aWindowOnThisJvmSeesTheCpuItBurns() throws IOException {
        ProcStats.Window w = ProcStats.Window.start(ProcessHandle.current().pid());
        long x = 0;
        long end = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < end) {
            x += System.nanoTime() % 7;
        }
        ProcStats.Usage u = w.end();
        assertTrue(u.cpuSeconds() > 0.05, "cpu " + u.cpuSeconds() + " (" + x + ")");
        assertTrue(u.peakRssKb() > 10_000, "rss " + u.peakRssKb());
        assertTrue(u.hwmKb() >= u.peakRssKb(), "high-water mark " + u.hwmKb());
    }

    @Test
    void theMachineLineOfProcStatSplitsIntoBusyAndTotal() {
        long[] t = MachineStats.cpuTicks("cpu  100 5 50 800 40 1 4 0 0 0");
        assertEquals(100 + 5 + 50 + 1 + 4, t[0]);
        assertEquals(100 + 5 + 50 + 800 + 40 + 1 + 4, t[1]);
    }
}
