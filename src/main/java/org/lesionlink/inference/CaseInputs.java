package org.lesionlink.inference;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Checks on the images of one case before they reach a {@link Segmenter}. Every failure is an
 * {@link InvalidInputException} whose message names the problem and the file ({@code source}).
 *
 * <p><b>Frames of reference.</b> All inputs are assumed to be in the same physical (scanner) space, as the
 * channels of one study are. Inputs on another grid than the first model input are resampled onto its grid
 * by the {@link Segmenter}; that is refused only when an input's field of view does not overlap the first
 * input's at all, the sure sign of a different frame of reference or a mixed-up file. The overlap test
 * maps the other image's outer voxel corners into the first image's voxel space and intersects the box
 * they span with the first image's box (conservative for oblique grids: it may accept a rotated image that
 * only touches a corner, never refuses one that overlaps).
 */
public final class CaseInputs {

    private CaseInputs() {}

    /**
     * The given channel names in the model's input order.
     *
     * @throws InvalidInputException listing expected and given names when they do not match exactly
     */
    public static List<String> order(ModelSpec spec, Collection<String> given) {
        List<String> expected = spec.inputs().stream().map(ModelSpec.Input::name).toList();
        Set<String> missing = new LinkedHashSet<>(expected);
        missing.removeAll(given);
        Set<String> unknown = new LinkedHashSet<>(given);
        expected.forEach(unknown::remove);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missing " + String.join(", ", missing));
            }
            if (!unknown.isEmpty()) {
                parts.add("unknown " + String.join(", ", unknown));
            }
            throw new InvalidInputException("model " + spec.name() + " expects channels " + String.join(", ", expected)
                    + "; given " + (given.isEmpty() ? "none" : String.join(", ", given)) + " (" + String.join("; ", parts) + ")");
        }
        return expected;
    }

    /**
     * One image on its own: a single channel, every value finite, not all zero.
     *
     * @param source how the image is named in messages (its file)
     */
    public static void checkValues(Volume v, String source) {
        if (v.channels() != 1) {
            throw new InvalidInputException(source + ": has " + v.channels()
                    + " channels (a 4D image); give one 3D image per model channel");
        }
        float[] values = v.toFloats(0);
        long nonFinite = 0;
        long nonZero = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            float x = values[i];
            if (!Float.isFinite(x)) {
                if (first < 0) {
                    first = i;
                }
                nonFinite++;
            } else if (x != 0) {
                nonZero++;
            }
        }
        if (nonFinite > 0) {
            int[] d = v.geometry().dims();
            throw new InvalidInputException(source + ": " + nonFinite + " voxel(s) are NaN or infinite (first at voxel ("
                    + first % d[0] + ", " + first / d[0] % d[1] + ", " + first / d[0] / d[1] + "))");
        }
        if (nonZero == 0) {
            throw new InvalidInputException(source + ": the image is empty (every voxel is 0)");
        }
    }

    /**
     * Refuses an image whose field of view does not overlap the reference's (see the class comment).
     *
     * @param refSource the reference image's name in messages
     */
    public static void checkOverlap(Geometry reference, String refSource, Geometry other, String source) {
        if (other.sameGrid(reference, 1e-4)) {
            return;
        }
        int[] rd = reference.dims();
        int[] od = other.dims();
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        var toRef = reference.rasToIjk().multiply(other.ijkToRas());
        for (int c = 0; c < 8; c++) {
            double i = (c & 1) == 0 ? -0.5 : od[0] - 0.5;
            double j = (c & 2) == 0 ? -0.5 : od[1] - 0.5;
            double k = (c & 4) == 0 ? -0.5 : od[2] - 0.5;
            double[] p = toRef.apply(i, j, k);
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], p[a]);
                hi[a] = Math.max(hi[a], p[a]);
            }
        }
        for (int a = 0; a < 3; a++) {
            if (hi[a] <= -0.5 || lo[a] >= rd[a] - 0.5) {
                throw new InvalidInputException(source + ": its field of view does not overlap that of " + refSource
                        + " (different frame of reference or wrong file?); centres at RAS "
                        + fmt(other.centre()) + " and " + fmt(reference.centre()) + " mm");
            }
        }
    }

    private static String fmt(double[] p) {
        return String.format(java.util.Locale.ROOT, "(%.1f, %.1f, %.1f)", p[0], p[1], p[2]);
    }
}
