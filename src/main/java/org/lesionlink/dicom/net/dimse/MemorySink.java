package org.lesionlink.dicom.net.dimse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.TransferSyntax;
import org.lesionlink.dicom.io.DicomException;
import org.lesionlink.dicom.io.DicomReader;

/**
 * Collects a data set in memory as the received fragments themselves (retained, not copied, in a composite
 * buffer), for small data sets: C-FIND identifiers, C-ECHO, responses. Parsing copies it once into one array.
 */
public final class MemorySink implements DataSetSink {

    private final CompositeByteBuf parts = Unpooled.compositeBuffer(Integer.MAX_VALUE);

    @Override
    public synchronized void write(ByteBuf fragment) {
        parts.addComponent(true, fragment.retain());
    }

    /**
     * Releases the fragments; a no-op once they are released. The registry aborts the sink of a request its service
     * refused, and a service may already have read (and so released) it: a second release would throw on the
     * worker and leave the request unanswered (found by AssociationFuzzTest).
     */
    @Override
    public synchronized void abort() {
        if (parts.refCnt() > 0) {
            parts.release();
        }
    }

    public synchronized int length() {
        return parts.readableBytes();
    }

    /** The bytes received, as one array; releases the fragments. */
    public synchronized byte[] toBytesAndRelease() {
        if (parts.refCnt() == 0) {
            throw new IllegalStateException("the data set was already read or aborted");
        }
        try {
            return ByteBufUtil.getBytes(parts);
        } finally {
            parts.release();
        }
    }

    /** Parses the data set in {@code ts}; releases the fragments. */
    public Attributes readAndRelease(TransferSyntax ts, String source) throws DicomException {
        byte[] b = toBytesAndRelease();
        return new DicomReader().readDataset(ByteBuffer.wrap(b), ts, source);
    }
}
