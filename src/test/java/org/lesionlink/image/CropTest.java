package org.lesionlink.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CropTest {

    private static Geometry oblique() {
        return Geometry.of(new int[] {10, 9, 8}, new double[] {0.8, 1.1, 2.4}, new double[] {-30, 12.5, 40},
                TestImages.mul(TestImages.rotation(14, -22, 37), new double[][] {{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}}));
    }

    /** Two int16 channels with rescale, zero (real) outside a blob spanning i 2..6, j 3..7, k 1..4. */
    private static Volume blob() {
        Geometry g = oblique();
        Volume.Builder b = Volume.allocate(g, DataType.INT16, 2).rescale(new Volume.Rescale(0.5, -512));
        for (int c = 0; c < 2; c++) {
            for (int v = 0; v < g.voxelCount(); v++) {
                b.set(c, v, 1024); // real 0
            }
        }
        b.set(0, index(g, 2, 3, 4), 1000);
        b.set(0, index(g, 6, 5, 1), 3000);
        b.set(1, index(g, 4, 7, 2), 0); // real -512: non-zero
        b.set(1, index(g, 3, 4, 3), 2000);
        return b.build();
    }

    private static int index(Geometry g, int i, int j, int k) {
        return i + g.dim(0) * (j + g.dim(1) * k);
    }

    private static byte[] bytes(Volume v, int c) {
        ByteBuffer b = v.data(c);
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Test
    void nonZeroBoxCoversAllChannelsInRealValues() {
        Optional<BoundingBox> box = Crop.nonZeroBox(blob());
        assertEquals(Optional.of(BoundingBox.of(2, 3, 1, 5, 5, 4)), box);
    }

    @Test
    void nonZeroBoxOfAnAllZeroVolumeIsEmpty() {
        Geometry g = oblique();
        assertEquals(Optional.empty(), Crop.nonZeroBox(Volume.ofBytes(g, new byte[(int) g.voxelCount()])));
        float[] nan = new float[(int) g.voxelCount()];
        nan[index(g, 9, 8, 7)] = Float.NaN;
        assertEquals(Optional.of(BoundingBox.of(9, 8, 7, 1, 1, 1)), Crop.nonZeroBox(Volume.ofFloats(g, nan)), "NaN counts as non-zero");
    }

    @Test
    void cropKeepsValuesAndPhysicalPositions() {
        Volume v = blob();
        BoundingBox box = BoundingBox.of(1, 2, 3, 6, 4, 5);
        Volume c = Crop.crop(v, box);
        assertArrayEquals(new int[] {6, 4, 5}, c.geometry().dims());
        assertEquals(v.type(), c.type());
        assertEquals(v.rescale(), c.rescale());
        assertEquals(2, c.channels());
        for (int k = 0; k < 5; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 6; i++) {
                    double[] before = v.geometry().toRas(i + 1, j + 2, k + 3);
                    double[] after = c.geometry().toRas(i, j, k);
                    assertArrayEquals(before, after, 1e-9, "RAS of voxel " + i + "," + j + "," + k);
                    for (int ch = 0; ch < 2; ch++) {
                        assertEquals(v.stored(ch, v.index(i + 1, j + 2, k + 3)), c.stored(ch, c.index(i, j, k)));
                    }
                }
            }
        }
        // The crop's own geometry agrees with the resampler: mapping it into the source is a pure shift.
        assertEquals(Affine.ofRowMajor(1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1), Resampler.indexMapping(v.geometry(), c.geometry()));
    }

    @Test
    void cropToMaskThenRestoreIsLossless() {
        Volume v = blob();
        Volume cropped = Crop.cropToMask(v, v, 2).orElseThrow();
        // i 2..6, j 3..7, k 1..4 grown by 2, clipped to j <= 8 and k >= 0.
        assertArrayEquals(new int[] {9, 8, 7}, cropped.geometry().dims());
        assertArrayEquals(v.geometry().toRas(0, 1, 0), cropped.geometry().origin(), 1e-9);
        Volume back = Crop.restore(cropped, v.geometry(), 0);
        assertSame(v.geometry(), back.geometry());
        assertEquals(v.rescale(), back.rescale());
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(bytes(v, c), bytes(back, c), "channel " + c);
        }
    }

    @Test
    void padThenRestoreIsLosslessAndPadsWithTheFill() {
        Volume v = blob();
        Volume padded = Crop.pad(v, new int[] {2, 0, 1}, new int[] {1, 3, 0}, -512);
        assertArrayEquals(new int[] {13, 12, 9}, padded.geometry().dims());
        assertEquals(-512, padded.value(0, padded.index(0, 0, 0)));
        assertEquals(-512, padded.value(1, padded.index(12, 11, 0)));
        assertEquals(v.value(0, 2, 3, 4), padded.value(0, 4, 3, 5));
        assertArrayEquals(v.geometry().toRas(0, 0, 0), padded.geometry().toRas(2, 0, 1), 1e-9);
        Volume back = Crop.restore(padded, v.geometry(), 0);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(bytes(v, c), bytes(back, c), "channel " + c);
        }
    }

    @Test
    void padWithABoxReachingOutsideOnBothSides() {
        Geometry g = Geometry.axisAligned(new int[] {3, 2, 2}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume v = Volume.ofFloats(g, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Volume p = Crop.pad(v, BoundingBox.of(-1, 1, 0, 5, 2, 1), Float.NaN);
        float[] got = p.toFloats(0);
        float[] expected = {Float.NaN, 4, 5, 6, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        assertArrayEquals(expected, got);
        // No overlap at all: all fill.
        Volume far = Crop.pad(v, BoundingBox.of(10, 10, 10, 2, 2, 2), 7);
        for (float f : far.toFloats(0)) {
            assertEquals(7f, f);
        }
    }

    @Test
    void restorePutsALabelMapPredictedOnTheCropBack() {
        Volume image = blob();
        BoundingBox box = BoundingBox.of(2, 3, 1, 5, 5, 4);
        Volume cropped = Crop.crop(image, box);
        byte[] labels = new byte[cropped.voxelsPerChannel()];
        labels[cropped.index(0, 0, 0)] = 1;
        labels[cropped.index(4, 4, 3)] = 2;
        Volume back = Crop.restore(Volume.ofBytes(cropped.geometry(), labels), image.geometry(), 0);
        assertEquals(DataType.UINT8, back.type());
        assertSame(image.geometry(), back.geometry());
        int ones = 0;
        for (int v = 0; v < back.voxelsPerChannel(); v++) {
            ones += back.stored(0, v) != 0 ? 1 : 0;
        }
        assertEquals(2, ones);
        assertEquals(1, back.value(0, 2, 3, 1));
        assertEquals(2, back.value(0, 6, 7, 4));
    }

    @Test
    void restoreRejectsGridsThatAreNotARegionOfTheOriginal() {
        Volume v = blob();
        Geometry g = v.geometry();
        Volume halfShifted = Volume.ofFloats(Geometry.of(new int[] {2, 2, 2}, g.spacing(), g.toRas(0.5, 0, 0), g.direction()), new float[8]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Crop.restore(halfShifted, g, 0));
        assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
        Volume finer = Volume.ofFloats(g.region(new int[3], new int[] {2, 2, 2}).withSpacing(new double[] {0.4, 1.1, 2.4}), new float[4 * 2 * 2]);
        e = assertThrows(IllegalArgumentException.class, () -> Crop.restore(finer, g, 0));
        assertTrue(e.getMessage().contains("spacing or direction"), e.getMessage());
    }

    @Test
    void cropRejectsBoxesOutsideTheVolume() {
        Volume v = blob();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Crop.crop(v, BoundingBox.of(8, 0, 0, 3, 1, 1)));
        assertTrue(e.getMessage().contains("reaches outside") && e.getMessage().contains("[10, 9, 8]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Crop.crop(v, BoundingBox.of(-1, 0, 0, 3, 1, 1)));
    }

    @Test
    void fillMustBeStorableInIntegerTypes() {
        Geometry g = Geometry.axisAligned(new int[] {2, 2, 2}, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume bytes = Volume.ofBytes(g, new byte[8]);
        for (double bad : new double[] {-1, 256, 0.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Crop.pad(bytes, BoundingBox.of(0, 0, 0, 3, 2, 2), bad));
            assertTrue(e.getMessage().contains("cannot be stored in uint8"), e.getMessage());
        }
        // A crop inside the volume never needs the fill, so an odd rescale does not get in the way.
        Volume odd = Volume.wrap(g, DataType.UINT8, new Volume.Rescale(3, 1), ByteBuffer.allocate(8));
        assertEquals(1, Crop.crop(odd, BoundingBox.of(0, 0, 0, 1, 1, 1)).value(0, 0));
        assertEquals(7, Crop.pad(odd, BoundingBox.of(0, 0, 0, 3, 1, 1), 7).value(0, 2));
    }

    @Test
    void cropToMaskChecksTheGridAndHandlesEmptyMasks() {
        Volume v = blob();
        Geometry g = v.geometry();
        Volume empty = Volume.ofBytes(g, new byte[(int) g.voxelCount()]);
        assertEquals(Optional.empty(), Crop.cropToMask(v, empty, 3));
        Volume elsewhere = Volume.ofBytes(g.region(new int[] {1, 0, 0}, g.dims()), new byte[(int) g.voxelCount()]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Crop.cropToMask(v, elsewhere, 0));
        assertTrue(e.getMessage().contains("differs from volume grid"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Crop.cropToMask(v, v, -1));
        // A margin larger than the volume is clipped to it.
        assertArrayEquals(g.dims(), Crop.cropToMask(v, v, 100).orElseThrow().geometry().dims());
    }
}
