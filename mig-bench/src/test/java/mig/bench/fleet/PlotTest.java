package mig.bench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotTest {

    @TempDir
    Path tmp;

    @Test
    void writesAPngOfTheSeriesWithoutADisplay() throws Exception {
        Path png = tmp.resolve("plot.png");
        Plot.write(
                png,
                "title",
                "agents",
                "seconds",
                List.of(new Plot.Series(
                        "results",
                        Color.BLUE,
                        List.of(new double[] {100, 0.5}, new double[] {1000, 3}, new double[] {5000, 17}))),
                List.of(new Plot.Target(1000, 5, "target")));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(560, img.getHeight());
    }

    @Test
    void axisStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(1000, Plot.niceStep(5000), 1e-9);
        assertEquals(5, Plot.niceStep(22), 1e-9);
        assertEquals(0.2, Plot.niceStep(1.1), 1e-9);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, FleetMain.median(new double[] {4, 1, 2, 3}), 1e-9);
        assertEquals(3, FleetMain.median(new double[] {3, 9, 1}), 1e-9);
    }
}
