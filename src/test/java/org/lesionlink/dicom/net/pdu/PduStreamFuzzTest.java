package org.lesionlink.dicom.net.pdu;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.testing.FuzzChecks;

/**
 * Fuzzes the DICOM Upper Layer PDU decoder ({@link PduDecoder} over {@link PduCodec}, PS3.8 section 9.3) in an
 * {@link io.netty.channel.embedded.EmbeddedChannel}, the bytes cut into reads at fuzzer-chosen sizes. Property:
 * the only exception is {@link PduException} (which the association answers with A-ABORT); every output is a
 * {@link Pdu}; every inbound buffer is released once the outputs are; allocation follows the bytes that arrived.
 * Seeds: the PDU streams captured between dcmtk, Orthanc and LesionLink (fixtures/dicom-pdu).
 */
class PduStreamFuzzTest {

    @FuzzTest
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void stream(byte[] data) {
        FuzzChecks.assertAllocationWithin(4L << 20, 64, data.length, "PDU stream", () -> decode(data));
    }

    private static void decode(byte[] data) {
        List<ByteBuf> reads = FuzzChecks.chunks(data);
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder());
        for (ByteBuf b : reads) {
            FuzzChecks.onlyThrows(() -> ch.writeInbound(b), PduException.class);
            drain(ch);
        }
        FuzzChecks.onlyThrows(ch::finish, PduException.class);
        drain(ch);
        FuzzChecks.assertReleased(reads);
    }

    private static void drain(EmbeddedChannel ch) {
        for (Object o; (o = ch.readInbound()) != null;) {
            assertInstanceOf(Pdu.class, o);
            ReferenceCountUtil.release(o);
        }
    }
}
