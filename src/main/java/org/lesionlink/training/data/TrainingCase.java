package org.lesionlink.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.lesionlink.image.Crop;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Interpolation;
import org.lesionlink.image.Resampler;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelSpec;
import org.lesionlink.inference.Preprocessing;
import org.lesionlink.io.nifti.NiftiReader;

/**
 * One training case on the model's grid: the channels exactly as the {@link org.lesionlink.inference.Segmenter}
 * would feed them to the network ({@link Preprocessing#prepare}: crop to the filled non-zero box,
 * normalise, resample to the model spacing), and the label map cropped with the same box and resampled
 * with nearest neighbour.
 *
 * <p>Folder layout (the phantom generator's): {@code caseNNN/<input>.nii.gz} for each model input name
 * (or {@code .nii}), plus {@code caseNNN/seg.nii.gz} with the label values of the model.
 *
 * @param id the case folder's name
 * @param dims grid size along voxel axes i, j, k
 * @param channels one float array per model input, index {@code i + di (j + dj k)}
 * @param labels label values, same indexing
 */
public record TrainingCase(String id, int[] dims, float[][] channels, byte[] labels) {

    /** The label file of a case folder (without extension). */
    public static final String SEG = "seg";

    public int voxels() {
        return dims[0] * dims[1] * dims[2];
    }

    /** The case folders of {@code dir} (sub-folders holding a seg file), in name order. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("--data " + dir + " is not a directory");
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> find(p, SEG) != null).sorted().forEach(out::add);
        }
        return out;
    }

    /** Loads and preprocesses one case folder for {@code spec}. */
    public static TrainingCase load(Path folder, ModelSpec spec) throws IOException {
        NiftiReader reader = new NiftiReader();
        List<Volume> inputs = new ArrayList<>();
        for (ModelSpec.Input in : spec.inputs()) {
            Path f = find(folder, in.name());
            if (f == null) {
                throw new IOException(folder + ": no " + in.name() + ".nii.gz (or .nii) for model input " + in.name());
            }
            inputs.add(reader.readVolume(f));
        }
        Path segFile = find(folder, SEG);
        if (segFile == null) {
            throw new IOException(folder + ": no " + SEG + ".nii.gz (or .nii)");
        }
        Volume seg = reader.readVolume(segFile);
        Preprocessing.Case pre = Preprocessing.prepare(spec, inputs, stage -> { });
        String id = folder.getFileName().toString();
        if (pre.box().isEmpty()) {
            throw new IOException(folder + ": every input is zero everywhere");
        }
        if (!seg.geometry().sameGrid(pre.grid(), 1e-4)) {
            seg = Resampler.of(Interpolation.NEAREST).resample(seg, pre.grid());
        }
        Volume labels = Crop.crop(seg, pre.box().get());
        if (pre.resampled()) {
            labels = Resampler.of(Interpolation.NEAREST).outputType(DataType.UINT8).resample(labels, pre.modelGrid());
        }
        Geometry g = pre.modelGrid();
        byte[] l = toLabels(labels, spec, folder);
        return new TrainingCase(id, g.dims(), pre.channels(), l);
    }

    private static byte[] toLabels(Volume v, ModelSpec spec, Path folder) throws IOException {
        boolean[] allowed = new boolean[256];
        allowed[0] = true;
        for (ModelSpec.Label l : spec.labels()) {
            allowed[l.value()] = true;
        }
        byte[] out = new byte[v.voxelsPerChannel()];
        for (int i = 0; i < out.length; i++) {
            double value = v.value(0, i);
            int label = (int) Math.round(value);
            if (label != value || label < 0 || label > 255 || !allowed[label]) {
                throw new IOException(folder + ": " + SEG + " has value " + value + ", not one of the model's labels 0, "
                        + spec.labels().stream().map(x -> String.valueOf(x.value())).toList());
            }
            out[i] = (byte) label;
        }
        return out;
    }

    private static Path find(Path folder, String name) {
        for (String ext : new String[] {".nii.gz", ".nii"}) {
            Path p = folder.resolve(name + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "TrainingCase[" + id + ", " + Arrays.toString(dims) + ", " + channels.length + " channel(s)]";
    }
}
