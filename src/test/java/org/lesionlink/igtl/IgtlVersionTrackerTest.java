package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;

/** Never send header version 2 before the peer did; then answer in the peer's version. */
class IgtlVersionTrackerTest {

    private static final TransformMessage V2_REPLY = new TransformMessage(
            new Envelope(2, "NeedleToRas", 0, 3, Map.of("TransformStatus", "OK")), TransformMatrix.IDENTITY);
    private static final StatusMessage V1_REPLY = StatusMessage.of(Envelope.v1(""), StatusCode.OK, "");

    private static EmbeddedChannel pipeline(IgtlVersionTracker tracker) {
        return new EmbeddedChannel(new IgtlFrameDecoder(), IgtlMessageDecoder.INSTANCE, IgtlMessageEncoder.INSTANCE, tracker);
    }

    private static IgtlMessage sent(EmbeddedChannel ch, IgtlMessage m) {
        ch.writeOutbound(m);
        ByteBuf b = ch.readOutbound();
        try {
            return (IgtlMessage) IgtlCodec.decode(b);
        } finally {
            b.release();
        }
    }

    private static void receive(EmbeddedChannel ch, String fixture) {
        ch.writeInbound(Unpooled.wrappedBuffer(IgtlTesting.fixture(fixture)));
        assertInstanceOf(IgtlMessage.class, ch.readInbound());
    }

    @Test
    void startsAtVersionOneAndFollowsThePeer() {
        EmbeddedChannel ch = pipeline(new IgtlVersionTracker());
        assertEquals(1, IgtlVersionTracker.peerHeaderVersion(ch));
        IgtlMessage before = sent(ch, V2_REPLY);
        assertEquals(1, before.headerVersion(), "no v2 before the peer sent one");
        assertEquals(Map.of(), before.metadata());

        receive(ch, "transform_v1_probe.bin");
        assertEquals(1, sent(ch, V2_REPLY).headerVersion());

        receive(ch, "status_v3_slicer_dummy.bin"); // Slicer's connect handshake
        assertEquals(2, IgtlVersionTracker.peerHeaderVersion(ch));
        IgtlMessage after = sent(ch, V2_REPLY);
        assertEquals(V2_REPLY, after, "v2 with metadata and message id once the peer speaks v2");
        assertEquals(2, sent(ch, V1_REPLY).headerVersion(), "replies in the version the peer uses");

        receive(ch, "transform_v1_probe.bin");
        assertEquals(2, IgtlVersionTracker.peerHeaderVersion(ch), "the highest version seen counts");
        assertFalse(ch.finish());
    }

    @Test
    void maximumOneAlwaysSendsVersionOne() {
        EmbeddedChannel ch = pipeline(new IgtlVersionTracker(1));
        receive(ch, "transform_v3_metadata.bin");
        assertEquals(1, sent(ch, V2_REPLY).headerVersion());
        assertFalse(ch.finish());
    }
}
