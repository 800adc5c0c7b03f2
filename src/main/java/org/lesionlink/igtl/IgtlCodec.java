package org.lesionlink.igtl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.IgtlMessage;
import org.lesionlink.igtl.message.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-message encoding and decoding, independent of any pipeline (the Netty stages delegate here, and
 * tools can use it on files). Implements the header-version-2 body of protocol v3 ("header.md",
 * sections "Extended Header" and "Metadata"), as the reference library does:
 *
 * <pre>
 * body = EXT_HEADER | CONTENT | METADATA
 * EXT_HEADER  uint16 EXT_HEADER_SIZE (12), uint16 META_HEADER_SIZE (2 + 8 n), uint32 META_SIZE, uint32 MSG_ID
 * METADATA    uint16 INDEX_COUNT n,
 *             n x {uint16 KEY_SIZE, uint16 VALUE_ENCODING (MIBenum), uint32 VALUE_SIZE},
 *             then key0 value0 key1 value1 ... without terminators
 * CONTENT     body[EXT_HEADER_SIZE, BODY_SIZE - META_HEADER_SIZE - META_SIZE)
 * </pre>
 *
 * Content is located by EXT_HEADER_SIZE, so a future, longer extended header is skipped. Metadata values
 * are written as US-ASCII (3) when they are ASCII, else UTF-8 (106); keys as UTF-8.
 */
public final class IgtlCodec {

    private static final Logger log = LoggerFactory.getLogger(IgtlCodec.class);
    /** Repeated metadata keys seen by this JVM (for rate-limiting their warning). */
    private static final AtomicLong REPEATED_KEYS = new AtomicLong();

    /** Bodies up to this size are encoded into one buffer; larger ones as a composite of their parts. */
    static final int SINGLE_BUFFER_LIMIT = 64 * 1024;
    static final int EXT_HEADER_SIZE = 12;

    private IgtlCodec() {
    }

    /**
     * Decodes a framed message: checks the header version and CRC, splits a v3 body, decodes the content.
     *
     * @return an {@link IgtlMessage} or an {@link IgtlDecodeFailure}, never null, never throws for bad input
     */
    public static Object decode(IgtlFrame frame) {
        IgtlHeader h = frame.header();
        if (h.version() != 1 && h.version() != 2) {
            return IgtlDecodeFailure.of(IgtlDecodeFailure.Reason.UNSUPPORTED_HEADER_VERSION, h,
                    "header version " + h.version() + " is not supported (1 and 2 are); body of "
                            + frame.body().length + " bytes skipped");
        }
        if (frame.bodyCrc() != h.crc()) {
            return IgtlDecodeFailure.of(IgtlDecodeFailure.Reason.CRC_MISMATCH, h,
                    "CRC field 0x" + Long.toHexString(h.crc()) + " but body CRC is 0x" + Long.toHexString(frame.bodyCrc()));
        }
        byte[] body = frame.body();
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            Envelope env;
            ByteBuf content;
            if (h.version() == 1) {
                env = new Envelope(1, h.deviceName(), h.timestamp(), 0, Map.of());
                content = buf;
            } else {
                if (body.length < EXT_HEADER_SIZE) {
                    throw new IllegalArgumentException("a header-version-2 body needs the 12-byte extended header, got "
                            + body.length + " bytes");
                }
                int extSize = buf.getUnsignedShort(0);
                int metaHeaderSize = buf.getUnsignedShort(2);
                long metaSize = buf.getUnsignedInt(4);
                long msgId = buf.getUnsignedInt(8);
                long metaStart = (long) body.length - metaHeaderSize - metaSize;
                if (extSize < EXT_HEADER_SIZE || extSize > metaStart) {
                    throw new IllegalArgumentException("extended header says EXT_HEADER_SIZE " + extSize
                            + ", META_HEADER_SIZE " + metaHeaderSize + ", META_SIZE " + metaSize
                            + ", which does not fit a body of " + body.length + " bytes");
                }
                Map<String, String> metadata = readMetadata(h, buf.slice((int) metaStart, body.length - (int) metaStart),
                        metaHeaderSize, metaSize);
                env = new Envelope(2, h.deviceName(), h.timestamp(), msgId, metadata);
                content = buf.slice(extSize, (int) metaStart - extSize);
            }
            ByteBuffer view = content.nioBuffer();
            return IgtlMessage.decode(h.type(), env, view);
        } catch (RuntimeException e) {
            return IgtlDecodeFailure.of(IgtlDecodeFailure.Reason.MALFORMED_BODY, h, String.valueOf(e.getMessage()));
        } finally {
            buf.release();
        }
    }

    /** Decodes one complete message (header and body) from the readable bytes of {@code in}. */
    public static Object decode(ByteBuf in) {
        IgtlHeader h = IgtlHeader.read(in);
        if (Long.compareUnsigned(h.bodySize(), in.readableBytes()) > 0) {
            return IgtlDecodeFailure.of(IgtlDecodeFailure.Reason.TRUNCATED, h, "BODY_SIZE " + Long.toUnsignedString(h.bodySize())
                    + " but only " + in.readableBytes() + " bytes follow");
        }
        byte[] body = new byte[(int) h.bodySize()];
        in.readBytes(body);
        return decode(IgtlFrame.of(h, body));
    }

    /**
     * Reads the metadata section. Structural errors (sizes that do not add up) are thrown, since they
     * also misplace the content. Odd but well-formed entries are accepted: an empty key is kept as
     * {@code ""}; a repeated key keeps its <em>last</em> value, as the reference library's
     * {@code std::map} does, at the position of its first occurrence, and is logged (rate-limited) so
     * that the loss is visible.
     */
    private static Map<String, String> readMetadata(IgtlHeader h, ByteBuf m, int metaHeaderSize, long metaSize) {
        if (metaHeaderSize == 0) {
            if (metaSize != 0) {
                throw new IllegalArgumentException("META_SIZE " + metaSize + " without a metadata header");
            }
            return Map.of();
        }
        int count = m.readUnsignedShort();
        if (metaHeaderSize != 2 + 8 * count) {
            throw new IllegalArgumentException("META_HEADER_SIZE " + metaHeaderSize + " does not match INDEX_COUNT "
                    + count + " (expected " + (2 + 8 * count) + ")");
        }
        int[] keySize = new int[count];
        int[] encoding = new int[count];
        long[] valueSize = new long[count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            keySize[i] = m.readUnsignedShort();
            encoding[i] = m.readUnsignedShort();
            valueSize[i] = m.readUnsignedInt();
            total += keySize[i] + valueSize[i];
        }
        if (total != metaSize) {
            throw new IllegalArgumentException("metadata entries add up to " + total + " bytes, META_SIZE says " + metaSize);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = Wire.readText(m, keySize[i], Wire.MIB_UTF_8);
            String value = Wire.readText(m, (int) valueSize[i], encoding[i]);
            String earlier = out.put(key, value);
            if (earlier != null) {
                long n = REPEATED_KEYS.incrementAndGet();
                if (n <= 10 || n % 1000 == 0) {
                    log.warn("{} '{}': metadata key '{}' occurs more than once; the last value is kept, '{}' is dropped"
                            + " ({} such keys so far; logged for the first 10, then every 1000th)",
                            h.type(), h.deviceName(), Wire.abbreviate(key), Wire.abbreviate(earlier), n);
                }
            }
        }
        return out;
    }

    /**
     * Encodes a whole message (header and body) in the header version its envelope asks for. The result
     * is one buffer for small bodies; for large ones a composite whose payload part wraps the message's
     * buffer without copying. The caller owns (releases) the result.
     */
    public static ByteBuf encode(IgtlMessage m, ByteBufAllocator alloc) {
        List<ByteBuf> parts = new ArrayList<>(3);
        try {
            Envelope env = m.envelope();
            parts.add(m.encodeContent(alloc));
            if (env.headerVersion() == 2) {
                int metaHeaderSize = 2 + 8 * env.metadata().size(); // <= 65535: Envelope caps the entries
                long metaSize = metadataBytes(env.metadata());
                long fixed = (long) parts.get(0).readableBytes() + EXT_HEADER_SIZE + metaHeaderSize;
                if (fixed + metaSize > IgtlFrameDecoder.MAX_SUPPORTED_BODY_SIZE) {
                    throw new IllegalArgumentException(m.type() + " body with " + metaSize + " bytes of metadata is too large to send (at most "
                            + IgtlFrameDecoder.MAX_SUPPORTED_BODY_SIZE + " body bytes)");
                }
                ByteBuf meta = alloc.buffer(metaHeaderSize + (int) metaSize);
                parts.add(meta);
                writeMetadata(env.metadata(), meta);
                parts.add(0, alloc.buffer(EXT_HEADER_SIZE).writeShort(EXT_HEADER_SIZE).writeShort(metaHeaderSize)
                        .writeInt((int) metaSize).writeInt((int) env.messageId()));
            }
            long bodySize = 0;
            long crc = 0;
            for (ByteBuf p : parts) {
                crc = Crc64.update(crc, p, p.readerIndex(), p.readableBytes());
                bodySize += p.readableBytes();
            }
            if (bodySize > IgtlFrameDecoder.MAX_SUPPORTED_BODY_SIZE) {
                throw new IllegalArgumentException(m.type() + " body of " + bodySize + " bytes is too large to send");
            }
            IgtlHeader header = new IgtlHeader(env.headerVersion(), m.type(), env.deviceName(), env.timestamp(), bodySize, crc);
            if (bodySize <= SINGLE_BUFFER_LIMIT) {
                ByteBuf out = alloc.buffer(IgtlHeader.SIZE + (int) bodySize);
                header.write(out);
                for (ByteBuf p : parts) {
                    out.writeBytes(p, p.readerIndex(), p.readableBytes());
                }
                return out;
            }
            ByteBuf head = alloc.buffer(IgtlHeader.SIZE);
            header.write(head);
            CompositeByteBuf out = alloc.compositeBuffer(1 + parts.size());
            out.addComponent(true, head);
            for (ByteBuf p : parts) {
                out.addComponent(true, p.retain());
            }
            return out;
        } finally {
            for (ByteBuf p : parts) {
                p.release();
            }
        }
    }

    /** META_SIZE of {@code metadata}: its key and value bytes (values go out as US-ASCII or UTF-8). */
    private static long metadataBytes(Map<String, String> metadata) {
        long n = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            n += Wire.utf8Length(e.getKey()) + Wire.utf8Length(e.getValue());
        }
        return n;
    }

    /**
     * Writes the metadata section. {@link Envelope} has already checked what the size fields can hold
     * (entry count, key sizes, META_SIZE); the checks here only guard against a future caller that
     * bypasses it, since a wrapped size field would corrupt the message silently.
     */
    private static void writeMetadata(Map<String, String> metadata, ByteBuf out) {
        if (metadata.size() > Envelope.MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException(metadata.size() + " metadata entries, at most " + Envelope.MAX_METADATA_ENTRIES + " fit");
        }
        out.writeShort(metadata.size());
        List<byte[]> bytes = new ArrayList<>(2 * metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (k.length > Envelope.MAX_METADATA_KEY_BYTES) {
                throw new IllegalArgumentException("metadata key of " + k.length + " bytes, at most "
                        + Envelope.MAX_METADATA_KEY_BYTES + " fit: " + Wire.abbreviate(e.getKey()));
            }
            int mib = Wire.mibFor(e.getValue());
            byte[] v = e.getValue().getBytes(Wire.charset(mib));
            out.writeShort(k.length).writeShort(mib).writeInt(v.length);
            bytes.add(k);
            bytes.add(v);
        }
        for (byte[] b : bytes) {
            out.writeBytes(b);
        }
    }
}
