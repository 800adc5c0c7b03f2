package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.dicom.SyntheticMrSeries;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.ElementDictionary;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;

class DicomToNiftiCommandTest {

    @TempDir
    Path dir;

    static int tag(String keyword) {
        return ElementDictionary.standard().lookup(keyword).orElseThrow().tag();
    }

    /** A small study: T1 post-contrast, FLAIR (same grid), and a T1 series missing a slice. */
    private Path study() throws IOException {
        Path in = dir.resolve("in");
        write(in.resolve("s3"), SyntheticMrSeries.oblique(6, 5, 6, "cli-t1c"), 3, "T1 post Gd", 500, 15, 0, -1);
        write(in.resolve("s5"), SyntheticMrSeries.oblique(6, 5, 6, "cli-flair"), 5, "FLAIR", 9000, 120, 2500, -1);
        write(in.resolve("s2"), SyntheticMrSeries.oblique(6, 5, 6, "cli-t1"), 2, "T1", 500, 15, 0, 2);
        Files.writeString(in.resolve("notes.txt"), "hello");
        return in;
    }

    private static void write(Path d, SyntheticMrSeries s, int number, String description, double tr, double te, double ti,
            int dropSlice) throws IOException {
        Files.createDirectories(d);
        for (int k = 0; k < s.slices().size(); k++) {
            if (k == dropSlice) {
                continue;
            }
            Attributes a = s.slices().get(k).deepCopy();
            a.setString(Tag.StudyInstanceUID, VR.UI, UID.nameBased("cli-study"));
            a.setString(Tag.FrameOfReferenceUID, VR.UI, UID.nameBased("cli-for"));
            a.setInt(Tag.SeriesNumber, VR.IS, number);
            a.setString(Tag.SeriesDescription, VR.LO, description);
            a.setDouble(tag("RepetitionTime"), VR.DS, tr);
            a.setDouble(tag("EchoTime"), VR.DS, te);
            if (ti > 0) {
                a.setDouble(tag("InversionTime"), VR.DS, ti);
            }
            DicomWriter.write(d.resolve("IM" + (7 - k)), a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
    }

    @Test
    void onePerSeriesWithASummaryOfWhatWasRefused() throws IOException {
        Path in = study();
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("dicom-to-nifti", "--input", in.toString(), "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        String o = run.out();
        assertTrue(o.contains(": 17 DICOM instances, 1 files skipped"), o);
        assertTrue(o.contains("skipped " + in.resolve("notes.txt") + ": not readable as DICOM"), o);
        assertTrue(o.contains("series #2 MR \"T1\" (5 slices, axial)"), o);
        assertTrue(o.contains("  refused (MISSING_SLICES): "), o);
        assertTrue(o.contains("series #3 MR \"T1 post Gd\" (6 slices, axial)"), o);
        assertTrue(o.contains("  6 x 5 x 6, spacing 0.9000 x 1.100 x 3.000 mm, uint16 -> " + out.resolve("3_T1_post_Gd.nii.gz")), o);
        assertTrue(o.contains("2 of 3 series assembled"), o);
        Volume v = new NiftiReader().readVolume(out.resolve("3_T1_post_Gd.nii.gz"));
        assertTrue(v.geometry().sameGrid(SyntheticMrSeries.oblique(6, 5, 6, "x").geometry(), 1e-4));
        assertEquals(DataType.UINT16, v.type());
        assertTrue(Files.exists(out.resolve("5_FLAIR.nii.gz")));
        assertEquals(2, out.toFile().list().length);
    }

    @Test
    void channelsAreSelectedExplainedAndWritten() throws IOException {
        Path in = study();
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("dicom-to-nifti", "--input", in.toString(), "--output", out.toString(), "--channels", "t1c,flair");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        String o = run.out();
        assertTrue(o.contains("  t1c: #3 MR \"T1 post Gd\" (6 slices, axial) - matched /t1.*(post"), o);
        assertTrue(o.contains("  flair: #5 MR \"FLAIR\" (6 slices, axial) - matched /flair/ in SeriesDescription \"FLAIR\""), o);
        assertTrue(o.contains("  note: flair: already on the reference grid"), o);
        Volume t1c = new NiftiReader().readVolume(out.resolve("t1c.nii.gz"));
        Volume flair = new NiftiReader().readVolume(out.resolve("flair.nii.gz"));
        assertEquals(DataType.FLOAT32, t1c.type());
        assertArrayEquals(t1c.geometry().dims(), flair.geometry().dims());
        assertEquals((3 * 7 + 2 * 13 + 4 * 29) % 4096, t1c.value(0, 3, 2, 4), 0);

        CliRun missing = CliRun.of("dicom-to-nifti", "--input", in.toString(), "--channels", "t1c,t2");
        assertEquals(Main.EXIT_FAILURE, missing.exitCode());
        assertTrue(missing.err().contains("error: no series for required channel t2"), missing.err());
        assertTrue(missing.err().contains("#5 MR \"FLAIR\" (6 slices, axial): assembled; classified flair"), missing.err());
    }

    @Test
    void rulesFileAndNothingToAssemble() throws IOException {
        Path in = study();
        Path rules = dir.resolve("rules.json");
        Files.writeString(rules, "{\"channels\": [{\"name\": \"post\", \"sequence\": \"t1c\", \"include\": [\"gd\"]}]}");
        CliRun run = CliRun.of("dicom-to-nifti", "--input", in.toString(), "--rules", rules.toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().contains("  post: #3 MR \"T1 post Gd\" (6 slices, axial) - matched /gd/ in SeriesDescription"), run.out());

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        CliRun none = CliRun.of("dicom-to-nifti", "--input", empty.toString());
        assertEquals(Main.EXIT_FAILURE, none.exitCode());
        assertTrue(none.out().contains("0 of 0 series assembled"), none.out());
        assertTrue(List.of(Main.commandLine().getSubcommands().keySet().toArray()).contains("dicom-to-nifti"));
    }
}
