package org.lesionlink.server;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.post.Lesion;

/**
 * The per-job HTML page: model and version, the lesion table, and for each lesion axial, coronal and
 * sagittal pictures through its centroid (the reference image in grey, the label map over it in the label
 * colours at 50 % opacity), with the "not for clinical use" disclaimer. Pictures are PNG files next to
 * {@code report.html}; the page has no scripts and no external resources.
 */
public final class ReportPages {

    /** The disclaimer on every page. */
    public static final String DISCLAIMER = "Research software: not for clinical use.";
    static final int MIN_PICTURE = 192;

    private ReportPages() {}

    /** Writes {@code report.html} and its PNGs into {@code dir}; returns the page. */
    public static Path write(Path dir, String jobId, ModelSpec spec, Volume reference, Volume labels, List<Lesion> lesions,
            Map<String, Long> timingsMs) throws IOException {
        Files.createDirectories(dir);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>LesionLink job ")
                .append(esc(jobId)).append("</title>\n<style>body{font-family:sans-serif;margin:16px;background:#fff;color:#111}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;text-align:right}"
                        + ".disclaimer{background:#fde68a;padding:6px;font-weight:bold}img{margin:2px;image-rendering:pixelated}"
                        + ".swatch{display:inline-block;width:12px;height:12px}</style></head><body>\n");
        h.append("<p class=\"disclaimer\">").append(esc(DISCLAIMER)).append("</p>\n");
        h.append("<h1>Job ").append(esc(jobId)).append("</h1>\n");
        h.append("<p>Model <b>").append(esc(spec.name())).append("</b> version ").append(esc(spec.version()))
                .append(" (").append(esc(spec.task().id())).append(")</p>\n<p>Labels: ");
        for (ModelSpec.Label l : spec.labels()) {
            h.append("<span class=\"swatch\" style=\"background:").append(esc(l.colour())).append("\"></span> ")
                    .append(l.value()).append(' ').append(esc(l.name())).append("&nbsp; ");
        }
        h.append("</p>\n<h2>Lesions (").append(lesions.size()).append(")</h2>\n");
        h.append("<table><tr><th>#</th><th>volume (ml)</th><th>longest diameter (mm)</th><th>centroid RAS (mm)</th>");
        for (ModelSpec.Label l : spec.labels()) {
            h.append("<th>").append(esc(l.name())).append(" (ml)</th>");
        }
        h.append("</tr>\n");
        for (Lesion l : lesions) {
            double[] c = l.centroidRas();
            h.append("<tr><td>").append(l.id()).append("</td><td>").append(f3(l.volumeMl())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", l.longestDiameterMm())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f, %.1f, %.1f", c[0], c[1], c[2])).append("</td>");
            for (ModelSpec.Label lab : spec.labels()) {
                h.append("<td>").append(f3(l.labelVolumesMl().getOrDefault(lab.name(), 0.0))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        int[][] colours = colours(spec);
        for (Lesion l : lesions) {
            double[] c = l.centroidRas();
            double[] ijk = reference.geometry().rasToIjk().apply(c[0], c[1], c[2]);
            h.append("<h3>Lesion ").append(l.id()).append("</h3>\n<p>");
            String[] names = {"axial", "coronal", "sagittal"};
            for (int view = 0; view < 3; view++) {
                String file = "lesion" + l.id() + "_" + names[view] + ".png";
                BufferedImage img = picture(reference, labels, colours, view, ijk);
                writePng(img, dir.resolve(file));
                h.append("<img src=\"").append(file).append("\" width=\"").append(img.getWidth()).append("\" height=\"")
                        .append(img.getHeight()).append("\" alt=\"lesion ").append(l.id()).append(' ').append(names[view])
                        .append("\">");
            }
            h.append("</p>\n");
        }
        if (lesions.isEmpty()) {
            h.append("<p>No lesion found.</p>\n");
        }
        h.append("<h2>Timings (ms)</h2>\n<p>");
        timingsMs.forEach((k, v) -> h.append(esc(k)).append(": ").append(v).append("&nbsp; "));
        h.append("</p>\n<p class=\"disclaimer\">").append(esc(DISCLAIMER)).append("</p>\n</body></html>\n");
        Path page = dir.resolve("report.html");
        Path tmp = dir.resolve("report.html.tmp");
        Files.writeString(tmp, h, StandardCharsets.UTF_8);
        Files.move(tmp, page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return page;
    }

    private static void writePng(BufferedImage img, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) {
            throw new IOException("no PNG writer");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int[][] colours(ModelSpec spec) {
        int[][] c = new int[256][];
        for (ModelSpec.Label l : spec.labels()) {
            Color col = Color.decode(l.colour());
            c[l.value() & 0xff] = new int[] {col.getRed(), col.getGreen(), col.getBlue()};
        }
        return c;
    }

    /**
     * One slice through {@code ijk}: view 0 axial (fixed k), 1 coronal (fixed j), 2 sagittal (fixed i), in
     * voxel order, scaled up by an integer factor to at least {@link #MIN_PICTURE} pixels, with physical
     * aspect ratio (spacing). Rows go top to bottom in decreasing superior/anterior voxel index.
     */
    static BufferedImage picture(Volume ref, Volume labels, int[][] colours, int view, double[] ijk) {
        Geometry g = ref.geometry();
        int fixedAxis = 2 - view; // axial: k, coronal: j, sagittal: i
        int uAxis = view == 2 ? 1 : 0;
        int vAxis = view == 0 ? 1 : 2;
        int fixed = clamp((int) Math.round(ijk[fixedAxis]), g.dim(fixedAxis));
        int nu = g.dim(uAxis), nv = g.dim(vAxis);
        double su = g.spacing(uAxis), sv = g.spacing(vAxis);
        double scale = Math.max(1, Math.ceil(MIN_PICTURE / Math.max(nu * su, nv * sv)));
        int w = (int) Math.round(nu * su * scale);
        int hgt = (int) Math.round(nv * sv * scale);
        float[] slice = new float[nu * nv];
        int[] idx = new int[3];
        idx[fixedAxis] = fixed;
        for (int v = 0; v < nv; v++) {
            for (int u = 0; u < nu; u++) {
                idx[uAxis] = u;
                idx[vAxis] = v;
                slice[u + nu * v] = (float) ref.value(0, idx[0], idx[1], idx[2]);
            }
        }
        float[] sorted = slice.clone();
        Arrays.sort(sorted);
        float lo = sorted[(int) (0.01 * (sorted.length - 1))];
        float hi = sorted[(int) (0.99 * (sorted.length - 1))];
        if (hi <= lo) {
            hi = lo + 1;
        }
        BufferedImage img = new BufferedImage(w, hgt, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < hgt; y++) {
            int v = nv - 1 - Math.min(nv - 1, (int) (y / (sv * scale)));
            for (int x = 0; x < w; x++) {
                int u = Math.min(nu - 1, (int) (x / (su * scale)));
                float gray = Math.max(0, Math.min(1, (slice[u + nu * v] - lo) / (hi - lo)));
                int gr = Math.round(gray * 255);
                int r = gr, gg = gr, b = gr;
                idx[uAxis] = u;
                idx[vAxis] = v;
                int label = (int) Math.round(labels.stored(0, labels.index(idx[0], idx[1], idx[2])));
                if (label > 0 && label < 256 && colours[label] != null) {
                    int[] c = colours[label];
                    r = (r + c[0]) / 2;
                    gg = (gg + c[1]) / 2;
                    b = (b + c[2]) / 2;
                }
                img.setRGB(x, y, (r << 16) | (gg << 8) | b);
            }
        }
        return img;
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n - 1, v));
    }

    private static String f3(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static List<String> pictureNames(List<Lesion> lesions) {
        List<String> out = new ArrayList<>();
        for (Lesion l : lesions) {
            for (String v : new String[] {"axial", "coronal", "sagittal"}) {
                out.add("lesion" + l.id() + "_" + v + ".png");
            }
        }
        return out;
    }
}
