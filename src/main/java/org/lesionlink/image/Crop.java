package org.lesionlink.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Cutting volumes to a {@link BoundingBox} and putting them back. All operations copy voxels verbatim:
 * the type, rescale and channel count are kept, and the result's geometry is
 * {@code geometry.region(box.start(), box.size())}, so every voxel keeps its RAS position.
 *
 * <p>Typical use: crop an image to the brain mask plus a margin before inference, then
 * {@link #restore} the predicted label map onto the original grid.
 */
public final class Crop {

    /** Max deviation, in voxels, for a grid to count as a region of another in {@link #restore}. */
    static final double REGION_TOLERANCE = 1e-4;

    private Crop() {}

    /**
     * The smallest box holding every voxel whose real value is non-zero on any channel (NaN counts as
     * non-zero); empty when there is none. For a mask, the box applies to any volume on the same grid.
     */
    public static Optional<BoundingBox> nonZeroBox(Volume volume) {
        int[] d = volume.geometry().dims();
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        for (int c = 0; c < volume.channels(); c++) {
            for (int k = 0, index = 0; k < d[2]; k++) {
                for (int j = 0; j < d[1]; j++) {
                    for (int i = 0; i < d[0]; i++, index++) {
                        if (volume.value(c, index) != 0) { // NaN != 0 holds
                            lo[0] = Math.min(lo[0], i);
                            hi[0] = Math.max(hi[0], i);
                            lo[1] = Math.min(lo[1], j);
                            hi[1] = Math.max(hi[1], j);
                            lo[2] = Math.min(lo[2], k);
                            hi[2] = Math.max(hi[2], k);
                        }
                    }
                }
            }
        }
        return hi[0] < 0 ? Optional.empty() : Optional.of(BoundingBox.fromCorners(lo, hi));
    }

    /**
     * Crops {@code volume} to the non-zero box of {@code mask} grown by {@code margin} voxels and clipped
     * to the grid; empty when the mask has no non-zero voxel.
     *
     * @throws IllegalArgumentException when mask and volume are not on the same grid (1e-4 mm)
     */
    public static Optional<Volume> cropToMask(Volume volume, Volume mask, int margin) {
        if (!mask.geometry().sameGrid(volume.geometry(), 1e-4)) {
            throw new IllegalArgumentException("mask grid " + mask.geometry() + " differs from volume grid " + volume.geometry());
        }
        if (margin < 0) {
            throw new IllegalArgumentException("margin must be >= 0, got " + margin);
        }
        return nonZeroBox(mask).map(b -> crop(volume, b.grow(margin).clipTo(volume.geometry().dims())));
    }

    /**
     * The voxels of {@code box}, which must lie inside the volume (use {@link #pad} for boxes that reach
     * outside).
     */
    public static Volume crop(Volume volume, BoundingBox box) {
        Objects.requireNonNull(box, "box");
        int[] dims = volume.geometry().dims();
        if (!box.isWithin(dims)) {
            throw new IllegalArgumentException(box + " reaches outside the volume's grid " + Arrays.toString(dims)
                    + "; use Crop.pad to extend a volume");
        }
        return reframe(volume, box.start(), volume.geometry().region(box.start(), box.size()), 0);
    }

    /**
     * The voxels of {@code box}, which may reach outside the volume on any side; voxels outside get
     * {@code fill} (a real value; when some voxel needs it, it must be exactly storable in the volume's
     * integer type and rescale, else IllegalArgumentException).
     */
    public static Volume pad(Volume volume, BoundingBox box, double fill) {
        Objects.requireNonNull(box, "box");
        return reframe(volume, box.start(), volume.geometry().region(box.start(), box.size()), fill);
    }

    /** Extends the volume by {@code before[a]} voxels below and {@code after[a]} above on each axis (all >= 0). */
    public static Volume pad(Volume volume, int[] before, int[] after, double fill) {
        for (int a = 0; a < 3 && a < before.length && a < after.length; a++) {
            if (before[a] < 0 || after[a] < 0) {
                throw new IllegalArgumentException("pad margins must be >= 0, got before " + Arrays.toString(before)
                        + ", after " + Arrays.toString(after) + " (use crop to shrink)");
            }
        }
        return pad(volume, BoundingBox.of(volume.geometry()).grow(before, after), fill);
    }

    /**
     * Puts a cropped (or padded) volume back onto the grid it came from: voxels of {@code original} covered
     * by {@code cropped} get its values, the rest {@code fill}; parts of {@code cropped} outside
     * {@code original} are dropped. The result has exactly the geometry {@code original} and the type,
     * rescale and channels of {@code cropped}, so it also takes back a label map predicted on a crop.
     *
     * @throws IllegalArgumentException when {@code cropped}'s grid is not a region of {@code original}
     *     (other spacing or direction, or an offset that is not a whole number of voxels)
     */
    public static Volume restore(Volume cropped, Geometry original, double fill) {
        Affine m = original.rasToIjk().multiply(cropped.geometry().ijkToRas());
        int[] offset = new int[3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (Math.abs(m.get(r, c) - (r == c ? 1 : 0)) > REGION_TOLERANCE) {
                    throw new IllegalArgumentException("cropped grid " + cropped.geometry()
                            + " has other spacing or direction than the original grid " + original);
                }
            }
            double t = m.get(r, 3);
            offset[r] = (int) Math.rint(t);
            if (Math.abs(t - offset[r]) > REGION_TOLERANCE || Math.abs(t) > Integer.MAX_VALUE / 2.0) {
                throw new IllegalArgumentException("cropped grid " + cropped.geometry() + " is offset by " + t
                        + " voxels on axis " + r + " from the original grid " + original + ", not a whole number");
            }
        }
        // Original voxel p corresponds to cropped voxel p - offset.
        return reframe(cropped, new int[] {-offset[0], -offset[1], -offset[2]}, original, fill);
    }

    /**
     * A volume on {@code grid} whose voxel p is {@code src} voxel {@code p + start} where that exists,
     * else {@code fill}. Copies whole overlapping rows.
     */
    private static Volume reframe(Volume src, int[] start, Geometry grid, double fill) {
        DataType type = src.type();
        int bytes = type.bytes();
        int[] sd = src.geometry().dims();
        int[] od = grid.dims();
        Volume.Builder out = Volume.allocate(grid, type, src.channels()).rescale(src.rescale());

        // Overlap in output indices: 0 <= p < od and 0 <= p + start < sd.
        int[] lo = new int[3];
        int[] hi = new int[3]; // exclusive
        boolean overlap = true;
        boolean covered = true; // every output voxel comes from src: no fill needed (nor checked)
        for (int a = 0; a < 3; a++) {
            lo[a] = (int) Math.max(0, -(long) start[a]);
            hi[a] = (int) Math.min(od[a], (long) sd[a] - start[a]);
            overlap &= lo[a] < hi[a];
            covered &= lo[a] == 0 && hi[a] == od[a];
        }
        byte[] fillRow = covered ? null : fillRow(type, storedFill(src, fill), od[0]);
        for (int c = 0; c < src.channels(); c++) {
            ByteBuffer o = out.channel(c);
            if (fillRow != null) {
                for (int row = 0; row < od[1] * od[2]; row++) {
                    o.put(row * od[0] * bytes, fillRow);
                }
            }
            if (!overlap) {
                continue;
            }
            ByteBuffer s = src.data(c);
            int length = (hi[0] - lo[0]) * bytes;
            for (int k = lo[2]; k < hi[2]; k++) {
                for (int j = lo[1]; j < hi[1]; j++) {
                    int from = (lo[0] + start[0] + sd[0] * (j + start[1] + sd[1] * (k + start[2]))) * bytes;
                    int to = (lo[0] + od[0] * (j + od[1] * k)) * bytes;
                    o.put(to, s, from, length);
                }
            }
        }
        return out.build();
    }

    /** The stored value for a real fill value; it must be exact for integer types (float rounding is fine). */
    private static double storedFill(Volume v, double fill) {
        Volume.Rescale r = v.rescale();
        double stored = (fill - r.intercept()) / r.slope();
        double kept = v.type().clamp(stored);
        if (v.type().isInteger()) {
            double back = r.apply(kept);
            if (Double.isNaN(fill) || Math.abs(back - fill) > 1e-6 * Math.max(1, Math.abs(fill))) {
                throw new IllegalArgumentException("fill value " + fill + " cannot be stored in " + v.type().id()
                        + (r.isIdentity() ? "" : " with " + r) + "; nearest storable is " + back);
            }
        }
        return kept;
    }

    /** One output row of fill voxels, or null when the fill is all zero bytes (new buffers already are). */
    private static byte[] fillRow(DataType type, double stored, int n) {
        ByteBuffer one = ByteBuffer.allocate(type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case UINT8 -> one.put(0, (byte) (int) stored);
            case INT16, UINT16 -> one.putShort(0, (short) (int) stored);
            case INT32 -> one.putInt(0, (int) stored);
            case FLOAT32 -> one.putFloat(0, (float) stored);
            case FLOAT64 -> one.putDouble(0, stored);
        }
        byte[] voxel = one.array();
        boolean zero = true;
        for (byte b : voxel) {
            zero &= b == 0;
        }
        if (zero) {
            return null;
        }
        byte[] row = new byte[n * voxel.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(voxel, 0, row, i * voxel.length, voxel.length);
        }
        return row;
    }
}
