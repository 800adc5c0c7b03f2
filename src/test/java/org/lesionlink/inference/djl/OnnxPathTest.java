package org.lesionlink.inference.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.PeerModels;
import org.lesionlink.inference.Segmentation;
import org.lesionlink.inference.Segmenter;

/** The ONNX export of tiny-unet through DJL's OnnxRuntime engine gives what its TorchScript twin gives. */
class OnnxPathTest {

    @Test
    void sameLabelMapAsTorchScript() throws Exception {
        Assumptions.assumeTrue(PeerModels.hasOnnx(), "torch.onnx.export was not available when generating test models");
        ModelPackage ts = ModelPackage.open(PeerModels.folder("tiny-unet"));
        ModelPackage onnx = ModelPackage.open(PeerModels.folder("tiny-unet-onnx"));
        List<Volume> inputs = org.lesionlink.inference.SegmenterReferenceTestAccess.phantom(new int[] {32, 28, 24}, 7);
        Segmenter.Options opts = new Segmenter.Options(true, 1, true);
        Segmentation a;
        Segmentation b;
        try (DjlModel m = DjlModel.open(ts, new DjlModel.Options(DeviceChoice.CPU, 2, 1))) {
            a = new Segmenter(ts.spec(), m.folds(), opts).segment(inputs);
        }
        try (DjlModel m = DjlModel.open(onnx, new DjlModel.Options(DeviceChoice.CPU, 2, 1))) {
            int baseline = m.liveArrays();
            b = new Segmenter(onnx.spec(), m.folds(), opts).segment(inputs);
            assertEquals(baseline, m.liveArrays(), "no arrays left behind by the ONNX path");
        }
        Volume la = a.logits().orElseThrow();
        Volume lb = b.logits().orElseThrow();
        double maxAbs = 0;
        for (int c = 0; c < la.channels(); c++) {
            float[] x = la.toFloats(c);
            float[] y = lb.toFloats(c);
            for (int v = 0; v < x.length; v++) {
                maxAbs = Math.max(maxAbs, Math.abs(x[v] - y[v]));
            }
        }
        assertTrue(maxAbs < 1e-4, "max abs logit difference ONNX vs TorchScript " + maxAbs);
        byte[] x = new byte[a.labelMap().voxelsPerChannel()];
        byte[] y = new byte[x.length];
        a.labelMap().data(0).get(x);
        b.labelMap().data(0).get(y);
        int differ = 0;
        for (int v = 0; v < x.length; v++) {
            differ += x[v] != y[v] ? 1 : 0;
        }
        assertEquals(0, differ, "voxels labelled differently by ONNX and TorchScript");
    }
}
