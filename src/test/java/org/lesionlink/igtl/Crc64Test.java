package org.lesionlink.igtl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {

    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void checkValueOfEcma182() {
        assertEquals(0x6C40DF5F0B497347L, Crc64.of(CHECK));
        assertEquals(0x6C40DF5F0B497347L, Crc64.updateBytewise(0, CHECK, 0, CHECK.length));
        assertEquals(0x6C40DF5F0B497347L, Crc64.of(Unpooled.wrappedBuffer(CHECK)));
        assertEquals(0x6C40DF5F0B497347L, Crc64.update(0, ByteBuffer.wrap(CHECK)));
    }

    @Test
    void emptyInputHasCrcZero() {
        assertEquals(0, Crc64.of(new byte[0]));
    }

    @Test
    void slicingBy8EqualsBytewiseForEveryLengthAndOffset() {
        Random rnd = new Random(182);
        byte[] data = new byte[120];
        for (int round = 0; round < 5; round++) {
            rnd.nextBytes(data);
            for (int len = 0; len <= 100; len++) {
                for (int off = 0; off <= 9; off++) {
                    long expected = Crc64.updateBytewise(0, data, off, len);
                    assertEquals(expected, Crc64.update(0, data, off, len), "array len " + len + " off " + off);
                    ByteBuffer heap = ByteBuffer.wrap(data, off, len);
                    assertEquals(expected, Crc64.update(0, heap), "heap ByteBuffer");
                    assertEquals(off, heap.position(), "position must not move");
                    ByteBuffer direct = ByteBuffer.allocateDirect(len).put(data, off, len).flip();
                    assertEquals(expected, Crc64.update(0, direct), "direct ByteBuffer");
                    assertEquals(expected, Crc64.update(0, heap.asReadOnlyBuffer()), "read-only ByteBuffer");
                    ByteBuffer readOnlySlice = ByteBuffer.wrap(data).asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .position(off).slice().limit(len);
                    assertEquals(expected, Crc64.update(0, readOnlySlice), "read-only little-endian slice (as IMAGE pixels)");
                    ByteBuffer readOnlyAtOffset = ByteBuffer.wrap(data).asReadOnlyBuffer().position(off).limit(off + len);
                    assertEquals(expected, Crc64.update(0, readOnlyAtOffset), "read-only with a position");
                    assertEquals(off, readOnlyAtOffset.position(), "position must not move");
                    ByteBuf direct2 = Unpooled.directBuffer(len + off).writeZero(off).writeBytes(data, off, len);
                    assertEquals(expected, Crc64.update(0, direct2, off, len), "direct ByteBuf");
                    direct2.release();
                }
            }
        }
    }

    @Test
    void compositeBuffersAndChainingGiveTheSameResult() {
        Random rnd = new Random(7);
        byte[] data = new byte[1000];
        rnd.nextBytes(data);
        long whole = Crc64.updateBytewise(0, data, 0, data.length);
        CompositeByteBuf c = Unpooled.compositeBuffer();
        c.addComponent(true, Unpooled.wrappedBuffer(data, 0, 333));
        c.addComponent(true, Unpooled.directBuffer(400).writeBytes(data, 333, 400));
        c.addComponent(true, Unpooled.wrappedBuffer(data, 733, 267));
        assertEquals(whole, Crc64.of(c));
        c.release();
        for (int split = 0; split <= data.length; split += 37) {
            long crc = Crc64.update(0, data, 0, split);
            assertEquals(whole, Crc64.update(crc, data, split, data.length - split), "split at " + split);
        }
    }
}
