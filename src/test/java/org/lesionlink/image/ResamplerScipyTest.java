package org.lesionlink.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.testing.Peers;

/**
 * Cross-checks interpolation against scipy.ndimage.map_coordinates run by Debian's /usr/bin/python3.
 *
 * <p>Boundary modes matching our rules over the whole domain [-0.5, n - 0.5]: order 1 with
 * {@code mode='nearest'} (equal to clamp-to-edge in the half-voxel band), order 3 with
 * {@code mode='mirror'} (whole-sample symmetric extension, also used by scipy's prefilter). So no border
 * exclusion is needed; points on and near the borders are included on purpose.
 */
class ResamplerScipyTest {

    /**
     * Reads vol.f64 (i fastest), coords.f64 (all i, then all j, then all k), writes out1.f64 and out3.f64.
     * Arguments: directory, nx, ny, nz.
     */
    private static final String SCRIPT = String.join("\n",
            "import sys, numpy as np",
            "from scipy import ndimage",
            "d = sys.argv[1]; nx, ny, nz = map(int, sys.argv[2:5])",
            "vol = np.fromfile(d + '/vol.f64', dtype='<f8').reshape((nz, ny, nx)).transpose(2, 1, 0)",
            "coords = np.fromfile(d + '/coords.f64', dtype='<f8').reshape((3, -1))",
            "ndimage.map_coordinates(vol, coords, order=1, mode='nearest').astype('<f8').tofile(d + '/out1.f64')",
            "ndimage.map_coordinates(vol, coords, order=3, mode='mirror', prefilter=True).astype('<f8').tofile(d + '/out3.f64')",
            "");

    @TempDir
    Path dir;

    @BeforeEach
    void needsScipy() {
        Peers.requirePythonModule("scipy.ndimage");
    }

    /** Runs scipy at the given continuous indices; returns {order-1 values, order-3 values}. */
    private double[][] scipy(Volume v, double[][] coords) throws Exception {
        int n = v.voxelsPerChannel();
        ByteBuffer vol = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            vol.putDouble(v.value(0, i));
        }
        Files.write(dir.resolve("vol.f64"), vol.array());
        int m = coords[0].length;
        ByteBuffer c = ByteBuffer.allocate(3 * m * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] axis : coords) {
            for (double x : axis) {
                c.putDouble(x);
            }
        }
        Files.write(dir.resolve("coords.f64"), c.array());
        int[] d = v.geometry().dims();
        List<String> cmd = List.of(Peers.python3().toString(), "-c", SCRIPT, dir.toString(), "" + d[0], "" + d[1], "" + d[2]);
        Peers.run(cmd, 120).stdoutOrFail(cmd);
        return new double[][] {readDoubles(dir.resolve("out1.f64"), m), readDoubles(dir.resolve("out3.f64"), m)};
    }

    private static double[] readDoubles(Path p, int m) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(m * 8, b.remaining(), p + " size");
        double[] out = new double[m];
        b.asDoubleBuffer().get(out);
        return out;
    }

    @Test
    void randomPointsMatchMapCoordinatesOrder1And3() throws Exception {
        Geometry g = Geometry.axisAligned(new int[] {13, 11, 9}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        // CT-like range: float32 B-spline coefficients still have to meet 1e-3 at this scale.
        Volume v = TestImages.random(g, DataType.FLOAT64, 1, -1000, 3000, 41);
        Random r = new Random(43);
        List<double[]> points = new ArrayList<>();
        for (int p = 0; p < 4000; p++) {
            points.add(new double[] {
                -0.5 + r.nextDouble() * 13, -0.5 + r.nextDouble() * 11, -0.5 + r.nextDouble() * 9});
        }
        // Exact corners, edges of the domain and voxel centres.
        for (double x : new double[] {-0.5, 0, 0.5, 6, 11.5, 12, 12.5}) {
            points.add(new double[] {x, -0.5, 8.5});
            points.add(new double[] {x, 5, 0});
            points.add(new double[] {x, 10.5, 4.25});
        }
        compare(v, points, 1e-3);
    }

    @Test
    void singleSliceVolumesMatchToo() throws Exception {
        // One voxel along k: the spline and the clamp must degenerate to 2D interpolation.
        Geometry g = Geometry.axisAligned(new int[] {7, 6, 1}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume v = TestImages.random(g, DataType.FLOAT64, 1, -1, 1, 47);
        Random r = new Random(53);
        List<double[]> points = new ArrayList<>();
        for (int p = 0; p < 500; p++) {
            points.add(new double[] {-0.5 + r.nextDouble() * 7, -0.5 + r.nextDouble() * 6, -0.5 + r.nextDouble()});
        }
        compare(v, points, 1e-5);
    }

    private void compare(Volume v, List<double[]> points, double order3Tolerance) throws Exception {
        int m = points.size();
        double[][] coords = new double[3][m];
        for (int p = 0; p < m; p++) {
            for (int a = 0; a < 3; a++) {
                coords[a][p] = points.get(p)[a];
            }
        }
        double[][] ref = scipy(v, coords);
        ChannelSampler linear = ChannelSampler.of(v, 0, Interpolation.LINEAR);
        ChannelSampler cubic = ChannelSampler.of(v, 0, Interpolation.BSPLINE);
        double err1 = 0;
        double err3 = 0;
        for (int p = 0; p < m; p++) {
            double x = coords[0][p];
            double y = coords[1][p];
            double z = coords[2][p];
            assertTrue(linear.inside(x, y, z), "test point outside the domain");
            err1 = Math.max(err1, Math.abs(linear.at(x, y, z) - ref[0][p]));
            err3 = Math.max(err3, Math.abs(cubic.at(x, y, z) - ref[1][p]));
        }
        System.out.printf("scipy cross-check, %d points: order 1 max |diff| %.3g, order 3 max |diff| %.3g%n", m, err1, err3);
        assertTrue(err1 <= 1e-4, "order 1 max difference " + err1);
        assertTrue(err3 <= order3Tolerance, "order 3 max difference " + err3);
    }

    @Test
    void resamplerOnAnObliqueGridMatchesMapCoordinates() throws Exception {
        // The full public path: oblique LPS-like source, oblique target, coordinates from the combined affine.
        Geometry sg = Geometry.of(new int[] {12, 10, 8}, new double[] {0.9, 1.2, 2.1}, new double[] {5, -7, 12},
                TestImages.mul(TestImages.rotation(12, -25, 40), new double[][] {{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}}));
        Volume v = TestImages.random(sg, DataType.FLOAT64, 1, -100, 100, 59);
        Geometry tg = TestImages.centredAt(new int[] {14, 12, 10}, new double[] {0.8, 0.95, 1.3},
                TestImages.rotation(-40, 15, 65), sg.centre());
        Affine map = Resampler.indexMapping(sg, tg);
        int m = (int) tg.voxelCount();
        double[][] coords = new double[3][m];
        for (int k = 0, p = 0; k < tg.dim(2); k++) {
            for (int j = 0; j < tg.dim(1); j++) {
                for (int i = 0; i < tg.dim(0); i++, p++) {
                    double[] q = map.apply(i, j, k);
                    for (int a = 0; a < 3; a++) {
                        coords[a][p] = q[a];
                    }
                }
            }
        }
        double[][] ref = scipy(v, coords);
        Volume lin = Resampler.of(Interpolation.LINEAR).fill(Double.NaN).resample(v, tg);
        Volume cub = Resampler.of(Interpolation.BSPLINE).fill(Double.NaN).resample(v, tg);
        int inside = 0;
        for (int p = 0; p < m; p++) {
            if (Double.isNaN(lin.value(0, p))) {
                // Outside [-0.5, n - 0.5] on some axis: must really be outside.
                boolean out = false;
                for (int a = 0; a < 3; a++) {
                    out |= coords[a][p] < -0.5 || coords[a][p] > sg.dim(a) - 0.5;
                }
                assertTrue(out, "voxel " + p + " filled but inside the source");
                assertTrue(Double.isNaN(cub.value(0, p)));
                continue;
            }
            inside++;
            assertEquals(ref[0][p], lin.value(0, p), 1e-4, "order 1 at voxel " + p);
            assertEquals(ref[1][p], cub.value(0, p), 1e-3, "order 3 at voxel " + p);
        }
        assertTrue(inside > m / 4 && inside < m, "both inside and outside voxels: " + inside + " of " + m);
    }
}
