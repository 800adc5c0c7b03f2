package org.lesionlink.igtl.message;

import io.netty.buffer.ByteBuf;

/** Type-string dispatch of content decoding. */
final class IgtlMessages {

    private IgtlMessages() {
    }

    static IgtlMessage decode(String type, Envelope env, ByteBuf content) {
        switch (type) {
            case ImageMessage.TYPE: return ImageMessage.read(env, content);
            case TransformMessage.TYPE: return TransformMessage.read(env, content);
            case PositionMessage.TYPE:
            case PositionMessage.TYPE_QTRANS: return PositionMessage.read(type, env, content);
            case TrackingDataMessage.TYPE: return TrackingDataMessage.read(env, content);
            case QuaternionTrackingDataMessage.TYPE: return QuaternionTrackingDataMessage.read(env, content);
            case StatusMessage.TYPE: return StatusMessage.read(env, content);
            case StringMessage.TYPE: return StringMessage.read(env, content);
            case CommandMessage.TYPE: return CommandMessage.read(env, content);
            case RtsCommandMessage.TYPE: return RtsCommandMessage.read(env, content);
            case CapabilityMessage.TYPE: return CapabilityMessage.read(env, content);
            case ImageMetaMessage.TYPE: return ImageMetaMessage.read(env, content);
            case LabelMetaMessage.TYPE: return LabelMetaMessage.read(env, content);
            case ColorTableMessage.TYPE: return ColorTableMessage.read(env, content);
            case PointMessage.TYPE: return PointMessage.read(env, content);
            case PolyDataMessage.TYPE: return PolyDataMessage.read(env, content);
            case NdArrayMessage.TYPE: return NdArrayMessage.read(env, content);
            default: break;
        }
        if (type.startsWith(GetQuery.PREFIX)) {
            Wire.checkLength(type, content, 0);
            return new GetQuery(env, type);
        }
        if (type.startsWith(StopQuery.PREFIX)) {
            Wire.checkLength(type, content, 0);
            return new StopQuery(env, type);
        }
        if (type.startsWith(StartQuery.PREFIX)) {
            return StartQuery.read(type, env, content);
        }
        if (type.startsWith(RtsMessage.PREFIX)) {
            return RtsMessage.read(type, env, content);
        }
        return UnknownMessage.read(type, env, content);
    }

    /**
     * The data type a query prefix refers to, with the truncated spellings expanded: {@code TRANS} (1.11
     * library) and {@code TRANSFOR} (the document, TRANSFORM cut to 12 bytes with its prefix);
     * {@code CAPABIL} (1.11 library) and {@code CAPABILI} (CAPABILITY cut to 12 bytes).
     */
    static String dataType(String type) {
        String t = type.substring(4);
        return switch (t) {
            case "TRANS", "TRANSFOR" -> "TRANSFORM";
            case "CAPABIL", "CAPABILI" -> "CAPABILITY";
            default -> t;
        };
    }

    /**
     * The type string for {@code prefix + dataType}: cut to the 12-byte TYPE field, with CAPABILITY
     * spelled as the 1.11 library does ({@code CAPABIL}), so that {@link #dataType} maps it back.
     */
    static String queryType(String prefix, String dataType) {
        String t = prefix + ("CAPABILITY".equals(dataType) ? "CAPABIL" : dataType);
        return t.length() > 12 ? t.substring(0, 12) : t;
    }
}
