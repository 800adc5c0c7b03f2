package org.lesionlink.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.image.TestImages.centredAt;
import static org.lesionlink.image.TestImages.rotation;
import static org.lesionlink.image.TestImages.sampled;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ResamplerTest {

    private static final double[][] IDENTITY = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    /** LPS-like: i runs to the patient's left, j posterior. */
    private static final double[][] LPS_LIKE = {{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}};

    private static Geometry obliqueSource() {
        return Geometry.of(new int[] {9, 8, 7}, new double[] {0.9, 1.1, 2.5}, new double[] {-12.5, 30.25, 7},
                rotation(17, -8, 31));
    }

    /** The same grid rebuilt from a slightly perturbed affine, as happens after a round trip through a header. */
    private static Geometry noisyCopy(Geometry g) {
        double[] m = g.ijkToRas().toRowMajor();
        for (int e = 0; e < 12; e++) {
            m[e] *= 1 + 3e-15;
        }
        return Geometry.fromIjkToRas(g.dims(), Affine.ofRowMajor(m));
    }

    // ---- identity -----------------------------------------------------------------------------------------

    static Stream<Arguments> identityCases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (Interpolation in : Interpolation.values()) {
            for (DataType t : new DataType[] {DataType.UINT8, DataType.INT16, DataType.FLOAT32, DataType.FLOAT64}) {
                s.add(Arguments.of(in, t));
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("identityCases")
    void resamplingOntoTheSameGridReturnsTheSameVoxels(Interpolation interpolation, DataType type) {
        Geometry g = obliqueSource();
        Volume src = TestImages.random(g, type, 2, type == DataType.UINT8 ? 0 : -2000, type == DataType.UINT8 ? 256 : 2000, 7);
        if (type == DataType.INT16) {
            src = Volume.wrap(g, type, new Volume.Rescale(0.5, -1024), src.data(0), src.data(1));
        }
        Geometry target = noisyCopy(g);
        assertNotEquals(g, target, "the copy should differ by rounding noise, else this test proves less");

        Volume out = Resampler.resample(src, target, interpolation);

        assertEquals(target, out.geometry());
        assertEquals(type, out.type());
        assertEquals(src.rescale(), out.rescale());
        assertEquals(2, out.channels());
        // B-spline coefficients are float32: float data come back within float32 precision only.
        double tolerance = interpolation == Interpolation.BSPLINE && !type.isInteger() ? 1e-6 * TestImages.maxAbs(src) : 0;
        for (int c = 0; c < 2; c++) {
            for (int v = 0; v < src.voxelsPerChannel(); v++) {
                assertEquals(src.stored(c, v), out.stored(c, v), tolerance, "channel " + c + " voxel " + v);
            }
        }
    }

    // ---- analytic functions ---------------------------------------------------------------------------------

    static Stream<Arguments> obliqueTargets() {
        return Stream.of(
                Arguments.of("axis-aligned iso", IDENTITY, new double[] {1, 1, 1}),
                Arguments.of("anisotropic", IDENTITY, new double[] {0.37, 1.9, 0.8}),
                Arguments.of("oblique", rotation(23, 41, -12), new double[] {1.3, 1.7, 1.1}),
                Arguments.of("oblique flipped", TestImages.mul(rotation(-5, 12, 77), LPS_LIKE), new double[] {0.6, 0.45, 2.2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("obliqueTargets")
    void linearReproducesALinearRampExactlyInsideTheFieldOfView(String name, double[][] direction, double[] spacing) {
        TestImages.RasFunction ramp = (x, y, z) -> 1.7 * x - 0.6 * y + 2.3 * z + 11;
        // An oblique, anisotropic, LPS-like source: 20 x 24 x 16 centres span at least 9.2 mm from its centre.
        Geometry sg = Geometry.of(new int[] {20, 24, 16}, new double[] {1.2, 0.8, 2.0}, new double[] {40, 25, -60},
                TestImages.mul(rotation(10, -20, 35), LPS_LIKE));
        Volume src = sampled(sg, DataType.FLOAT64, ramp);
        Geometry tg = centredAt(new int[] {6, 5, 7}, spacing, direction, sg.centre());

        Affine map = Resampler.indexMapping(sg, tg);
        Volume out = Resampler.resample(src, tg, Interpolation.LINEAR);

        double maxErr = 0;
        for (int k = 0; k < 7; k++) {
            for (int j = 0; j < 5; j++) {
                for (int i = 0; i < 6; i++) {
                    double[] p = map.apply(i, j, k);
                    for (int a = 0; a < 3; a++) {
                        assertTrue(p[a] >= 0 && p[a] <= sg.dim(a) - 1, "target voxel outside the source's centres: test setup");
                    }
                    double[] ras = tg.toRas(i, j, k);
                    maxErr = Math.max(maxErr, Math.abs(out.value(0, i, j, k) - ramp.at(ras[0], ras[1], ras[2])));
                }
            }
        }
        assertTrue(maxErr <= 1e-4, "max error " + maxErr);
    }

    @Test
    void bsplineCoefficientsInterpolateTheSamplesOfEveryLine() {
        // Direct check of the prefilter and its exact mirror boundary: the spline sum at each knot is the sample.
        Random r = new Random(3);
        for (int n = 1; n <= 40; n++) {
            double[] s = new double[n];
            for (int k = 0; k < n; k++) {
                s[k] = r.nextGaussian() * 100;
            }
            double[] c = s.clone();
            ChannelSampler.prefilter(c, n);
            for (int k = 0; k < n; k++) {
                double back = (c[ChannelSampler.mirror(k - 1, n)] + 4 * c[k] + c[ChannelSampler.mirror(k + 1, n)]) / 6;
                assertEquals(s[k], back, 1e-10, "n=" + n + " k=" + k);
            }
        }
    }

    @Test
    void bsplineReproducesSamplesWhenTheTargetIsASubGridOfTheSource() {
        Geometry g = obliqueSource();
        Volume src = TestImages.random(g, DataType.FLOAT64, 1, -500, 500, 11);
        int[] start = {2, 1, 3};
        Geometry region = g.region(start, new int[] {5, 6, 3});
        Volume out = Resampler.resample(src, region, Interpolation.BSPLINE);
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < 6; j++) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(src.value(0, i + 2, j + 1, k + 3), out.value(0, i, j, k), 1e-6 * 500);
                }
            }
        }
    }

    @Test
    void bsplineReproducesAQuadraticFarBetterThanLinear() {
        TestImages.RasFunction q = (x, y, z) -> 0.5 * x * x + 0.8 * y * y - 0.3 * x * z + 0.2 * z * z + y;
        Geometry sg = Geometry.of(new int[] {28, 28, 28}, new double[] {1, 1, 1}, new double[] {-10, -14, 3}, rotation(0, 0, 15));
        Volume src = sampled(sg, DataType.FLOAT64, q);
        // Deep inside: at least 7 voxels from every edge, where the mirror boundary's influence has decayed
        // by 0.268^7 < 1e-4.
        Geometry tg = centredAt(new int[] {9, 8, 7}, new double[] {0.73, 0.81, 0.66}, rotation(33, -21, 48), sg.centre());
        double linear = maxError(Resampler.resample(src, tg, Interpolation.LINEAR), q);
        double bspline = maxError(Resampler.resample(src, tg, Interpolation.BSPLINE), q);
        assertTrue(linear > 0.01, "linear error " + linear + " is suspiciously small: are targets off the grid?");
        assertTrue(bspline < linear / 100, "bspline " + bspline + " vs linear " + linear);
    }

    private static double maxError(Volume v, TestImages.RasFunction f) {
        Geometry g = v.geometry();
        double m = 0;
        for (int k = 0; k < g.dim(2); k++) {
            for (int j = 0; j < g.dim(1); j++) {
                for (int i = 0; i < g.dim(0); i++) {
                    double[] p = g.toRas(i, j, k);
                    m = Math.max(m, Math.abs(v.value(0, i, j, k) - f.at(p[0], p[1], p[2])));
                }
            }
        }
        return m;
    }

    @Test
    void downsampleThenUpsampleStaysWithinTheInterpolationErrorBound() {
        // f = A (cos wx + cos wy + cos wz). Linear interpolation of a function of one axis with step h errs by
        // at most h^2/8 max|f''| = h^2/8 A w^2. Down to 2 mm (h = 1 mm between source centres) and back to
        // 1 mm (h = 2 mm) adds up to (1 + 4)/8 A w^2 per axis; trilinear acts per axis on a sum of 1-D terms.
        double amplitude = 100;
        double w = 2 * Math.PI / 12; // 12 mm wavelength: 6 samples per period on the coarse grid
        TestImages.RasFunction f = (x, y, z) -> amplitude * (Math.cos(w * x) + Math.cos(w * y) + Math.cos(w * z));
        Geometry fine = Geometry.axisAligned(new int[] {40, 40, 40}, new double[] {1, 1, 1}, new double[] {-3, 5, 0.25});
        Geometry coarse = fine.withSpacing(new double[] {2, 2, 2});
        assertEquals(20, coarse.dim(0));
        Volume src = sampled(fine, DataType.FLOAT64, f);

        double linearBound = 3 * 5.0 / 8 * amplitude * w * w;
        // Nearest: the 2 mm centre sits 0.5 mm from the 1 mm sample it copies, and a 1 mm point is at most
        // 1 mm from the nearest 2 mm centre: 1.5 mm per axis times max|f'| = A w.
        double nearestBound = 3 * 1.5 * amplitude * w;
        Volume[] back = new Volume[3];
        for (Interpolation in : Interpolation.values()) {
            back[in.ordinal()] = Resampler.resample(Resampler.resample(src, coarse, in), fine, in);
        }
        // Margin 2 leaves out the clamped half-voxel band of the coarse grid.
        double nearest = interiorMaxError(src, back[Interpolation.NEAREST.ordinal()], 2);
        double linear = interiorMaxError(src, back[Interpolation.LINEAR.ordinal()], 2);
        // The mirror extension of a non-symmetric signal errs near the edges, decaying by 0.27 per coarse
        // voxel inwards (about 26 at 2 fine voxels from the edge here); compare B-spline 8 voxels in.
        double bspline = interiorMaxError(src, back[Interpolation.BSPLINE.ordinal()], 8);
        assertTrue(nearest <= nearestBound, "nearest " + nearest + " > bound " + nearestBound);
        assertTrue(linear <= linearBound, "linear " + linear + " > bound " + linearBound);
        assertTrue(linear > 0.2 * linearBound, "linear " + linear + " far below its bound " + linearBound + ": bound too loose to mean much");
        assertTrue(bspline < linear / 10, "bspline " + bspline + " vs linear " + linear);
    }

    /** Max |a - b| over voxels at least {@code margin} voxels from every edge (the clamped edge band is excluded). */
    private static double interiorMaxError(Volume a, Volume b, int margin) {
        int[] d = a.geometry().dims();
        double m = 0;
        for (int k = margin; k < d[2] - margin; k++) {
            for (int j = margin; j < d[1] - margin; j++) {
                for (int i = margin; i < d[0] - margin; i++) {
                    m = Math.max(m, Math.abs(a.value(0, i, j, k) - b.value(0, i, j, k)));
                }
            }
        }
        return m;
    }

    // ---- labels ---------------------------------------------------------------------------------------------

    @Test
    void nearestNeverInventsLabels() {
        int[] labels = {0, 1, 4, 9, 200};
        Geometry sg = Geometry.of(new int[] {12, 10, 8}, new double[] {1, 1.2, 2}, new double[] {0, 0, 0}, rotation(5, 10, 20));
        Random r = new Random(5);
        byte[] data = new byte[12 * 10 * 8];
        for (int v = 0; v < data.length; v++) {
            data[v] = (byte) labels[r.nextInt(labels.length)];
        }
        Volume src = Volume.ofBytes(sg, data);
        // Partly outside the source, so the fill (0, a label) shows up too.
        Geometry tg = centredAt(new int[] {30, 25, 20}, new double[] {0.7, 0.9, 0.8}, rotation(-30, 25, 60), sg.toRas(2, 3, 4));
        Set<Integer> allowed = Set.of(0, 1, 4, 9, 200);

        Set<Integer> seen = distinct(Resampler.resample(src, tg, Interpolation.NEAREST));
        assertTrue(allowed.containsAll(seen), "invented labels: " + seen);
        assertEquals(allowed, seen, "every label should survive this mild resampling");
        // The check bites: linear interpolation of labels does invent values.
        assertTrue(!allowed.containsAll(distinct(Resampler.resample(src, tg, Interpolation.LINEAR))));
    }

    private static Set<Integer> distinct(Volume v) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < v.voxelsPerChannel(); i++) {
            s.add((int) v.stored(0, i));
        }
        return s;
    }

    // ---- flips, permutations, domain -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void lpsLikeSourceOntoRasGridIsAnExactFlip(Interpolation interpolation) {
        int nx = 5;
        int ny = 6;
        int nz = 7;
        Geometry sg = Geometry.of(new int[] {nx, ny, nz}, new double[] {0.7, 1.3, 2}, new double[] {10, 12, -5}, LPS_LIKE);
        Volume src = TestImages.random(sg, DataType.INT16, 1, -1000, 1000, 9);
        // The same voxels, indexed along +R, +A, +S: origin at the source's last i and j.
        Geometry tg = Geometry.axisAligned(new int[] {nx, ny, nz}, sg.spacing(), sg.toRas(nx - 1, ny - 1, 0));
        Volume out = Resampler.resample(src, tg, interpolation);
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    assertEquals(src.stored(0, src.index(nx - 1 - i, ny - 1 - j, k)), out.stored(0, out.index(i, j, k)),
                            "voxel " + i + "," + j + "," + k);
                }
            }
        }
    }

    @Test
    void permutedAxesAreAnExactPermutation() {
        // Source i runs along S, j along R, k along A (a sagittal-ish acquisition order).
        double[][] dir = {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
        Geometry sg = Geometry.of(new int[] {4, 5, 6}, new double[] {2, 1, 1.5}, new double[] {3, 4, 5}, dir);
        Volume src = TestImages.random(sg, DataType.FLOAT32, 1, -1, 1, 13);
        // Target axis-aligned: its i is source j, its j is source k, its k is source i.
        Geometry tg = Geometry.axisAligned(new int[] {5, 6, 4}, new double[] {1, 1.5, 2}, new double[] {3, 4, 5});
        Volume out = Resampler.resample(src, tg, Interpolation.LINEAR);
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 6; j++) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(src.stored(0, src.index(k, i, j)), out.stored(0, out.index(i, j, k)));
                }
            }
        }
    }

    @Test
    void pointsBeyondHalfAVoxelGetTheFillAndTheEdgeBandIsClampedOrMirrored() {
        Geometry sg = Geometry.axisAligned(new int[] {4, 3, 3}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume src = TestImages.random(sg, DataType.FLOAT64, 1, 0, 100, 17);
        double fill = -7;
        double v011 = src.value(0, 0, 1, 1);
        double v311 = src.value(0, 3, 1, 1);
        for (Interpolation in : Interpolation.values()) {
            Resampler r = Resampler.of(in).fill(fill);
            assertEquals(fill, at(r, src, -0.6, 1, 1), in + " at -0.6");
            assertEquals(fill, at(r, src, 3.6, 1, 1), in + " at 3.6");
            assertEquals(fill, at(r, src, 1, 1, 2.51), in + " at z 2.51");
            if (in == Interpolation.BSPLINE) {
                // Mirror extension: symmetric about the outermost centres.
                assertEquals(at(r, src, 0.4, 1, 1), at(r, src, -0.4, 1, 1), 1e-9);
                assertEquals(at(r, src, 2.6, 1, 1), at(r, src, 3.4, 1, 1), 1e-9);
            } else {
                assertEquals(v011, at(r, src, -0.4, 1, 1), 1e-12, in + " at -0.4");
                assertEquals(v311, at(r, src, 3.4, 1, 1), 1e-12, in + " at 3.4");
                assertEquals(v011, at(r, src, -0.5, 1, 1), 1e-12, in + " on the edge");
            }
        }
    }

    /** Resamples onto a single voxel at RAS (x, y, z). */
    private static double at(Resampler r, Volume src, double x, double y, double z) {
        return r.resample(src, Geometry.axisAligned(new int[] {1, 1, 1}, new double[] {1, 1, 1}, new double[] {x, y, z})).value(0, 0);
    }

    @Test
    void targetPartlyOutsideGetsFillThereAndCopiesInside() {
        Geometry sg = obliqueSource();
        Volume src = TestImages.random(sg, DataType.INT16, 1, -100, 100, 19);
        Volume out = Resampler.of(Interpolation.LINEAR).fill(-999).resample(src, sg.region(new int[] {-2, 1, 0}, new int[] {13, 3, 2}));
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 13; i++) {
                    int si = i - 2;
                    double expected = si < 0 || si >= 9 ? -999 : src.value(0, si, j + 1, k);
                    assertEquals(expected, out.value(0, i, j, k), "voxel " + i + "," + j + "," + k);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void resampleMatchesPointwiseEvaluation(Interpolation interpolation) {
        // Guards the incremental stepping and the slice parallelism against the plain per-voxel mapping.
        Geometry sg = obliqueSource();
        Volume src = TestImages.random(sg, DataType.FLOAT64, 1, -50, 50, 23);
        Geometry tg = centredAt(new int[] {23, 17, 11}, new double[] {0.55, 0.7, 1.4}, rotation(70, -35, 12), sg.toRas(6, 5, 4));
        Volume out = Resampler.of(interpolation).fill(Double.NaN).resample(src, tg);
        ChannelSampler s = ChannelSampler.of(src, 0, interpolation);
        Affine map = Resampler.indexMapping(sg, tg);
        int inside = 0;
        int outside = 0;
        for (int k = 0; k < 11; k++) {
            for (int j = 0; j < 17; j++) {
                for (int i = 0; i < 23; i++) {
                    double[] p = map.apply(i, j, k);
                    double expected = s.sample(p[0], p[1], p[2], Double.NaN);
                    if (Double.isNaN(expected)) {
                        outside++;
                    } else {
                        inside++;
                    }
                    assertEquals(expected, out.value(0, i, j, k), 1e-9, "voxel " + i + "," + j + "," + k);
                }
            }
        }
        assertTrue(inside > 100 && outside > 100, "both regions exercised: " + inside + " in, " + outside + " out");
    }

    // ---- values and types ------------------------------------------------------------------------------------

    @Test
    void keepingTheTypeKeepsTheRescaleAndStoredValues() {
        Geometry g = obliqueSource();
        Volume raw = TestImages.random(g, DataType.INT16, 1, -100, 100, 29);
        Volume src = Volume.wrap(g, DataType.INT16, new Volume.Rescale(2, -10), raw.data(0));
        Geometry shifted = g.region(new int[] {1, 0, 0}, g.dims());
        Volume out = Resampler.of(Interpolation.NEAREST).fill(-10).resample(src, shifted);
        assertEquals(src.rescale(), out.rescale());
        assertEquals(src.stored(0, src.index(1, 2, 3)), out.stored(0, out.index(0, 2, 3)));
        assertEquals(-10, out.value(0, out.index(8, 0, 0)), "fill -10 is stored 0");
        // A fill between stored steps rounds like any other value: real 5 -> stored 7.5 -> 8 (half to even) -> real 6.
        Volume rounded = Resampler.of(Interpolation.NEAREST).fill(5).resample(src, shifted);
        assertEquals(6, rounded.value(0, rounded.index(8, 0, 0)));
    }

    @Test
    void explicitOutputTypeHoldsRealValuesWithIdentityRescale() {
        Geometry g = obliqueSource();
        Volume raw = TestImages.random(g, DataType.INT16, 1, -100, 100, 31);
        Volume src = Volume.wrap(g, DataType.INT16, new Volume.Rescale(0.25, 100), raw.data(0));
        Volume out = Resampler.of(Interpolation.LINEAR).outputType(DataType.FLOAT32).resample(src, g);
        assertEquals(DataType.FLOAT32, out.type());
        assertTrue(out.rescale().isIdentity());
        for (int v = 0; v < src.voxelsPerChannel(); v++) {
            assertEquals(src.value(0, v), out.stored(0, v), 1e-4);
        }
    }

    @Test
    void integerOutputsAreRoundedAndClamped() {
        Geometry g = Geometry.axisAligned(new int[] {5, 1, 1}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume src = Volume.ofFloats(g, new float[] {-5, 300, 12.6f, 12.5f, 13.5f});
        Volume out = Resampler.of(Interpolation.NEAREST).outputType(DataType.UINT8).resample(src, g);
        double[] expected = {0, 255, 13, 12, 14};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], out.stored(0, i), "voxel " + i);
        }
    }

    @Test
    void bsplineOvershootIsClampedInIntegerOutputs() {
        Geometry g = Geometry.axisAligned(new int[] {16, 4, 4}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume step = sampled(g, DataType.UINT8, (x, y, z) -> x < 8 ? 0 : 255);
        Geometry half = Geometry.axisAligned(new int[] {31, 4, 4}, new double[] {0.5, 1, 1}, new double[] {0, 0, 0});
        Volume real = Resampler.of(Interpolation.BSPLINE).outputType(DataType.FLOAT64).resample(step, half);
        Volume bytes = Resampler.resample(step, half, Interpolation.BSPLINE);
        boolean overshoot = false;
        for (int v = 0; v < real.voxelsPerChannel(); v++) {
            double r = real.stored(0, v);
            overshoot |= r < -0.5 || r > 255.5;
            assertEquals(DataType.UINT8.clamp(r), bytes.stored(0, v), 0.0, "voxel " + v);
        }
        assertTrue(overshoot, "a step should ring with a cubic spline; else the clamp was not exercised");
    }

    @Test
    void channelsAreResampledIndependently() {
        Geometry g = obliqueSource();
        Volume two = TestImages.random(g, DataType.FLOAT32, 2, -1, 1, 37);
        Geometry tg = centredAt(new int[] {7, 7, 7}, new double[] {1, 1, 1}, rotation(10, 20, 30), g.centre());
        Volume both = Resampler.resample(two, tg, Interpolation.BSPLINE);
        for (int c = 0; c < 2; c++) {
            Volume alone = Resampler.resample(two.channel(c), tg, Interpolation.BSPLINE);
            for (int v = 0; v < alone.voxelsPerChannel(); v++) {
                assertEquals(alone.stored(0, v), both.stored(c, v), "channel " + c + " voxel " + v);
            }
        }
    }

    @Test
    void indexMappingSnapsRoundingNoiseOnly() {
        Geometry g = obliqueSource();
        Affine m = Resampler.indexMapping(g, noisyCopy(g));
        assertEquals(Affine.IDENTITY, m);
        Affine shifted = Resampler.indexMapping(g, g.region(new int[] {3, -2, 1}, g.dims()));
        assertEquals(Affine.ofRowMajor(1, 0, 0, 3, 0, 1, 0, -2, 0, 0, 1, 1, 0, 0, 0, 1), shifted);
        // A genuine sub-voxel offset is kept.
        Geometry off = Geometry.of(g.dims(), g.spacing(), g.toRas(0.25, 0, 0), g.direction());
        assertEquals(0.25, Resampler.indexMapping(g, off).get(0, 3), 1e-12);
    }

    @Test
    void rejectsMissingArguments() {
        assertThrows(NullPointerException.class, () -> Resampler.of(null));
        Geometry g = obliqueSource();
        assertThrows(NullPointerException.class, () -> Resampler.resample(null, g, Interpolation.LINEAR));
        assertThrows(NullPointerException.class, () -> Resampler.resample(Volume.ofFloats(g, new float[(int) g.voxelCount()]), null, Interpolation.LINEAR));
    }
}
