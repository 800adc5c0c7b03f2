package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lesionlink.server.ServerFixtures.next;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;

/**
 * Section 7.2: without a lesion IMAGE, the connection's latest segmentation is the ablation target (here the
 * hand-built threshold model's "lesion" label on a bright sphere, so the target is known exactly).
 */
@Timeout(180)
class AblationAfterSegmentationTest {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void theSegmentationIsTheTarget() throws Exception {
        Path models = ServerFixtures.models();
        // Sphere of radius 4 voxels (8 mm) around voxel (12, 10, 8) of a 2 mm grid whose voxel 0 is at (-40, -30, -20).
        ServerFixtures.SphereCase c = ServerFixtures.sphere(28, 24, 20, new double[] {12, 10, 8}, 4);
        double[] centre = {-40 + 2 * 12, -30 + 2 * 10, -20 + 2 * 8};
        ObjectMapper json = new ObjectMapper();
        try (LesionLinkServer server = LesionLinkServer.start(ServerFixtures.config(tmp.resolve("storage"), models));
                IgtlClient client = IgtlClient.connect("127.0.0.1", server.igtlPort())) {
            client.send(ImageVolumes.fromVolume(Envelope.v1("T1c"), c.image())).get();
            next(client, ImageMessage.class, m -> m.envelope().deviceName().equals("T1c_seg"), T);
            client.send(StringMessage.of(Envelope.v1("CMD_1"), "AblationPlan {\"zone\": [9, 9, 9, 0]}")).get();
            JsonNode plan = json.readTree(next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_1"), T).text());
            assertEquals("segmentation", plan.get("lesion").asText(), plan.toString());
            client.send(new TransformMessage(Envelope.v1("NeedleToReference"), TransformMatrix.translation(centre[0], centre[1],
                    centre[2]))).get();
            JsonNode r = json.readTree(next(client, StringMessage.class, m -> m.envelope().deviceName().equals("AblationReport"), T)
                    .text()).get("result");
            int lesionVoxels = 0;
            for (byte b : c.truth()) {
                lesionVoxels += b;
            }
            assertEquals(lesionVoxels, r.get("lesion_voxels").asInt(), "the segmented sphere is the target");
            assertEquals(100.0, r.get("coverage_percent").asDouble(), 1e-9);
            // Surface voxel centres lie at most 8 mm from the centre: margin >= 1 mm; the largest is exactly 8 mm (4 voxels).
            assertEquals(1.0, r.get("min_margin_mm").asDouble(), 1e-3);
            assertEquals("NOT_ASSESSED", r.get("status").asText(), "the threshold model has no canal label");
        }
    }
}
