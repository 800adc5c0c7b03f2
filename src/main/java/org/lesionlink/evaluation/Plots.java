package org.lesionlink.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.lesionlink.evaluation.metric.Percentiles;
import org.lesionlink.evaluation.stats.Summary;

/**
 * PNG charts like the seed paper's Figures 1 and 2, drawn with Java2D (no plotting dependency): for a
 * metric, one panel per region, one bar per model at the mean with 95% CI error bars
 * ({@code bar_METRIC.png}), and box plots ({@code box_METRIC.png}: box from the first to the third
 * quartile, line at the median, whiskers to the furthest values within 1.5 IQR of the box, points
 * beyond them drawn as circles, the mean as a cross).
 */
public final class Plots {

    /** Metrics plotted by default. */
    public static final List<Metric> DEFAULT_METRICS = List.of(Metric.DICE, Metric.HD, Metric.HD95, Metric.LESION_DICE);

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final int PANEL_W = 300;
    private static final int PANEL_H = 360;
    private static final int LEFT = 70;
    private static final int TOP = 60;
    private static final int BOTTOM = 80;

    private Plots() {
    }

    /** Writes the bar and box charts of {@code metrics} into {@code dir}; returns the files written. */
    public static List<Path> writeAll(Analysis a, Path dir, List<Metric> metrics) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Metric m : metrics) {
            Path bar = dir.resolve("bar_" + m.id() + ".png");
            ImageIO.write(chart(a, m, true), "png", bar.toFile());
            out.add(bar);
            Path box = dir.resolve("box_" + m.id() + ".png");
            ImageIO.write(chart(a, m, false), "png", box.toFile());
            out.add(box);
        }
        return out;
    }

    static BufferedImage chart(Analysis a, Metric metric, boolean bars) {
        List<String> regions = a.regions();
        List<String> models = a.models();
        int width = LEFT + regions.size() * PANEL_W + 20;
        int height = TOP + PANEL_H + BOTTOM;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        // data and a common y range
        double[][][] data = new double[regions.size()][models.size()][];
        Summary[][] sums = new Summary[regions.size()][models.size()];
        double lo = 0;
        double hi = 0;
        for (int r = 0; r < regions.size(); r++) {
            for (int m = 0; m < models.size(); m++) {
                double[] v = a.values(models.get(m), regions.get(r), metric).values().stream()
                        .mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
                data[r][m] = v;
                sums[r][m] = Summary.of(v);
                for (double x : v) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
                if (bars && Double.isFinite(sums[r][m].ciHigh())) {
                    hi = Math.max(hi, sums[r][m].ciHigh());
                    lo = Math.min(lo, sums[r][m].ciLow());
                }
            }
        }
        if (metric == Metric.DICE || metric == Metric.LESION_DICE || metric == Metric.SENSITIVITY || metric == Metric.SPECIFICITY) {
            lo = Math.min(lo, 0);
            hi = Math.max(hi, 1);
        }
        double[] ticks = niceTicks(lo, hi == lo ? lo + 1 : hi);
        double y0 = ticks[0];
        double y1 = ticks[ticks.length - 1];

        Font title = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setColor(Color.BLACK);
        g.setFont(title);
        String unit = metric == Metric.HD || metric == Metric.HD95 || metric == Metric.LESION_HD95 ? " (mm)" : "";
        String heading = bars ? "Mean " + metric.id() + unit + " per region, error bars: 95% CI"
                : metric.id() + unit + " per region (box: IQR, line: median, x: mean)";
        g.drawString(heading, LEFT, 28);

        for (int r = 0; r < regions.size(); r++) {
            int px = LEFT + r * PANEL_W;
            int plotW = PANEL_W - 30;
            // axes and grid
            g.setFont(small);
            for (double t : ticks) {
                int y = yPix(t, y0, y1);
                g.setColor(new Color(0xdddddd));
                g.draw(new Line2D.Double(px, y, px + plotW, y));
                if (r == 0) {
                    g.setColor(Color.BLACK);
                    String s = tickLabel(t);
                    g.drawString(s, px - 8 - g.getFontMetrics().stringWidth(s), y + 4);
                }
            }
            g.setColor(Color.BLACK);
            g.draw(new Line2D.Double(px, TOP, px, TOP + PANEL_H));
            g.draw(new Line2D.Double(px, TOP + PANEL_H, px + plotW, TOP + PANEL_H));
            g.setFont(label);
            FontMetrics fm = g.getFontMetrics();
            String name = regions.get(r);
            g.drawString(name, px + (plotW - fm.stringWidth(name)) / 2, TOP + PANEL_H + 22);

            int slot = plotW / Math.max(1, models.size());
            for (int m = 0; m < models.size(); m++) {
                Color c = PALETTE[m % PALETTE.length];
                double cx = px + slot * (m + 0.5);
                double half = slot * 0.32;
                Summary s = sums[r][m];
                if (s.n() == 0) {
                    continue;
                }
                if (bars) {
                    int ym = yPix(s.mean(), y0, y1);
                    int yb = yPix(Math.max(y0, 0), y0, y1);
                    g.setColor(c);
                    g.fill(new Rectangle2D.Double(cx - half, Math.min(ym, yb), 2 * half, Math.abs(yb - ym)));
                    if (Double.isFinite(s.ciLow())) {
                        g.setColor(Color.BLACK);
                        g.setStroke(new BasicStroke(1.5f));
                        double ya = yPix(s.ciLow(), y0, y1);
                        double yc = yPix(s.ciHigh(), y0, y1);
                        g.draw(new Line2D.Double(cx, ya, cx, yc));
                        g.draw(new Line2D.Double(cx - half / 2, ya, cx + half / 2, ya));
                        g.draw(new Line2D.Double(cx - half / 2, yc, cx + half / 2, yc));
                        g.setStroke(new BasicStroke(1f));
                    }
                    g.setColor(Color.BLACK);
                    g.setFont(small);
                    String v = tickLabel(s.mean());
                    g.drawString(v, (float) (cx - g.getFontMetrics().stringWidth(v) / 2.0), Math.min(ym, yb) - 4
                            - (Double.isFinite(s.ciHigh()) ? Math.max(0, Math.min(ym, yb) - yPix(s.ciHigh(), y0, y1)) : 0));
                } else {
                    drawBox(g, data[r][m], s, cx, half, c, y0, y1);
                }
            }
        }
        // legend
        g.setFont(label);
        FontMetrics fm = g.getFontMetrics();
        int lx = LEFT;
        int ly = TOP + PANEL_H + 50;
        for (int m = 0; m < models.size(); m++) {
            g.setColor(PALETTE[m % PALETTE.length]);
            g.fillRect(lx, ly - 11, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(models.get(m), lx + 20, ly + 1);
            lx += 40 + fm.stringWidth(models.get(m));
        }
        g.dispose();
        return img;
    }

    private static void drawBox(Graphics2D g, double[] v, Summary s, double cx, double half, Color c, double y0, double y1) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double q1 = s.q1();
        double q3 = s.q3();
        double iqr = q3 - q1;
        double loW = q1;
        double hiW = q3;
        for (double x : sorted) {
            if (x >= q1 - 1.5 * iqr) {
                loW = Math.min(loW, x);
            }
            if (x <= q3 + 1.5 * iqr) {
                hiW = Math.max(hiW, x);
            }
        }
        int yq1 = yPix(q1, y0, y1);
        int yq3 = yPix(q3, y0, y1);
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
        g.fill(new Rectangle2D.Double(cx - half, yq3, 2 * half, Math.max(1, yq1 - yq3)));
        g.setColor(c.darker());
        g.setStroke(new BasicStroke(1.5f));
        g.draw(new Rectangle2D.Double(cx - half, yq3, 2 * half, Math.max(1, yq1 - yq3)));
        double ymed = yPix(Percentiles.ofSorted(sorted, 50), y0, y1);
        g.setStroke(new BasicStroke(2.5f));
        g.draw(new Line2D.Double(cx - half, ymed, cx + half, ymed));
        g.setStroke(new BasicStroke(1.5f));
        g.draw(new Line2D.Double(cx, yq3, cx, yPix(hiW, y0, y1)));
        g.draw(new Line2D.Double(cx, yq1, cx, yPix(loW, y0, y1)));
        g.draw(new Line2D.Double(cx - half / 2, yPix(hiW, y0, y1), cx + half / 2, yPix(hiW, y0, y1)));
        g.draw(new Line2D.Double(cx - half / 2, yPix(loW, y0, y1), cx + half / 2, yPix(loW, y0, y1)));
        for (double x : sorted) {
            if (x < loW || x > hiW) {
                double y = yPix(x, y0, y1);
                g.draw(new Ellipse2D.Double(cx - 3.5, y - 3.5, 7, 7));
            }
        }
        double ym = yPix(s.mean(), y0, y1);
        g.setColor(Color.BLACK);
        g.draw(new Line2D.Double(cx - 4, ym - 4, cx + 4, ym + 4));
        g.draw(new Line2D.Double(cx - 4, ym + 4, cx + 4, ym - 4));
        g.setStroke(new BasicStroke(1f));
    }

    private static int yPix(double v, double y0, double y1) {
        return (int) Math.round(TOP + PANEL_H - (v - y0) / (y1 - y0) * PANEL_H);
    }

    /** About five round tick values spanning [lo, hi]. */
    static double[] niceTicks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag * (raw / mag <= 1 ? 1 : raw / mag <= 2 ? 2 : raw / mag <= 2.5 ? 2.5 : raw / mag <= 5 ? 5 : 10);
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * step;
        }
        return t;
    }

    private static String tickLabel(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
