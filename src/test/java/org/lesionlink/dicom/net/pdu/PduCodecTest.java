package org.lesionlink.dicom.net.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.net.PresentationContextPolicy;

/**
 * Golden bytes captured between real peers (dcmtk 3.6.7 and Orthanc 1.10.1; fixtures/dicom-pdu/*.bin, fields spelled
 * out in the .txt beside each): decoded through Netty at every fragment size, fields checked, and re-encoded to the
 * same bytes (reserved fields aside: dcmtk writes 0xFF in a reserved byte of RQ presentation context items, we write 0).
 */
class PduCodecTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = PduCodecTest.class.getResourceAsStream("/fixtures/dicom-pdu/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Feeds {@code bytes} in chunks of {@code chunk} and returns the PDUs (caller releases P-DATA-TFs). */
    static List<Pdu> decode(byte[] bytes, int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder());
        for (int i = 0; i < bytes.length; i += chunk) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        List<Pdu> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((Pdu) o);
        }
        assertFalse(ch.finish(), "nothing may be left in the channel");
        return out;
    }

    static void release(List<Pdu> pdus) {
        for (Pdu p : pdus) {
            if (p instanceof PDataTf d) {
                d.release(); // a view of the cumulation: may share its count, so no "true" to check here
            }
        }
    }

    /** Re-encodes through the encoder in an EmbeddedChannel. */
    static byte[] encode(List<Pdu> pdus) {
        EmbeddedChannel ch = new EmbeddedChannel(PduEncoder.INSTANCE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Pdu p : pdus) {
            if (p instanceof PDataTf d) {
                d.retain();
            }
            ch.writeOutbound(p);
        }
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            out.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        assertFalse(ch.finish());
        return out.toByteArray();
    }

    /** The bytes with the reserved byte of every RQ presentation context item set to 0 (what we send). */
    static byte[] zeroReserved(byte[] b) {
        byte[] c = b.clone();
        int p = 0;
        while (p < c.length) {
            int type = c[p] & 0xFF;
            int len = (int) (((c[p + 2] & 0xFFL) << 24) | ((c[p + 3] & 0xFF) << 16) | ((c[p + 4] & 0xFF) << 8) | (c[p + 5] & 0xFF));
            if (type == 1) {
                int q = p + 6 + 68;
                while (q < p + 6 + len) {
                    int il = ((c[q + 2] & 0xFF) << 8) | (c[q + 3] & 0xFF);
                    if ((c[q] & 0xFF) == 0x20) {
                        c[q + 6] = 0;
                    }
                    q += 4 + il;
                }
            }
            p += 6 + len;
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo.scu-to-scp.bin", "echo.scp-to-scu.bin", "echo_refused.scu-to-scp.bin",
        "echo_refused.scp-to-scu.bin", "store_mr_small.scu-to-scp.bin", "store_mr_small.scp-to-scu.bin",
        "store_aborted.scu-to-scp.bin", "store_aborted.scp-to-scu.bin", "orthanc_store_jpegls.scu-to-scp.bin",
        "orthanc_store_jpegls.scp-to-scu.bin"})
    void decodesAtEveryFragmentSizeAndReencodesToTheSameBytes(String name) throws IOException {
        byte[] bytes = fixture(name);
        List<Pdu> whole = decode(bytes, bytes.length);
        byte[] reencoded = encode(whole);
        assertArrayEquals(zeroReserved(bytes), reencoded, name);
        List<String> expected = whole.stream().map(PduCodecTest::describe).toList();
        release(whole);
        // The sweep decodes the stream about n ln n times; paranoid leak tracking (a stack trace per buffer access)
        // would make it take minutes, so it runs at SIMPLE level. The whole-stream pass above ran paranoid.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        try {
            for (int chunk = 1; chunk < bytes.length; chunk++) {
                List<Pdu> pdus = decode(bytes, chunk);
                List<String> got = pdus.stream().map(PduCodecTest::describe).toList();
                release(pdus);
                assertEquals(expected, got, name + " in chunks of " + chunk);
            }
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    /** A value-based description (P-DATA data as length and CRC-32) to compare decodings. */
    static String describe(Pdu p) {
        if (p instanceof PDataTf d) {
            StringBuilder b = new StringBuilder("P-DATA-TF");
            for (Pdv v : d.pdvs()) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(v.data().nioBuffer());
                b.append(' ').append(v.contextId()).append('/').append(v.messageControlHeader()).append(':')
                        .append(v.data().readableBytes()).append(':').append(Long.toHexString(crc.getValue()));
            }
            return b.toString();
        }
        return p.toString().replaceAll("\\[B@[0-9a-f]+", "bytes");
    }

    @Test
    void echoAssociationFields() throws IOException {
        List<Pdu> rq = decode(fixture("echo.scu-to-scp.bin"), 7);
        assertEquals(3, rq.size());
        AAssociateRq r = assertInstanceOf(AAssociateRq.class, rq.get(0));
        assertEquals(1, r.protocolVersion());
        assertEquals("STORESCP", r.calledAeTitle());
        assertEquals("ECHOSCU", r.callingAeTitle());
        assertEquals(AAssociateRq.DICOM_APPLICATION_CONTEXT, r.applicationContext());
        assertEquals(List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)),
                r.presentationContexts());
        assertEquals(16384, r.userInformation().maxLength());
        assertEquals("1.2.276.0.7230010.3.0.3.6.7", r.userInformation().implementationClassUid());
        assertEquals("OFFIS_DCMTK_367", r.userInformation().implementationVersionName());
        assertEquals(-1, r.userInformation().maxOpsInvoked());
        PDataTf echo = assertInstanceOf(PDataTf.class, rq.get(1));
        assertEquals(1, echo.pdvs().size());
        assertEquals(0x03, echo.pdvs().get(0).messageControlHeader());
        assertEquals(68, echo.pdvs().get(0).data().readableBytes());
        assertInstanceOf(AReleaseRq.class, rq.get(2));
        release(rq);

        List<Pdu> ac = decode(fixture("echo.scp-to-scu.bin"), 5);
        AAssociateAc a = assertInstanceOf(AAssociateAc.class, ac.get(0));
        assertEquals(List.of(new PresentationContextAc(1, 0, UID.ImplicitVRLittleEndian)), a.presentationContexts());
        assertEquals(4096, a.userInformation().maxLength());
        assertInstanceOf(AReleaseRp.class, ac.get(2));
        release(ac);
    }

    @Test
    void rejectAbortAndFragmentedStore() throws IOException {
        assertEquals(List.of(new AAssociateRj(1, 1, 1)), decode(fixture("echo_refused.scp-to-scu.bin"), 3));
        List<Pdu> aborted = decode(fixture("store_aborted.scp-to-scu.bin"), 1000);
        AAssociateAc ac = assertInstanceOf(AAssociateAc.class, aborted.get(0));
        assertEquals(128, ac.presentationContexts().size());
        assertEquals(new AAbort(0, 0), aborted.get(1));

        List<Pdu> store = decode(fixture("store_mr_small.scu-to-scp.bin"), 1500);
        List<Integer> lengths = new ArrayList<>();
        List<Integer> mch = new ArrayList<>();
        for (Pdu p : store) {
            if (p instanceof PDataTf d) {
                lengths.add(d.pdvs().get(0).data().readableBytes());
                mch.add(d.pdvs().get(0).messageControlHeader());
            }
        }
        assertEquals(List.of(140, 4084, 4084, 1190), lengths);
        assertEquals(List.of(3, 0, 0, 2), mch);
        release(store);
    }

    @Test
    void orthancProposalNegotiatedByOurPolicy() throws IOException {
        List<Pdu> pdus = decode(fixture("orthanc_store_jpegls.scu-to-scp.bin"), 4096);
        AAssociateRq rq = assertInstanceOf(AAssociateRq.class, pdus.get(0));
        release(pdus);
        assertEquals(127, rq.presentationContexts().size());
        PresentationContextPolicy policy = PresentationContextPolicy.defaults();
        // PC 1: MR with JPEG-LS only -> 4; PC 3: MR explicit LE -> 0; PC 5: MR implicit LE + explicit BE -> implicit LE
        assertEquals(new PresentationContextAc(1, 4, UID.ImplicitVRLittleEndian), policy.negotiate(rq.presentationContext(1)));
        assertEquals(new PresentationContextAc(3, 0, UID.ExplicitVRLittleEndian), policy.negotiate(rq.presentationContext(3)));
        assertEquals(new PresentationContextAc(5, 0, UID.ImplicitVRLittleEndian), policy.negotiate(rq.presentationContext(5)));
        // PC 7: a storage class we do not take by default -> 3; with "any storage class" -> accepted
        assertEquals(3, policy.negotiate(rq.presentationContext(7)).result());
        assertEquals(0, policy.withAcceptAnyStorage(true).negotiate(rq.presentationContext(7)).result());
        long accepted = rq.presentationContexts().stream().filter(pc -> policy.negotiate(pc).isAccepted()).count();
        long acceptedAny = rq.presentationContexts().stream()
                .filter(pc -> policy.withAcceptAnyStorage(true).negotiate(pc).isAccepted()).count();
        assertTrue(accepted >= 4 && accepted < acceptedAny, accepted + " / " + acceptedAny);
    }

    @Test
    void encodesEveryUserInformationSubItemAndReadsItBack() {
        UserInformation ui = new UserInformation(16384, "2.25.1", "LESIONLINK_0_1", 1, 1,
                List.of(new RoleSelection(UID.MRImageStorage, true, false)),
                List.of(new SubItem(SubItem.SOP_CLASS_EXTENDED_NEGOTIATION, new byte[] {0, 3, 'a', 'b', 'c', 1}),
                        new SubItem(SubItem.USER_IDENTITY_RQ, new byte[] {1, 0, 0, 2, 'm', 'e', 0, 0})));
        AAssociateRq rq = new AAssociateRq(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)), ui);
        ByteBuf b = PduCodec.encode(rq, io.netty.buffer.ByteBufAllocator.DEFAULT);
        byte[] bytes = ByteBufUtil.getBytes(b);
        b.release();
        List<Pdu> back = decode(bytes, 11);
        AAssociateRq r = (AAssociateRq) back.get(0);
        assertEquals(ui.maxLength(), r.userInformation().maxLength());
        assertEquals(1, r.userInformation().maxOpsInvoked());
        assertEquals(ui.roleSelections(), r.userInformation().roleSelections());
        assertEquals(2, r.userInformation().others().size());
        assertArrayEquals(ui.others().get(1).value(), r.userInformation().others().get(1).value());
        assertEquals(describe(rq), describe(r));
    }

    @Test
    void unknownPduTypeIsUnrecognizedAndTheRestDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder());
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(
                Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(AAbort.UNRECOGNIZED_PDU, assertInstanceOf(PduException.class, e).abortReason());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, 0, 0, 0, 0, 4, 0, 0, 0, 0}));
        Object next = ch.readInbound();
        assertEquals(null, next, "after a framing error nothing more is decoded");
        assertFalse(ch.finish());
    }

    @Test
    void pDataLongerThanOurMaximumIsRefusedFromItsHeader() {
        PduDecoder d = new PduDecoder();
        d.setMaxPDataLength(4096);
        EmbeddedChannel ch = new EmbeddedChannel(d);
        // only the 6-byte header of a 4097-byte P-DATA-TF: refused before its body arrives
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {4, 0, 0, 0, 0x10, 0x01})));
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, ((PduException) e).abortReason());
        assertFalse(ch.finish());

        PduDecoder big = new PduDecoder(1 << 20);
        EmbeddedChannel ch2 = new EmbeddedChannel(big);
        assertThrows(DecoderException.class, () -> ch2.writeInbound(
                Unpooled.wrappedBuffer(new byte[] {1, 0, 0x7F, 0, 0, 0})), "an RQ beyond the pre-negotiation limit");
        assertFalse(ch2.finish());
    }

    @Test
    void malformedPdusCarryTheAbortReason() {
        // A-RELEASE-RQ of length 5
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reason(new byte[] {5, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0}));
        // P-DATA-TF whose PDV length overruns the PDU
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reason(new byte[] {4, 0, 0, 0, 0, 6, 0, 0, 0, 9, 1, 3}));
        // A-ASSOCIATE-RQ too short for its fixed fields
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reason(new byte[] {1, 0, 0, 0, 0, 2, 0, 1}));
    }

    private static int reason(byte[] pdu) {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder());
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(pdu));
        } catch (PduException e) {
            assertFalse(ch.finish());
            return e.abortReason();
        }
        throw new AssertionError("no PduException");
    }
}
