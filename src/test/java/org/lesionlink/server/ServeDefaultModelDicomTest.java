package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.cli.Main;
import org.lesionlink.dicom.SyntheticMrSeries;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.ElementDictionary;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.OrthancPeer;
import org.lesionlink.dicom.seg.SegmentationReader;
import org.lesionlink.dicom.volume.AssembledSeries;
import org.lesionlink.dicom.volume.DicomScanner;
import org.lesionlink.dicom.volume.VolumeAssembler;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.phantom.PhantomCase;
import org.lesionlink.testing.LabelOverlap;

/**
 * The PACS flow with the embedded default models on a brain phantom: its four channels are written as four
 * MR series of one study (T1, T1 post-Gd, T2, FLAIR descriptions, the phantom's oblique 2 mm grid, int16
 * voxels as they are), uploaded to a real Orthanc, and Orthanc pushes the study to {@code serve} running on
 * the repository's {@code models/} folder. The DICOM SEG that serve sends back to Orthanc must decode to the
 * very labelmap that {@code lesionlink segment} produces from the same series ({@code dicom-to-nifti}, then
 * {@code segment --no-tta --threads 1}, serve's settings here), and pass the whole-tumour Dice floor against
 * the phantom truth. About 1.5 minutes on 2 cores (two inferences).
 */
@Timeout(600)
class ServeDefaultModelDicomTest {
    private static final String[][] SERIES = {
        // channel, SeriesDescription, TR, TE, TI, contrast agent
        {"t1", "AX T1 SE", "500", "15", "0", null},
        {"t1c", "AX T1 SE post Gd", "500", "15", "0", "Gadovist"},
        {"t2", "AX T2 TSE", "4000", "100", "0", null},
        {"flair", "AX FLAIR", "9000", "120", "2500", null},
    };

    @TempDir
    Path tmp;

    @Test
    void orthancPushesABrainPhantomAndGetsTheSegmentLabelmap() throws Exception {
        PhantomCase c = DefaultModelFixtures.brainCase();
        Path models = DefaultModelFixtures.models();
        Path studyDir = tmp.resolve("study");
        List<Path> files = writeStudy(c, studyDir);
        int servePort = DicomFlowOrthancTest.freePort();
        Volume fromServe;
        try (OrthancPeer orthanc = OrthancPeer.start(tmp.resolve("orthanc"),
                List.of(new OrthancPeer.Modality("lesionlink", "LESIONLINK", servePort)))) {
            String study = DicomFlowOrthancTest.uploadAndPush(orthanc, files);
            ServerConfig cfg = ServerFixtures.config(tmp.resolve("storage"), models).with(Map.of("dicomPort", servePort,
                    "dicomDestinations", List.of("ORTHANC@127.0.0.1:" + orthanc.dicomPort()), "studyQuietSeconds", 1.0));
            try (LesionLinkServer server = LesionLinkServer.start(cfg)) {
                orthanc.post("/modalities/lesionlink/store", study);
                List<String> segs = DicomFlowOrthancTest.awaitSeg(orthanc, 400_000);
                assertEquals(1, segs.size(), "one SEG in Orthanc; log:\n" + orthanc.log());
                Job job = server.queue().jobs().stream().filter(j -> j.source() == Job.Source.DICOM).findFirst().orElseThrow();
                assertEquals(DefaultModelFixtures.BRAIN, job.model(), "the brain model's channel rules took the study");
                System.err.println("serve (DICOM) with " + job.model() + " on the brain phantom: timings " + job.timingsMs());
                Attributes seg = new DicomReader().read(orthanc.getBytes("/instances/" + segs.get(0) + "/file"), "orthanc SEG")
                        .dataset();
                AssembledSeries t1 = assembled(studyDir.resolve("t1"));
                fromServe = SegmentationReader.toLabelmap(seg, t1.volume().geometry(), "orthanc SEG");
            }
        }

        // `lesionlink segment` on the same series, through the CLI as a user would run it.
        Path nifti = tmp.resolve("nifti");
        assertEquals(0, Main.run("dicom-to-nifti", "--input", studyDir.toString(), "--output", nifti.toString(), "--channels",
                String.join(",", DefaultModelFixtures.brainChannels())));
        List<String> args = new ArrayList<>(List.of("segment", "--model", models.resolve(DefaultModelFixtures.BRAIN).toString(),
                "--device", "cpu", "--no-tta", "--threads", "1", "--output", tmp.resolve("segment.nii.gz").toString()));
        for (String ch : DefaultModelFixtures.brainChannels()) {
            args.addAll(List.of("--input", ch + "=" + nifti.resolve(ch + ".nii.gz")));
        }
        assertEquals(0, Main.run(args.toArray(String[]::new)));
        Volume fromSegment = new NiftiReader().readVolume(tmp.resolve("segment.nii.gz"));

        Geometry g = c.labels().geometry();
        assertTrue(fromServe.geometry().sameGrid(g, 1e-3), fromServe.geometry() + " vs the phantom's " + g);
        assertTrue(fromSegment.geometry().sameGrid(g, 1e-3), fromSegment.geometry() + " vs the phantom's " + g);
        byte[] served = LabelOverlap.bytes(fromServe);
        byte[] segmented = labels(fromSegment);
        int differing = 0;
        for (int i = 0; i < served.length; i++) {
            differing += served[i] != segmented[i] ? 1 : 0;
        }
        byte[] truth = LabelOverlap.bytes(c.labels());
        double wt = LabelOverlap.dice(served, truth, 1, 2, 3);
        System.err.printf(Locale.ROOT, "serve over DICOM, %s on phantom seed %d: WT Dice %.3f, TC %.3f, ET %.3f; "
                + "%d voxels differ from segment's%n", DefaultModelFixtures.BRAIN, DefaultModelFixtures.SEED, wt,
                LabelOverlap.dice(served, truth, 1, 3), LabelOverlap.dice(served, truth, 3), differing);
        assertEquals(0, differing, "the SEG decodes to segment's labelmap");
        assertTrue(wt > DefaultModelFixtures.BRAIN_WT_DICE_FLOOR, "WT Dice " + wt);
    }

    /** One MR series per channel, in one study and frame of reference; returns all files. */
    private static List<Path> writeStudy(PhantomCase c, Path dir) throws Exception {
        Geometry g = c.labels().geometry();
        int nx = g.dim(0);
        int ny = g.dim(1);
        String studyUid = UID.nameBased("serve-default-model|study");
        String forUid = UID.nameBased("serve-default-model|for");
        List<Path> files = new ArrayList<>();
        for (int s = 0; s < SERIES.length; s++) {
            String[] d = SERIES[s];
            Volume v = c.image(d[0]);
            SyntheticMrSeries series = SyntheticMrSeries.of(g, "serve-default-model|" + d[0]);
            for (int k = 0; k < g.dim(2); k++) {
                Attributes a = series.slices().get(k);
                a.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
                a.setString(Tag.FrameOfReferenceUID, VR.UI, forUid);
                a.setInt(Tag.SeriesNumber, VR.IS, s + 2);
                a.setString(Tag.SeriesDescription, VR.LO, d[1]);
                a.setString(tag("ProtocolName"), VR.LO, d[1]);
                a.setDouble(tag("RepetitionTime"), VR.DS, Double.parseDouble(d[2]));
                a.setDouble(tag("EchoTime"), VR.DS, Double.parseDouble(d[3]));
                if (!d[4].equals("0")) {
                    a.setDouble(tag("InversionTime"), VR.DS, Double.parseDouble(d[4]));
                }
                if (d[5] != null) {
                    a.setString(tag("ContrastBolusAgent"), VR.LO, d[5]);
                }
                // The phantom's int16 voxels are clamped at 0: unsigned 16-bit pixels, all bits stored.
                byte[] px = new byte[nx * ny * 2];
                ByteBuffer src = v.data(0);
                src.position(k * px.length);
                src.get(px);
                a.setInt(Tag.BitsStored, VR.US, 16);
                a.setInt(Tag.HighBit, VR.US, 15);
                a.setBytes(Tag.PixelData, VR.OW, px);
            }
            Path sd = dir.resolve(d[0]);
            Files.createDirectories(sd);
            files.addAll(series.write(sd));
        }
        return files;
    }

    private static AssembledSeries assembled(Path seriesDir) throws Exception {
        return new VolumeAssembler().assemble(DicomScanner.scan(seriesDir).instances());
    }

    private static byte[] labels(Volume v) {
        byte[] b = new byte[v.voxelsPerChannel()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) v.value(0, i);
        }
        return b;
    }

    private static int tag(String keyword) {
        return ElementDictionary.standard().lookup(keyword).orElseThrow().tag();
    }
}
