package org.lesionlink.image;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Resamples a {@link Volume} (all channels) onto another {@link Geometry}, in physical space: each target
 * voxel centre is mapped to a continuous source index by {@code source.rasToIjk() * target.ijkToRas()}
 * and the source is interpolated there. Immutable and thread-safe; configure with the withers:
 *
 * <pre>{@code
 * Volume t1OnCtGrid = Resampler.of(Interpolation.BSPLINE).outputType(DataType.FLOAT32).resample(t1, ct.geometry());
 * Volume labels     = Resampler.of(Interpolation.NEAREST).resample(labelMap, t1.geometry());
 * }</pre>
 *
 * <p><b>Domain.</b> A target voxel whose centre falls outside the box covered by the source voxels
 * (continuous index outside {@code [-0.5, n - 0.5]} on some axis) gets the fill value. Inside that box
 * every point is interpolated, the half-voxel band at the edges included; see {@link Interpolation} for
 * what each method does there.
 *
 * <p><b>Values.</b> Interpolation acts on real values (the input {@link Volume.Rescale} applied). The output
 * type is the input type unless {@link #outputType} says otherwise:
 * <ul>
 *   <li>same type as the input: the input rescale is kept and stored values are interpolated directly,
 *       which is equivalent because all weights sum to one; NEAREST thus copies stored values exactly;
 *   <li>another type: identity rescale, the output holds real values.
 * </ul>
 * Integer outputs are rounded (half to even) and clamped to the type's range, which also applies to the
 * fill value and to B-spline overshoot. NaN becomes 0 in integer outputs.
 *
 * <p><b>Exactness.</b> Entries of the combined index mapping within 1e-9 of an integer are snapped to
 * it, so grids that coincide up to floating-point noise (the same grid rebuilt from a header, a crop
 * region of it, axis flips or permutations) sample exactly at source voxel centres.
 *
 * <p><b>Cost.</b> Slices along k are computed in parallel on the common fork-join pool. Peak memory is
 * the source plus the output, plus for BSPLINE one float32 coefficient array of one source channel
 * (4 bytes per source voxel, channels are done one after another) and one line of doubles per worker.
 */
public final class Resampler {

    /** Entries of the combined mapping closer than this to an integer are snapped to it. */
    static final double SNAP = 1e-9;

    private final Interpolation interpolation;
    private final double fill;
    private final DataType outputType; // null: keep the input type

    private Resampler(Interpolation interpolation, double fill, DataType outputType) {
        this.interpolation = Objects.requireNonNull(interpolation, "interpolation");
        this.fill = fill;
        this.outputType = outputType;
    }

    /** Fill value 0, output type equal to the input type. */
    public static Resampler of(Interpolation interpolation) {
        return new Resampler(interpolation, 0, null);
    }

    /** Shorthand for {@code of(interpolation).resample(source, target)}. */
    public static Volume resample(Volume source, Geometry target, Interpolation interpolation) {
        return of(interpolation).resample(source, target);
    }

    /** Real value for target voxels outside the source (default 0). NaN is allowed for float outputs. */
    public Resampler fill(double value) {
        return new Resampler(interpolation, value, outputType);
    }

    /** Output voxel type; {@code null} keeps the input type (the default). */
    public Resampler outputType(DataType type) {
        return new Resampler(interpolation, fill, type);
    }

    public Interpolation interpolation() {
        return interpolation;
    }

    public double fill() {
        return fill;
    }

    /** The explicit output type, or empty when the input type is kept. */
    public Optional<DataType> outputType() {
        return Optional.ofNullable(outputType);
    }

    /**
     * The affine taking a target voxel index to the continuous source index of the same RAS point,
     * {@code source.rasToIjk() * target.ijkToRas()}, with near-integer entries snapped (see class doc).
     */
    public static Affine indexMapping(Geometry source, Geometry target) {
        double[] m = source.rasToIjk().multiply(target.ijkToRas()).toRowMajor();
        for (int e = 0; e < 12; e++) {
            double r = Math.rint(m[e]);
            if (Math.abs(m[e] - r) < SNAP) {
                m[e] = r + 0.0; // + 0.0 turns -0.0 into 0.0
            }
        }
        return Affine.ofRowMajor(m);
    }

    /** Resamples every channel of {@code source} onto {@code target}. */
    public Volume resample(Volume source, Geometry target) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        DataType type = outputType != null ? outputType : source.type();
        Volume.Rescale in = source.rescale();
        boolean keepRescale = type == source.type();
        // Stored input -> stored output: identity when the rescale is kept, else apply the input rescale.
        double slope = keepRescale ? 1 : in.slope();
        double intercept = keepRescale ? 0 : in.intercept();
        double storedFill = keepRescale ? (fill - in.intercept()) / in.slope() : fill;

        Affine map = indexMapping(source.geometry(), target);
        Volume.Builder out = Volume.allocate(target, type, source.channels());
        if (keepRescale) {
            out.rescale(in);
        }
        int nx = target.dim(0);
        int ny = target.dim(1);
        int nz = target.dim(2);
        // Step along i by the mapping's first column instead of a full matrix product per voxel.
        double dx = map.get(0, 0);
        double dy = map.get(1, 0);
        double dz = map.get(2, 0);
        for (int c = 0; c < source.channels(); c++) {
            final int channel = c;
            ChannelSampler sampler = ChannelSampler.of(source, c, interpolation);
            IntStream.range(0, nz).parallel().forEach(k -> {
                for (int j = 0; j < ny; j++) {
                    double[] p = map.apply(0, j, k);
                    double x = p[0];
                    double y = p[1];
                    double z = p[2];
                    int index = nx * (j + ny * k);
                    for (int i = 0; i < nx; i++, index++) {
                        double v = sampler.inside(x, y, z) ? sampler.at(x, y, z) * slope + intercept : storedFill;
                        out.set(channel, index, v);
                        x += dx;
                        y += dy;
                        z += dz;
                    }
                }
            });
        }
        return out.build();
    }

    @Override
    public String toString() {
        return "Resampler[" + interpolation + ", fill " + fill + ", output " + (outputType == null ? "input type" : outputType.id()) + "]";
    }
}
