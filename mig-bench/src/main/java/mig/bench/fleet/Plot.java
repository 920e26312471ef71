package mig.bench.fleet;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small line chart drawn with {@code java.awt} in headless mode (no plotting library is needed on
 * the machine): time against fleet size, one line per series, optional target marks.
 */
final class Plot {

    /** A line: its name, colour and points. */
    record Series(String name, Color color, List<double[]> points) {}

    /** A target to beat at {@code x}: drawn as a red cross with its label. */
    record Target(double x, double y, String label) {}

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;

    private Plot() {}

    static void write(Path png, String title, String xLabel, String yLabel, List<Series> series, List<Target> targets)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        double maxX = 1;
        double maxY = 1;
        for (Series s : series) {
            for (double[] p : s.points()) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        for (Target t : targets) {
            maxX = Math.max(maxX, t.x());
            maxY = Math.max(maxY, t.y());
        }
        double xStep = niceStep(maxX);
        double yStep = niceStep(maxY * 1.1);
        // Headroom on the right, so the last point and its label stay inside the frame.
        double xMax = Math.ceil(maxX * 1.1 / xStep) * xStep;
        double yMax = Math.ceil(maxY * 1.1 / yStep) * yStep;

        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double y = 0; y <= yMax + 1e-9; y += yStep) {
            int py = TOP + plotH - (int) Math.round(y / yMax * plotH);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = fmt(y);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        for (double x = 0; x <= xMax + 1e-9; x += xStep) {
            int px = LEFT + (int) Math.round(x / xMax * plotW);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = fmt(x);
            g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotH + fm.getHeight() + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, HEIGHT - 22);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2 + fm.stringWidth(yLabel) / 2), 22);
        rotated.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        int legendY = TOP + 18;
        int index = 0;
        for (Series s : series) {
            // Labels of the first series go above its points, of the others below, so they do not collide.
            int labelDy = index++ == 0 ? -8 : fm.getAscent() + 6;
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.5f));
            int[] prev = null;
            for (double[] p : s.points()) {
                int px = LEFT + (int) Math.round(p[0] / xMax * plotW);
                int py = TOP + plotH - (int) Math.round(p[1] / yMax * plotH);
                if (prev != null) {
                    g.drawLine(prev[0], prev[1], px, py);
                }
                g.fillOval(px - 4, py - 4, 8, 8);
                g.drawString(String.format(Locale.ROOT, "%.1f s", p[1]), px + 6, py + labelDy);
                prev = new int[] {px, py};
            }
            g.drawLine(LEFT + 14, legendY - 4, LEFT + 40, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + 46, legendY);
            legendY += 18;
        }
        g.setStroke(new BasicStroke(2f));
        for (Target t : targets) {
            int px = LEFT + (int) Math.round(t.x() / xMax * plotW);
            int py = TOP + plotH - (int) Math.round(t.y() / yMax * plotH);
            g.setColor(new Color(200, 30, 30));
            g.drawLine(px - 6, py - 6, px + 6, py + 6);
            g.drawLine(px - 6, py + 6, px + 6, py - 6);
            // Left of the cross (point labels sit to the right of points), unless that leaves the frame.
            boolean right = px - 9 - fm.stringWidth(t.label()) < LEFT;
            g.drawString(t.label(), right ? px + 9 : px - 9 - fm.stringWidth(t.label()), py - 6);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    /** 1, 2 or 5 times a power of ten, giving about 5-10 ticks up to {@code max}. */
    static double niceStep(double max) {
        double raw = max / 6;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * pow >= raw) {
                return m * pow;
            }
        }
        return 10 * pow;
    }

    private static String fmt(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
