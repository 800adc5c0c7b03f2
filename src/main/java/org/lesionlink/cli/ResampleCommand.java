package org.lesionlink.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Interpolation;
import org.lesionlink.image.Resampler;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lesionlink resample}: puts an image onto another grid in physical (RAS) space. */
@Command(name = "resample", mixinStandardHelpOptions = true,
        description = "Resample an image onto the grid of a reference image or onto a new spacing.")
final class ResampleCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ResampleCommand.class);

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Image to resample (NIfTI).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the result (.nii or .nii.gz).")
    Path output;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--reference", paramLabel = "FILE", description = "Take the target grid from this image's header.")
        Path reference;

        @Option(names = "--spacing", paramLabel = "MM[,MM,MM]", split = ",",
                description = "New spacing in mm (one value for all axes, or three); the field of view is kept.")
        double[] spacing;
    }

    @Option(names = "--interpolation", defaultValue = "linear", paramLabel = "nearest|linear|bspline",
            description = "nearest for labelmaps, linear (default) or bspline (cubic) for images.")
    String interpolation;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "Output voxel type (uint8, int16, uint16, int32, float32, float64); default: the input's.")
    String type;

    @Option(names = "--fill", defaultValue = "0", paramLabel = "VALUE", description = "Value outside the input (default 0).")
    double fill;

    @Override
    public Integer call() throws Exception {
        Interpolation interp = Interpolation.valueOf(Cli.enumName("--interpolation", interpolation, "nearest", "linear", "bspline"));
        DataType outType = type == null ? null : DataType.fromId(type);
        NiftiReader reader = new NiftiReader();

        long t0 = System.nanoTime();
        Volume source = reader.readVolume(input);
        long t1 = System.nanoTime();
        Geometry grid = target.reference != null
                ? reader.readHeader(target.reference).geometry()
                : source.geometry().withSpacing(Cli.threeValues("--spacing", target.spacing));
        Volume result = Resampler.of(interp).fill(fill).outputType(outType).resample(source, grid);
        long t2 = System.nanoTime();
        new NiftiWriter().write(result, output);
        long t3 = System.nanoTime();
        log.info("read {} ms, resample {} ms, write {} ms", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        return 0;
    }
}
