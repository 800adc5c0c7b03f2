package org.lesionlink.testing;

import org.lesionlink.image.Volume;

/** Labelmap comparisons shared by the tests that score a model against a phantom's truth. */
public final class LabelOverlap {

    private LabelOverlap() {
    }

    /** The voxels of a single-channel uint8 labelmap. */
    public static byte[] bytes(Volume v) {
        byte[] b = new byte[v.voxelsPerChannel()];
        v.data(0).get(b);
        return b;
    }

    /** Dice of the voxels whose label is one of {@code labels}; 1 when both are empty. */
    public static double dice(byte[] pred, byte[] truth, int... labels) {
        boolean[] in = new boolean[256];
        for (int l : labels) {
            in[l] = true;
        }
        long inter = 0;
        long p = 0;
        long t = 0;
        for (int i = 0; i < pred.length; i++) {
            boolean a = in[pred[i] & 0xff];
            boolean b = in[truth[i] & 0xff];
            inter += a && b ? 1 : 0;
            p += a ? 1 : 0;
            t += b ? 1 : 0;
        }
        return p + t == 0 ? 1 : 2.0 * inter / (p + t);
    }
}
