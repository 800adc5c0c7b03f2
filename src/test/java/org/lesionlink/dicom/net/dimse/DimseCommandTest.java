package org.lesionlink.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.io.DicomWriter;
import org.lesionlink.dicom.net.pdu.PDataTf;
import org.lesionlink.dicom.net.pdu.PduDecoder;
import org.lesionlink.dicom.net.pdu.Pdv;

/**
 * Command sets (group 0000, implicit VR LE with group length) built by {@link Dimse} and encoded by
 * {@code DicomWriter.encodeCommand} are byte for byte those dcmtk sent in the captures (fixtures/dicom-pdu), and the
 * captured ones decode to the expected fields.
 */
class DimseCommandTest {

    static final String MR_SMALL_IUID = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";

    /** The command fragments (whole command sets: each fits one PDV in these captures) of a capture, in order. */
    static List<byte[]> commands(String fixture) throws IOException {
        byte[] bytes;
        try (InputStream in = DimseCommandTest.class.getResourceAsStream("/fixtures/dicom-pdu/" + fixture)) {
            bytes = in.readAllBytes();
        }
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<byte[]> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            if (o instanceof PDataTf p) {
                for (Pdv v : p.pdvs()) {
                    if (v.isCommand()) {
                        assertTrue(v.isLast());
                        out.add(ByteBufUtil.getBytes(v.data()));
                    }
                }
                p.release();
            }
        }
        assertFalse(ch.finish());
        return out;
    }

    @Test
    void cEchoRqAndRspAreWhatDcmtkSends() throws IOException {
        byte[] rq = commands("echo.scu-to-scp.bin").get(0);
        assertArrayEquals(rq, DicomWriter.encodeCommand(Dimse.cEchoRq(1, UID.Verification)));
        Attributes decoded = new DicomReader().readCommand(rq, "capture");
        assertEquals(CommandField.C_ECHO_RQ, Dimse.commandField(decoded));
        assertFalse(Dimse.hasDataSet(decoded));
        byte[] rsp = commands("echo.scp-to-scu.bin").get(0);
        assertArrayEquals(rsp, DicomWriter.encodeCommand(Dimse.response(decoded, Status.SUCCESS)));
    }

    @Test
    void cStoreRqAndRspAreWhatDcmtkSends() throws IOException {
        byte[] rq = commands("store_mr_small.scu-to-scp.bin").get(0);
        assertArrayEquals(rq, DicomWriter.encodeCommand(Dimse.cStoreRq(1, UID.MRImageStorage, MR_SMALL_IUID,
                Dimse.PRIORITY_MEDIUM)));
        Attributes decoded = new DicomReader().readCommand(rq, "capture");
        assertTrue(Dimse.hasDataSet(decoded));
        assertEquals(MR_SMALL_IUID, decoded.getString(Tag.AffectedSOPInstanceUID));
        byte[] rsp = commands("store_mr_small.scp-to-scu.bin").get(0);
        assertArrayEquals(rsp, DicomWriter.encodeCommand(Dimse.response(decoded, Status.SUCCESS)));
        // Orthanc's C-STORE-RQ (on presentation context 3) has the same shape
        Attributes orthanc = new DicomReader().readCommand(commands("orthanc_store_jpegls.scu-to-scp.bin").get(0), "capture");
        assertEquals(CommandField.C_STORE_RQ, Dimse.commandField(orthanc));
    }

    @Test
    void statusClasses() {
        assertTrue(Status.isSuccess(0x0000));
        assertTrue(Status.isPending(0xFF00) && Status.isPending(0xFF01));
        assertTrue(Status.isWarning(0xB000) && Status.isWarning(0x0001) && Status.isWarning(0xB007));
        for (int failure : new int[] {0xA700, 0xA900, 0xC000, 0xA801, 0x0122, 0x0110, 0x0211}) {
            assertTrue(Status.isFailure(failure), Integer.toHexString(failure));
        }
        assertFalse(Status.isFailure(0xFE00));
        assertEquals("0xA700 (failure)", Status.toString(0xA700));
        DicomServiceException e = new DicomServiceException(0xC000, "x".repeat(100) + "\\\n");
        assertEquals(64, e.errorComment().length());
    }
}
