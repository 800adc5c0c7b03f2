package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lesionlink.igtl.message.CapabilityMessage;
import org.lesionlink.igtl.message.CellArray;
import org.lesionlink.igtl.message.ColorTableMessage;
import org.lesionlink.igtl.message.CommandMessage;
import org.lesionlink.igtl.message.CoordinateSystem;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.Extent;
import org.lesionlink.igtl.message.GetQuery;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageMetaMessage;
import org.lesionlink.igtl.message.InstrumentType;
import org.lesionlink.igtl.message.LabelMetaMessage;
import org.lesionlink.igtl.message.NdArrayMessage;
import org.lesionlink.igtl.message.PointMessage;
import org.lesionlink.igtl.message.PolyDataMessage;
import org.lesionlink.igtl.message.PositionMessage;
import org.lesionlink.igtl.message.Quaternion;
import org.lesionlink.igtl.message.QuaternionTrackingDataMessage;
import org.lesionlink.igtl.message.Rgba;
import org.lesionlink.igtl.message.RtsCommandMessage;
import org.lesionlink.igtl.message.RtsMessage;
import org.lesionlink.igtl.message.ScalarType;
import org.lesionlink.igtl.message.StartQuery;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StopQuery;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.TrackingDataMessage;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.igtl.message.UnknownMessage;
import org.lesionlink.igtl.message.Vec3;

/** Every message type: record -> bytes -> record, in header versions 1 and 2, through the Netty stages. */
class MessageRoundTripTest {

    /** One sample per message record (and per query form), built on a given envelope. */
    static List<IgtlMessage> samples(Envelope e) {
        Random rnd = new Random(42);
        byte[] px = new byte[3 * 4 * 2 * 2 * 2];
        rnd.nextBytes(px);
        ImageMessage image = new ImageMessage(e, ScalarType.INT16, 2, ByteOrder.LITTLE_ENDIAN, CoordinateSystem.LPS,
                new Extent(5, 4, 3), new Vec3(0.9f, 0.1f, 0), new Vec3(-0.1f, 0.9f, 0), new Vec3(0, 0, 2.5f),
                new Vec3(1, 2, 3), new Extent(1, 0, 1), new Extent(3, 4, 2), ByteBuffer.wrap(px));
        TransformMatrix m = TransformMatrix.fromColumnMajor(0, 1, 0, -1, 0, 0, 0, 0, 1, 4.5f, -3, 100);
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i * 0x010203;
        }
        float[] cube = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};
        PolyDataMessage poly = new PolyDataMessage(e, cube, CellArray.of(new int[] {0}), CellArray.of(new int[] {0, 1, 2}),
                CellArray.of(new int[] {0, 1, 2}, new int[] {2, 3, 0}), CellArray.of(new int[] {0, 1, 3, 2}),
                List.of(new PolyDataMessage.Attribute(PolyDataMessage.AttributeType.POINT_SCALARS, 1, "Distance", new float[] {1, 2, 3, 4}),
                        new PolyDataMessage.Attribute(PolyDataMessage.AttributeType.CELL_NORMALS, 3, "Normals", new float[] {0, 0, 1, 0, 0, -1})));
        return List.of(
                image,
                new TransformMessage(e, m),
                PositionMessage.of(e, new Vec3(1, 2, 3), new Quaternion(0, 0.667f, 0.577f, 0)),
                new PositionMessage(e, PositionMessage.TYPE, new Vec3(1, 2, 3), Quaternion.IDENTITY, PositionMessage.Layout.POSITION_ONLY),
                new PositionMessage(e, PositionMessage.TYPE_QTRANS, new Vec3(1, 2, 3), new Quaternion(0, 0, 0.6f, 0.8f), PositionMessage.Layout.QUATERNION3),
                new TrackingDataMessage(e, List.of(new TrackingDataMessage.Element("Stylus", InstrumentType.INSTRUMENT_6D, m),
                        new TrackingDataMessage.Element("ExactlyTwentyCharsXX", InstrumentType.TRACKER, TransformMatrix.IDENTITY))),
                new QuaternionTrackingDataMessage(e, List.of(new QuaternionTrackingDataMessage.Element("Needle",
                        InstrumentType.INSTRUMENT_5D, new Vec3(1, 2, 3), new Quaternion(0, 0, 0, 1)))),
                StatusMessage.of(e, StatusCode.CHECKSUM_ERROR, "CRC mismatch on IMAGE"),
                new StatusMessage(e, 42, -7, "TwentyCharErrorName!", ""),
                StringMessage.of(e, "Hello"),
                StringMessage.of(e, "Läsion ✓"),
                new CommandMessage(e, 17, "StartSegmentation", 3, "<Command Name=\"StartSegmentation\" Model=\"brain-mets\"/>"),
                new RtsCommandMessage(e, 17, "StartSegmentation", 3, "<CommandReply Status=\"SUCCESS\"/>"),
                new CapabilityMessage(e, List.of("IMAGE", "TRANSFORM", "GET_POSITION")),
                new ImageMetaMessage(e, List.of(new ImageMetaMessage.Element("T1 post-contrast", "IMAGE_0", "MR", "Doe^Jane", "123",
                        0x6b012c7911fc8f4fL, new Extent(256, 256, 180), ScalarType.INT16))),
                new LabelMetaMessage(e, List.of(new LabelMetaMessage.Element("Metastasis 1", "LABEL_0", 1, new Rgba(255, 0, 0, 255),
                        new Extent(256, 256, 180), "IMAGE_0"))),
                ColorTableMessage.rgb8(e, lut),
                new PointMessage(e, List.of(new PointMessage.Element("Target", "Fiducial", new Rgba(1, 2, 3, 4), new Vec3(-1, 0, 1), 2.5f, "IMAGE_0"))),
                poly,
                PolyDataMessage.surface(e, cube, CellArray.of(new int[] {0, 1, 2})),
                NdArrayMessage.ofDoubles(e, List.of(2, 3), 1, 2, 3, 4, 5, 6),
                new GetQuery(e, "GET_IMAGE"),
                new GetQuery(e, "GET_TRANS"),
                new StartQuery(e, "STT_POLYDATA", StartQuery.Form.RESOLUTION, 50_000_000L, ""),
                new StartQuery(e, "STT_IMAGE", StartQuery.Form.EMPTY, 0, ""),
                StartQuery.trackingData(e, 100, "Patient"),
                new StopQuery(e, "STP_TDATA"),
                new RtsMessage(e, "RTS_TDATA", RtsMessage.SUCCESS),
                new UnknownMessage(e, "TRAJ", ByteBuffer.wrap(new byte[150])));
    }

    static Stream<IgtlMessage> allSamples() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("TransformStatus", "OK");
        meta.put("MRMLNodeName", "Volume");
        meta.put("Ünïcode", "värde ✓");
        return Stream.concat(
                samples(Envelope.v1("Device")).stream(),
                samples(new Envelope(2, "LesionLink", 0x6b012c7911fc8f4fL, 0xFFFFFFFFL, meta)).stream());
    }

    @ParameterizedTest
    @MethodSource("allSamples")
    void encodeThenDecodeGivesTheSameRecordAtSeveralFragmentSizes(IgtlMessage m) {
        byte[] bytes = IgtlTesting.encode(m);
        for (int fragment : new int[] {1, 2, 3, 13, 58, 59, 64, bytes.length}) {
            assertEquals(List.of(m), IgtlTesting.decode(bytes, fragment), m.type() + " at fragment " + fragment);
        }
        assertArrayEquals(bytes, IgtlTesting.encode((IgtlMessage) IgtlTesting.decode(bytes, bytes.length).get(0)));
        Object viaCodec = IgtlCodec.decode(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
        assertEquals(m, viaCodec);
    }

    @Test
    void samplesCoverEveryPermittedRecord() {
        Set<Class<?>> covered = samples(Envelope.v1("")).stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> permitted = Set.of(IgtlMessage.class.getPermittedSubclasses());
        assertEquals(permitted, covered);
    }

    @Test
    void largeImagesAreEncodedWithoutCopyingThePixels() {
        byte[] px = new byte[256 * 256 * 4];
        new Random(1).nextBytes(px);
        ByteBuffer pixels = ByteBuffer.wrap(px);
        Extent size = new Extent(256, 256, 1);
        ImageMessage m = new ImageMessage(Envelope.v1("big"), ScalarType.FLOAT32, 1, ByteOrder.LITTLE_ENDIAN,
                CoordinateSystem.RAS, size, new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1), Vec3.ZERO,
                Extent.ZERO, size, pixels);
        var out = IgtlCodec.encode(m, ByteBufAllocator.DEFAULT);
        try {
            assertTrue(out instanceof io.netty.buffer.CompositeByteBuf, "large bodies are composites");
            px[0] ^= 1; // the encoded buffer must see the caller's array: it was wrapped, not copied
            assertEquals(px[0], out.getByte(IgtlHeader.SIZE + ImageMessage.HEADER_SIZE));
        } finally {
            out.release();
        }
    }

    @Test
    void decodedPayloadsAreViewsOfTheReceivedBody() {
        byte[] bytes = IgtlTesting.fixture("image_debian_imager.bin");
        ImageMessage m = (ImageMessage) IgtlTesting.decode(bytes, 1000).get(0);
        ByteBuffer p = m.pixels();
        assertTrue(p.isReadOnly());
        assertEquals(65536, p.remaining());
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> p.put(0, (byte) 1));
    }

    @Test
    void recordsRejectValuesTheWireCannotCarry() {
        Envelope e = Envelope.v1("x");
        assertThrows(IllegalArgumentException.class, () -> new Envelope(1, "x", 0, 5, Map.of()), "v1 has no message id");
        assertThrows(IllegalArgumentException.class, () -> new Envelope(1, "x", 0, 0, Map.of("k", "v")), "v1 has no metadata");
        assertThrows(IllegalArgumentException.class, () -> new Envelope(3, "x", 0, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new GetQuery(e, "STT_IMAGE"));
        assertThrows(IllegalArgumentException.class, () -> new RtsMessage(e, "RTS_COMMAND", 0));
        assertThrows(IllegalArgumentException.class, () -> new StringMessage(e, 3, "beyond Latin-1 \u2713"));
        assertThrows(IllegalArgumentException.class, () -> new TrackingDataMessage(e,
                List.of(new TrackingDataMessage.Element("twenty-one characters", InstrumentType.TRACKER, TransformMatrix.IDENTITY))));
        assertThrows(IllegalArgumentException.class, () -> new ColorTableMessage(e, 3, 19, ByteBuffer.allocate(10)));
        assertThrows(IllegalArgumentException.class, () -> new Extent(65536, 1, 1));
        assertEquals(EnumSet.allOf(StatusCode.class).size(), 20);
        assertEquals(StatusCode.SHUTTING_DOWN, StatusCode.fromCode(19));
    }

    @Test
    void getQueryOfEveryTypeMapsBackToThatType() {
        Envelope e = Envelope.v1("");
        assertEquals("GET_CAPABIL", GetQuery.of(e, "CAPABILITY").type(), "the 1.11 library's spelling, not GET_CAPABILI");
        assertEquals("GET_TRANSFOR", GetQuery.of(e, "TRANSFORM").type());
        for (String t : List.of(ImageMessage.TYPE, TransformMessage.TYPE, CapabilityMessage.TYPE, StatusMessage.TYPE,
                ImageMetaMessage.TYPE, LabelMetaMessage.TYPE, ColorTableMessage.TYPE, PointMessage.TYPE,
                PolyDataMessage.TYPE, NdArrayMessage.TYPE, TrackingDataMessage.TYPE, StringMessage.TYPE)) {
            GetQuery q = GetQuery.of(e, t);
            assertTrue(q.type().length() <= 12, q.type());
            assertEquals(t, q.dataType(), q.type());
        }
        assertEquals("CAPABILITY", new GetQuery(e, "GET_CAPABILI").dataType(), "a peer that cuts mechanically");
        assertEquals("CAPABILITY", new GetQuery(e, "GET_CAPABIL").dataType());
    }

    @Test
    void downgradingToVersionOneDropsIdAndMetadata() {
        Envelope v2 = new Envelope(2, "d", 5, 9, Map.of("a", "b"));
        assertEquals(new Envelope(1, "d", 5, 0, Map.of()), v2.withHeaderVersion(1));
    }
}
