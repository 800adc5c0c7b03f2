package org.lesionlink.phantom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.testing.Peers;

/** Shared inputs of the phantom tests: the 2 mm Colin27 fixture's tissue model, built once per JVM. */
final class PhantomFixtures {

    /** 2 mm copies of Colin27's ch2 and ch2bet (see fixtures/nifti/README.md). */
    static final Path TEMPLATE_2MM = Peers.testResource("fixtures/colin27-2mm");

    private static TissueModel tissues;

    private PhantomFixtures() {
    }

    static synchronized TissueModel tissues2mm() {
        if (tissues == null) {
            try {
                tissues = TissueModel.build(ColinTemplate.locate(TEMPLATE_2MM), 2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tissues;
    }

    /** The voxel values of a uint8 label volume. */
    static byte[] bytes(Volume v) {
        byte[] b = new byte[v.voxelsPerChannel()];
        v.data(0).get(b);
        return b;
    }

    /** Whether every 6-neighbour (inside the grid) of every voxel labelled {@code label} has a label in {@code allowed}. */
    static String neighbourViolation(byte[] seg, int[] d, int label, int... allowed) {
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int k = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                for (int i = 0; i < d[0]; i++) {
                    if (seg[i + d[0] * (j + d[1] * k)] != label) {
                        continue;
                    }
                    for (int[] s : steps) {
                        int a = i + s[0];
                        int b = j + s[1];
                        int c = k + s[2];
                        if (a < 0 || b < 0 || c < 0 || a >= d[0] || b >= d[1] || c >= d[2]) {
                            continue;
                        }
                        int n = seg[a + d[0] * (b + d[1] * c)];
                        boolean ok = false;
                        for (int x : allowed) {
                            ok |= n == x;
                        }
                        if (!ok) {
                            return "voxel " + i + "," + j + "," + k + " labelled " + label + " touches label " + n;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Mean of one image over the voxels where {@code select} holds. */
    static double mean(Volume image, java.util.function.IntPredicate select) {
        double s = 0;
        long n = 0;
        for (int i = 0; i < image.voxelsPerChannel(); i++) {
            if (select.test(i)) {
                s += image.value(0, i);
                n++;
            }
        }
        if (n == 0) {
            throw new AssertionError("no voxels selected");
        }
        return s / n;
    }

    /** Lesion entries of a case's description. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lesions(PhantomCase c) {
        return new ArrayList<>((List<Map<String, Object>>) c.description().get("lesions"));
    }

    static boolean axisAligned(Geometry g) {
        double[][] d = g.direction();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (r != c && Math.abs(d[r][c]) > 1e-6) {
                    return false;
                }
            }
        }
        return true;
    }
}
