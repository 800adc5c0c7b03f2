package org.lesionlink.dicom.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Volume;
import org.lesionlink.testing.Peers;

/**
 * nibabel's Philips Enhanced MR ({@code philips_mprage.dcm.gz}: gzip, 176 sagittal frames of 256 x 256, per-frame
 * functional groups) assembled and cross-checked against an affine, slice order and values computed from the
 * functional groups with pydicom + numpy ({@code peers/pydicom_volume.py}).
 */
class EnhancedMrTest {

    static final Path MPRAGE = Path.of("/usr/lib/python3/dist-packages/nibabel/nicom/tests/data/philips_mprage.dcm.gz");

    @Test
    void philipsMprageMatchesPydicom() throws Exception {
        Peers.requireFile(MPRAGE, "nibabel's test data (python3-nibabel)");
        Peers.requirePythonModule("pydicom");
        Peers.requirePythonModule("numpy");
        JsonNode py = new ObjectMapper().readTree(Peers.runPythonScript("peers/pydicom_volume.py", List.of(MPRAGE.toString()), 300));

        DicomScanner.Result scan = DicomScanner.scan(MPRAGE);
        assertEquals(1, scan.instances().size());
        List<SeriesResult> results = new VolumeAssembler().assembleAll(scan.instances());
        assertEquals(1, results.size());
        SeriesResult r = results.get(0);
        assertTrue(r.isAssembled(), () -> String.valueOf(r.refusal()));
        AssembledSeries a = r.volume();
        Volume v = a.volume();

        assertArrayEquals(new int[] {256, 256, 176}, v.geometry().dims());
        assertEquals(256, py.get("dims").get(0).asInt());
        assertEquals(176, py.get("dims").get(2).asInt());
        // IOP is rounded decimal text; LesionLink makes the column vector exactly orthogonal, pydicom does not.
        PydicomSeriesTest.assertAffine(py.get("affine_lps"), v.geometry().ijkToLps(), 1e-6);
        for (int k = 0; k < 176; k++) {
            assertEquals(py.get("frames").get(k).asInt(), a.slices().get(k).frameNumber(), "frame at k=" + k);
            assertEquals(py.get("distances").get(k).asDouble(), a.slices().get(k).distance(), 1e-9);
        }
        assertEquals(UID.EnhancedMRImageStorage, a.slices().get(0).sopClassUid());
        // One rescale for every frame (PixelValueTransformationSequence): stored uint16 kept.
        assertEquals(1, py.get("slopes").size());
        assertEquals(DataType.UINT16, v.type());
        assertEquals(py.get("slopes").get(0).asDouble(), v.rescale().slope(), 1e-12);
        assertEquals(py.get("intercepts").get(0).asDouble(), v.rescale().intercept(), 1e-12);
        double sum = 0;
        for (int i = 0; i < v.voxelsPerChannel(); i++) {
            sum += v.value(0, i);
        }
        assertEquals(py.get("sum").asDouble(), sum, Math.abs(sum) * 1e-12);
        for (JsonNode s : py.get("samples")) {
            assertEquals(s.get(3).asDouble(), v.value(0, s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt()), 1e-9,
                    "voxel " + s);
        }
        assertEquals("MR", a.info().modality());
        assertEquals("SAGITTAL", a.info().orientation());
        assertEquals(176, a.info().sliceCount());
        assertEquals(1, a.info().instanceCount());
        assertTrue(a.info().repetitionTime() > 0, "TR from the functional groups: " + a.info());
    }
}
