package org.lesionlink.inference;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.lesionlink.image.BoundingBox;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Interpolation;
import org.lesionlink.image.Resampler;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.post.Masks;

/**
 * The input side of the {@link Segmenter} pipeline as one function, so that training sees exactly what
 * inference sees: check (resample onto the first input's grid) → crop to the filled non-zero box →
 * normalise ({@link Normalizer}) → resample to the model spacing (cubic B-spline).
 */
public final class Preprocessing {

    private Preprocessing() {}

    /**
     * The preprocessed channels of one case.
     *
     * @param grid the first input's grid (the case's reference grid)
     * @param box the crop box on {@code grid}; empty when every input is zero everywhere
     * @param cropGrid the cropped grid ({@code grid} itself when {@code box} is empty)
     * @param cropMask the filled non-zero mask on {@code cropGrid}
     * @param modelGrid {@code cropGrid} at the model's spacing
     * @param resampled whether {@code modelGrid} differs from {@code cropGrid}
     * @param channels the normalised channels on {@code modelGrid}, one per model input (null when
     *     {@code box} is empty)
     */
    public record Case(Geometry grid, Optional<BoundingBox> box, Geometry cropGrid, boolean[] cropMask,
            Geometry modelGrid, boolean resampled, float[][] channels) {}

    /** Runs the four input stages; {@code lap} is called with each stage's name when it ends (for timings). */
    public static Case prepare(ModelSpec spec, List<Volume> inputs, Consumer<String> lap) {
        // 1. check
        if (inputs.size() != spec.inputs().size()) {
            throw new IllegalArgumentException("model " + spec.name() + " takes " + spec.inputs().size() + " inputs "
                    + spec.inputs().stream().map(ModelSpec.Input::name).toList() + ", got " + inputs.size());
        }
        Geometry grid = inputs.get(0).geometry();
        int[] dims = grid.dims();
        float[][] channels = new float[inputs.size()][];
        for (int c = 0; c < inputs.size(); c++) {
            Volume v = inputs.get(c);
            if (v.channels() != 1) {
                throw new IllegalArgumentException("input " + spec.inputs().get(c).name() + " has " + v.channels()
                        + " channels, expected 1");
            }
            if (!v.geometry().sameGrid(grid, 1e-4)) {
                v = Resampler.of(Interpolation.BSPLINE).outputType(DataType.FLOAT32).resample(v, grid);
            }
            channels[c] = v.toFloats(0);
        }
        lap.accept("check");

        // 2. crop to the filled non-zero mask
        int n = grid.dims()[0] * grid.dims()[1] * grid.dims()[2];
        boolean[] nonZero = new boolean[n];
        for (float[] ch : channels) {
            for (int v = 0; v < n; v++) {
                nonZero[v] |= ch[v] != 0;
            }
        }
        boolean[] filled = Masks.fillHoles(nonZero, dims);
        Optional<BoundingBox> box = Segmenter.boundingBox(filled, dims);
        if (box.isEmpty()) {
            lap.accept("crop");
            return new Case(grid, box, grid, filled, grid, false, null);
        }
        BoundingBox b = box.get();
        Geometry cropGrid = grid.region(b.start(), b.size());
        float[][] cropped = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            cropped[c] = Segmenter.crop(channels[c], dims, b);
        }
        boolean[] cropMask = Segmenter.crop(filled, dims, b);
        lap.accept("crop");

        // 3. normalise (before resampling, as nnU-Net)
        for (int c = 0; c < cropped.length; c++) {
            Normalizer.apply(spec.inputs().get(c), cropped[c], cropMask);
        }
        lap.accept("normalise");

        // 4. resample to the model's spacing (2D models keep the slice axis as it is, as nnU-Net's 2D)
        double[] target = spec.targetSpacing();
        if (spec.dims().kind() == ModelSpec.Dims.Kind.TWO_D) {
            target[spec.dims().sliceAxis()] = cropGrid.spacing(spec.dims().sliceAxis());
        }
        Geometry modelGrid = cropGrid.withSpacing(target);
        boolean resample = !modelGrid.sameGrid(cropGrid, 1e-6);
        float[][] modelInput = resample
                ? Segmenter.floats(Resampler.of(Interpolation.BSPLINE).resample(Segmenter.volume(cropGrid, cropped), modelGrid))
                : cropped;
        lap.accept("resample");
        return new Case(grid, box, cropGrid, cropMask, modelGrid, resample, modelInput);
    }
}
