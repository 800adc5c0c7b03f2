package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;

class ResampleCommandTest {

    @TempDir
    Path dir;

    /** A ramp along x in RAS, which trilinear resampling reproduces exactly anywhere inside. */
    private Path ramp() throws IOException {
        Geometry g = Geometry.axisAligned(new int[] {20, 10, 8}, new double[] {1, 2, 3}, new double[] {-10, 0, 5});
        float[] v = new float[20 * 10 * 8];
        for (int k = 0; k < 8; k++) {
            for (int j = 0; j < 10; j++) {
                for (int i = 0; i < 20; i++) {
                    v[i + 20 * (j + 10 * k)] = (float) (100 + 3 * g.toRas(i, j, k)[0]);
                }
            }
        }
        Path f = dir.resolve("ramp.nii.gz");
        new NiftiWriter().write(Volume.ofFloats(g, v), f);
        return f;
    }

    @Test
    void newSpacingKeepsTheFieldOfView() throws IOException {
        Path out = dir.resolve("out.nii");
        CliRun run = CliRun.of("resample", "--input", ramp().toString(), "--output", out.toString(), "--spacing", "2");
        assertEquals(0, run.exitCode(), run.err());
        Volume v = new NiftiReader().readVolume(out);
        assertArrayEquals(new int[] {10, 10, 12}, v.geometry().dims());
        assertArrayEquals(new double[] {2, 2, 2}, v.geometry().spacing(), 1e-9);
        assertEquals(DataType.FLOAT32, v.type());
        for (int i = 0; i < 10; i++) {
            double x = v.geometry().toRas(i, 4, 4)[0];
            assertEquals(100 + 3 * x, v.value(0, i, 4, 4), 1e-3, "ramp at i=" + i);
        }
    }

    @Test
    void referenceGridAndOutputType() throws IOException {
        Geometry refGrid = Geometry.of(new int[] {6, 6, 4}, new double[] {1.5, 1.5, 2}, new double[] {-4, 2, 8},
                new double[][] {{0.98, -0.17, 0}, {0.17, 0.98, 0}, {0, 0, 1}});
        Path ref = dir.resolve("ref.nii.gz");
        new NiftiWriter().write(Volume.ofBytes(refGrid, new byte[6 * 6 * 4]), ref);
        Path out = dir.resolve("out.nii.gz");
        CliRun run = CliRun.of("resample", "--input", ramp().toString(), "--reference", ref.toString(),
                "--output", out.toString(), "--interpolation", "bspline", "--type", "int16");
        assertEquals(0, run.exitCode(), run.err());
        Volume v = new NiftiReader().readVolume(out);
        assertTrue(v.geometry().sameGrid(refGrid, 1e-4), v.geometry().toString());
        assertEquals(DataType.INT16, v.type());
    }

    @Test
    void badChoicesAreNamed() throws IOException {
        Path out = dir.resolve("out.nii");
        CliRun run = CliRun.of("resample", "--input", ramp().toString(), "--output", out.toString(),
                "--spacing", "1,2", "--interpolation", "cubic");
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertTrue(run.err().contains("--interpolation"), run.err());
        assertFalse(Files.exists(out), "nothing written on failure");

        CliRun spacing = CliRun.of("resample", "--input", ramp().toString(), "--output", out.toString(), "--spacing", "1,2");
        assertTrue(spacing.err().contains("--spacing"), spacing.err());
        assertFalse(Files.exists(out));

        CliRun both = CliRun.of("resample", "--input", "a", "--output", "b", "--spacing", "1", "--reference", "c");
        assertEquals(2, both.exitCode(), "--spacing and --reference exclude each other");
    }
}
