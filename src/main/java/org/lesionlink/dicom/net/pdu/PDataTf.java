package org.lesionlink.dicom.net.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import java.util.List;
import java.util.Objects;

/**
 * P-DATA-TF PDU (type 0x04, PS3.8 section 9.3.5): one or more PDV items.
 *
 * <p>Buffers: the PDU owns one reference-counted buffer, {@code content}; every {@link Pdv#data()} is a view of
 * it, so a received fragment is never copied. Whoever receives a P-DATA-TF releases it (or passes the duty on,
 * as Netty handlers do). When built for sending with {@link #of}, {@code content} is the single PDV's data.
 */
public record PDataTf(List<Pdv> pdvs, ByteBuf content) implements Pdu, ReferenceCounted {

    public PDataTf {
        pdvs = List.copyOf(pdvs);
        Objects.requireNonNull(content, "content");
    }

    /** A P-DATA-TF of one PDV; takes over the reference to {@code data}. */
    public static PDataTf of(int contextId, int messageControlHeader, ByteBuf data) {
        return new PDataTf(List.of(new Pdv(contextId, messageControlHeader, data)), data);
    }

    /** The PDU length field: the sum of all items including their 4-byte length fields. */
    public long length() {
        long n = 0;
        for (Pdv p : pdvs) {
            n += 4 + p.itemLength();
        }
        return n;
    }

    @Override
    public int type() {
        return P_DATA_TF;
    }

    @Override
    public int refCnt() {
        return content.refCnt();
    }

    @Override
    public PDataTf retain() {
        content.retain();
        return this;
    }

    @Override
    public PDataTf retain(int increment) {
        content.retain(increment);
        return this;
    }

    @Override
    public PDataTf touch() {
        content.touch();
        return this;
    }

    @Override
    public PDataTf touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return content.release();
    }

    @Override
    public boolean release(int decrement) {
        return content.release(decrement);
    }
}
