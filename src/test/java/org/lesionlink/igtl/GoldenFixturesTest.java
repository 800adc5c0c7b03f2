package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lesionlink.igtl.message.CapabilityMessage;
import org.lesionlink.igtl.message.CellArray;
import org.lesionlink.igtl.message.CoordinateSystem;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.Extent;
import org.lesionlink.igtl.message.GetQuery;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageMetaMessage;
import org.lesionlink.igtl.message.LabelMetaMessage;
import org.lesionlink.igtl.message.PointMessage;
import org.lesionlink.igtl.message.PolyDataMessage;
import org.lesionlink.igtl.message.PositionMessage;
import org.lesionlink.igtl.message.Quaternion;
import org.lesionlink.igtl.message.Rgba;
import org.lesionlink.igtl.message.ScalarType;
import org.lesionlink.igtl.message.StartQuery;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.igtl.message.Vec3;

/**
 * Golden bytes (src/test/resources/fixtures/igtl/*.bin, fields spelled out in the .txt beside each) in,
 * record out, encoded again to identical bytes; every fixture fed at every fragment size.
 */
class GoldenFixturesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "transform_v1_probe", "transform_v3_metadata", "string_v3_no_metadata", "status_v3_slicer_dummy",
        "get_imgmeta", "get_transfor", "stt_tdata", "image_debian_imager", "status_debian", "string_debian",
        "transform_debian_tracker", "position_debian_tracker2", "point_debian", "lbmeta_debian", "imgmeta_debian",
        "polydata_debian", "capability_debian"})
    void decodesAtEveryFragmentSizeAndReencodesIdentically(String name) {
        byte[] bytes = IgtlTesting.fixture(name + ".bin");
        IgtlMessage whole = single(IgtlTesting.decode(bytes, bytes.length));
        for (int fragment = 1; fragment < bytes.length; fragment++) {
            List<Object> out = IgtlTesting.decode(bytes, fragment);
            assertEquals(List.of(whole), out, name + " at fragment size " + fragment);
        }
        assertArrayEquals(bytes, IgtlTesting.encode(whole), name + " re-encoded");
    }

    @Test
    void verifiedV1Transform() {
        assertEquals(new TransformMessage(Envelope.v1("ProbeToTracker"), TransformMatrix.translation(10, 20, 30)),
                decodeFixture("transform_v1_probe"));
    }

    @Test
    void verifiedV3TransformWithMetadata() {
        byte[] bytes = IgtlTesting.fixture("transform_v3_metadata.bin");
        assertEquals(145, bytes.length);
        Envelope env = new Envelope(2, "ProbeToTracker", 0, 1, Map.of("TransformStatus", "OK"));
        TransformMessage expected = new TransformMessage(env, TransformMatrix.translation(10, 20, 30));
        assertEquals(expected, decodeFixture("transform_v3_metadata"));
        assertArrayEquals(bytes, IgtlTesting.encode(expected));
    }

    @Test
    void v3WithoutMetadataCarriesIndexCountZero() {
        Envelope env = new Envelope(2, "Text", 0x6b012c7911fc8f4fL, 7, Map.of());
        assertEquals(new StringMessage(env, 3, "OpenIGTLink"), decodeFixture("string_v3_no_metadata"));
    }

    @Test
    void slicerHandshakeStatus() {
        StatusMessage s = (StatusMessage) decodeFixture("status_v3_slicer_dummy");
        assertEquals(2, s.headerVersion());
        assertEquals("", s.deviceName());
        assertEquals(Map.of("dummy", "dummy"), s.metadata());
        assertEquals(StatusCode.OK, s.statusCode().orElseThrow());
    }

    @Test
    void queries() {
        assertEquals(new GetQuery(Envelope.v1(""), "GET_IMGMETA"), decodeFixture("get_imgmeta"));
        GetQuery q = (GetQuery) decodeFixture("get_transfor");
        assertEquals("GET_TRANSFOR", q.type());
        assertEquals("TRANSFORM", q.dataType());
        assertEquals("TRANSFORM", GetQuery.of(Envelope.v1(""), "TRANS").dataType());
        assertEquals(StartQuery.trackingData(Envelope.v1("Tracker"), 100, "Patient"), decodeFixture("stt_tdata"));
    }

    @Test
    void debianImagerServerImage() {
        byte[] bytes = IgtlTesting.fixture("image_debian_imager.bin");
        Extent size = new Extent(256, 256, 1);
        ImageMessage expected = new ImageMessage(Envelope.v1("ImagerClient"), ScalarType.UINT8, 1, ByteOrder.BIG_ENDIAN,
                CoordinateSystem.RAS, size, new Vec3(1, 0, 0), new Vec3(0, -1, 0), new Vec3(0, 0, 5), Vec3.ZERO,
                Extent.ZERO, size, ByteBuffer.wrap(bytes, 58 + 72, 65536));
        ImageMessage m = (ImageMessage) decodeFixture("image_debian_imager");
        assertEquals(expected, m);
        assertTrue(m.isFullVolume());
    }

    @Test
    void debianStatusAndString() {
        assertEquals(new StatusMessage(Envelope.v1("Device"), 1, 128, "OK!", "This is a test to send status message."),
                decodeFixture("status_debian"));
        assertEquals(69, IgtlTesting.fixture("status_debian.bin").length - IgtlHeader.SIZE);
        assertEquals(StringMessage.of(Envelope.v1("StringMessage"), "OpenIGTLink"), decodeFixture("string_debian"));
    }

    @Test
    void debianTrackerTransformAndPosition() {
        TransformMessage t = (TransformMessage) decodeFixture("transform_debian_tracker");
        assertEquals(-1f, t.matrix().get(0, 0));
        assertEquals(0.989743f, t.matrix().get(1, 2), 1e-6f);
        assertEquals(50f, t.matrix().get(0, 3));
        assertEquals(50f, t.matrix().get(2, 3));
        PositionMessage p = (PositionMessage) decodeFixture("position_debian_tracker2");
        assertEquals(new Vec3(50, 0, 50), p.position());
        assertEquals(PositionMessage.Layout.FULL, p.layout());
        assertEquals(new Quaternion(0, 2f / 3, 0.57735026f, 0), p.orientation(), "kept as sent, not normalised");
        Quaternion u = p.unitOrientation();
        assertEquals(1.0, u.norm(), 1e-6);
        assertEquals(0.7559289, u.y(), 1e-6);
    }

    @Test
    void debianPointLabelMetaImageMetaCapability() {
        PointMessage points = (PointMessage) decodeFixture("point_debian");
        assertEquals(3, points.elements().size());
        assertEquals(new PointMessage.Element("POINT_1", "GROUP_0", new Rgba(0, 255, 0, 255), new Vec3(40, 50, 60), 45f, "IMAGE_0"),
                points.elements().get(1));
        LabelMetaMessage lb = (LabelMetaMessage) decodeFixture("lbmeta_debian");
        assertEquals(new LabelMetaMessage.Element("LABEL_DESCRIPTION_2", "LABEL_2", 3, new Rgba(0, 0, 255, 255),
                new Extent(256, 256, 32), "IMAGE_2"), lb.elements().get(2));
        ImageMetaMessage im = (ImageMetaMessage) decodeFixture("imgmeta_debian");
        assertEquals(new ImageMetaMessage.Element("IMAGE_DESCRIPTION_1", "IMAGE_1", "MRI", "PATIENT_1", "PATIENT_ID_1",
                0x258793dffL, new Extent(256, 128, 32), ScalarType.UINT16), im.elements().get(1));
        assertEquals(new CapabilityMessage(Envelope.v1("Device"), List.of("TRANSFORM", "GET_IMAGE", "GET_LBMETA")),
                decodeFixture("capability_debian"));
    }

    @Test
    void debianPolyDataCube() {
        PolyDataMessage p = (PolyDataMessage) decodeFixture("polydata_debian");
        assertEquals(8, p.pointCount());
        assertEquals(CellArray.EMPTY, p.vertices());
        assertEquals(6, p.polygons().cellCount());
        assertArrayEquals(new int[] {0, 3, 2, 1}, p.polygons().cells().get(0));
        assertEquals(1, p.attributes().size());
        PolyDataMessage.Attribute a = p.attributes().get(0);
        assertEquals(PolyDataMessage.AttributeType.POINT_SCALARS, a.attributeType());
        assertEquals(1, a.components());
        assertEquals("attr", a.name());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, a.data());
    }

    private static IgtlMessage decodeFixture(String name) {
        byte[] bytes = IgtlTesting.fixture(name + ".bin");
        return single(IgtlTesting.decode(bytes, bytes.length));
    }

    private static IgtlMessage single(List<Object> out) {
        assertEquals(1, out.size(), () -> "expected one message, got " + out);
        return assertInstanceOf(IgtlMessage.class, out.get(0));
    }
}
