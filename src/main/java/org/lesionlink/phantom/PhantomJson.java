package org.lesionlink.phantom;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lesionlink.image.Geometry;

/**
 * Builds the parts of {@code lesions.json} that brain and spine share. Maps are insertion-ordered and numbers
 * rounded to 1 µm or 1e-3, so equal cases give equal bytes.
 */
final class PhantomJson {

    private PhantomJson() {
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = round(v[i]);
        }
        return r;
    }

    /** An insertion-ordered map of alternating keys and values. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static void putGrid(Map<String, Object> m, Geometry grid, Pose pose) {
        m.put("dims", grid.dims());
        m.put("spacing", round(grid.spacing()));
        double[][] rows = grid.ijkToRas().toRows();
        double[][] r = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            r[i] = round(rows[i]);
        }
        m.put("ijkToRas", r);
        m.put("pose", ordered("rotationDeg", round(pose.rotationDeg()), "fovShiftMm", round(pose.translationMm())));
    }

    static Map<String, Object> scanner(ScannerModel s, List<String> channels) {
        Map<String, Object> gains = new LinkedHashMap<>();
        double[] g = s.gain();
        for (int c = 0; c < channels.size(); c++) {
            gains.put(channels.get(c), round(g[c]));
        }
        return ordered("gain", gains, "gamma", round(s.gamma()), "blurSigmaVoxels", round(s.blurSigmaVoxels()),
                "noise", s.rician() ? "rician" : "gaussian", "noiseSigmaRelative", round(s.noiseFraction()),
                "biasStrength", round(s.biasStrength()));
    }

    /** Voxel count of every label, by name. */
    static Map<String, Object> labelCounts(byte[] seg, Enum<?>[] names, int[] values) {
        long[] n = new long[256];
        for (byte b : seg) {
            n[b & 0xFF]++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i].name(), n[values[i]]);
        }
        return m;
    }
}
