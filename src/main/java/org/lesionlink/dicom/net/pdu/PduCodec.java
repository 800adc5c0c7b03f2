package org.lesionlink.dicom.net.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte layout of the PDUs, PS3.8 section 9.3, kept apart from Netty's pipeline so that it can be tested on bytes
 * alone. Multi-byte fields are big endian. Reserved fields are written as zero and never checked on receipt
 * (PS3.8 section 9.3.1; dcmtk writes 0xFF in the reserved byte of RQ presentation context items).
 */
public final class PduCodec {

    /** Length of every PDU header: type, reserved, 4-byte length. */
    public static final int HEADER_LENGTH = 6;
    private static final int FIXED_ASSOCIATE_FIELDS = 68;

    static final int APPLICATION_CONTEXT = 0x10;
    static final int PRESENTATION_CONTEXT_RQ = 0x20;
    static final int PRESENTATION_CONTEXT_AC = 0x21;
    static final int ABSTRACT_SYNTAX = 0x30;
    static final int TRANSFER_SYNTAX = 0x40;
    static final int USER_INFORMATION = 0x50;

    private PduCodec() {
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes the body of a PDU of {@code type}; {@code body} holds exactly the bytes after the 6-byte header.
     * For a P-DATA-TF, the PDVs are views of {@code body}, and the returned PDU takes over one reference to it;
     * for every other type {@code body} is only read.
     *
     * @throws PduException with the A-ABORT reason when the PDU is malformed
     */
    public static Pdu decode(int type, ByteBuf body) {
        switch (type) {
            case Pdu.A_ASSOCIATE_RQ:
            case Pdu.A_ASSOCIATE_AC:
                return decodeAssociate(type, body);
            case Pdu.A_ASSOCIATE_RJ:
                fixed(body, type);
                return new AAssociateRj(body.getUnsignedByte(body.readerIndex() + 1),
                        body.getUnsignedByte(body.readerIndex() + 2), body.getUnsignedByte(body.readerIndex() + 3));
            case Pdu.P_DATA_TF:
                return decodePData(body);
            case Pdu.A_RELEASE_RQ:
                fixed(body, type);
                return AReleaseRq.INSTANCE;
            case Pdu.A_RELEASE_RP:
                fixed(body, type);
                return AReleaseRp.INSTANCE;
            case Pdu.A_ABORT:
                fixed(body, type);
                return new AAbort(body.getUnsignedByte(body.readerIndex() + 2), body.getUnsignedByte(body.readerIndex() + 3));
            default:
                throw new PduException(AAbort.UNRECOGNIZED_PDU, String.format("unrecognized PDU type 0x%02X", type));
        }
    }

    private static void fixed(ByteBuf body, int type) {
        if (body.readableBytes() != 4) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "PDU type " + type + " must have length 4, not " + body.readableBytes());
        }
    }

    private static PDataTf decodePData(ByteBuf body) {
        List<Pdv> pdvs = new ArrayList<>();
        int pos = body.readerIndex();
        int end = body.writerIndex();
        if (pos == end) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "P-DATA-TF without PDV items");
        }
        while (pos < end) {
            if (end - pos < 6) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "truncated PDV item header");
            }
            long len = body.getUnsignedInt(pos);
            if (len < 2 || len > end - pos - 4) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                        "PDV item length " + len + " does not fit the " + (end - pos - 4) + " bytes left in the PDU");
            }
            int pcid = body.getUnsignedByte(pos + 4);
            int mch = body.getUnsignedByte(pos + 5);
            pdvs.add(new Pdv(pcid, mch, body.slice(pos + 6, (int) len - 2)));
            pos += 4 + (int) len;
        }
        return new PDataTf(pdvs, body);
    }

    private static Pdu decodeAssociate(int type, ByteBuf body) {
        int start = body.readerIndex();
        int end = body.writerIndex();
        if (end - start < FIXED_ASSOCIATE_FIELDS) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE PDU shorter than its fixed fields");
        }
        int version = body.getUnsignedShort(start);
        String called = aeTitle(body, start + 4);
        String calling = aeTitle(body, start + 20);
        String appContext = null;
        List<PresentationContextRq> rqs = new ArrayList<>();
        List<PresentationContextAc> acs = new ArrayList<>();
        UserInformation ui = null;
        int pos = start + FIXED_ASSOCIATE_FIELDS;
        while (pos < end) {
            if (end - pos < 4) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "truncated item header at " + (pos - start));
            }
            int itemType = body.getUnsignedByte(pos);
            int len = body.getUnsignedShort(pos + 2);
            int v = pos + 4;
            if (len > end - v) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                        String.format("item 0x%02X of length %d overruns the PDU", itemType, len));
            }
            switch (itemType) {
                case APPLICATION_CONTEXT -> appContext = uid(body, v, len);
                case PRESENTATION_CONTEXT_RQ -> {
                    if (type != Pdu.A_ASSOCIATE_RQ) {
                        throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "RQ presentation context in an AC");
                    }
                    rqs.add(presentationContextRq(body, v, len));
                }
                case PRESENTATION_CONTEXT_AC -> {
                    if (type != Pdu.A_ASSOCIATE_AC) {
                        throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "AC presentation context in an RQ");
                    }
                    acs.add(presentationContextAc(body, v, len));
                }
                case USER_INFORMATION -> ui = userInformation(body, v, len);
                default -> throw new PduException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("unrecognized item type 0x%02X in A-ASSOCIATE", itemType));
            }
            pos = v + len;
        }
        if (appContext == null) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE without Application Context item");
        }
        if (ui == null) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE without User Information item");
        }
        if (type == Pdu.A_ASSOCIATE_RQ) {
            return new AAssociateRq(version, called, calling, appContext, rqs, ui);
        }
        return new AAssociateAc(version, called, calling, appContext, acs, ui);
    }

    private static PresentationContextRq presentationContextRq(ByteBuf b, int start, int len) {
        if (len < 4) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "presentation context item too short");
        }
        int id = b.getUnsignedByte(start);
        String abstractSyntax = null;
        List<String> ts = new ArrayList<>();
        int end = start + len;
        int pos = start + 4;
        while (pos < end) {
            int t = b.getUnsignedByte(pos);
            int l = subItemLength(b, pos, end);
            if (t == ABSTRACT_SYNTAX) {
                abstractSyntax = uid(b, pos + 4, l);
            } else if (t == TRANSFER_SYNTAX) {
                ts.add(uid(b, pos + 4, l));
            } else {
                throw new PduException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("unrecognized sub-item 0x%02X in presentation context %d", t, id));
            }
            pos += 4 + l;
        }
        if (abstractSyntax == null || ts.isEmpty() || id == 0) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "presentation context " + id + " lacks its abstract syntax or transfer syntaxes");
        }
        return new PresentationContextRq(id, abstractSyntax, ts);
    }

    private static PresentationContextAc presentationContextAc(ByteBuf b, int start, int len) {
        if (len < 4) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "presentation context item too short");
        }
        int id = b.getUnsignedByte(start);
        int result = b.getUnsignedByte(start + 2);
        String ts = "";
        int end = start + len;
        int pos = start + 4;
        while (pos < end) {
            int t = b.getUnsignedByte(pos);
            int l = subItemLength(b, pos, end);
            if (t == TRANSFER_SYNTAX) {
                ts = uid(b, pos + 4, l);
            } else {
                throw new PduException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("unrecognized sub-item 0x%02X in presentation context %d", t, id));
            }
            pos += 4 + l;
        }
        if (id == 0) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "presentation context ID 0");
        }
        return new PresentationContextAc(id, result, ts);
    }

    private static UserInformation userInformation(ByteBuf b, int start, int len) {
        long maxLength = -1;
        String implClass = "";
        String implVersion = null;
        int invoked = -1;
        int performed = -1;
        List<RoleSelection> roles = new ArrayList<>();
        List<SubItem> others = new ArrayList<>();
        int end = start + len;
        int pos = start;
        while (pos < end) {
            int t = b.getUnsignedByte(pos);
            int l = subItemLength(b, pos, end);
            int v = pos + 4;
            switch (t) {
                case UserInformation.MAX_LENGTH -> {
                    need(l, 4, "Maximum Length");
                    maxLength = b.getUnsignedInt(v);
                }
                case UserInformation.IMPLEMENTATION_CLASS_UID -> implClass = uid(b, v, l);
                case UserInformation.IMPLEMENTATION_VERSION_NAME -> implVersion = text(b, v, l);
                case UserInformation.ASYNC_OPERATIONS_WINDOW -> {
                    need(l, 4, "Asynchronous Operations Window");
                    invoked = b.getUnsignedShort(v);
                    performed = b.getUnsignedShort(v + 2);
                }
                case UserInformation.ROLE_SELECTION -> {
                    if (l < 4) {
                        throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "role selection sub-item too short");
                    }
                    int ul = b.getUnsignedShort(v);
                    if (ul + 4 > l) {
                        throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "role selection UID overruns its item");
                    }
                    roles.add(new RoleSelection(uid(b, v + 2, ul), b.getUnsignedByte(v + 2 + ul) != 0,
                            b.getUnsignedByte(v + 3 + ul) != 0));
                }
                default -> {
                    byte[] raw = new byte[l];
                    b.getBytes(v, raw);
                    others.add(new SubItem(t, raw));
                }
            }
            pos = v + l;
        }
        return new UserInformation(maxLength, implClass, implVersion, invoked, performed, roles, others);
    }

    private static void need(int have, int want, String what) {
        if (have != want) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, what + " sub-item of length " + have);
        }
    }

    private static int subItemLength(ByteBuf b, int pos, int end) {
        if (end - pos < 4) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "truncated sub-item header");
        }
        int l = b.getUnsignedShort(pos + 2);
        if (l > end - pos - 4) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    String.format("sub-item 0x%02X of length %d overruns its item", b.getUnsignedByte(pos), l));
        }
        return l;
    }

    private static String aeTitle(ByteBuf b, int pos) {
        return b.toString(pos, 16, StandardCharsets.US_ASCII).strip();
    }

    /** A UID value: ASCII; a trailing NUL or space (padding some peers add) is dropped. */
    private static String uid(ByteBuf b, int pos, int len) {
        String s = b.toString(pos, len, StandardCharsets.US_ASCII);
        int n = s.length();
        while (n > 0 && (s.charAt(n - 1) == 0 || s.charAt(n - 1) == ' ')) {
            n--;
        }
        return s.substring(0, n);
    }

    private static String text(ByteBuf b, int pos, int len) {
        return b.toString(pos, len, StandardCharsets.US_ASCII).strip();
    }

    // ------------------------------------------------------------------ encoding

    /**
     * The whole PDU (header included) for every type except P-DATA-TF, whose data is not copied: see
     * {@link #encodePDataHeaders}.
     */
    public static ByteBuf encode(Pdu pdu, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer();
        try {
            out.writeByte(pdu.type()).writeByte(0).writeInt(0);
            if (pdu instanceof AAssociateRq rq) {
                associateHeader(out, rq.protocolVersion(), rq.calledAeTitle(), rq.callingAeTitle());
                item(out, APPLICATION_CONTEXT, ascii(rq.applicationContext()));
                for (PresentationContextRq pc : rq.presentationContexts()) {
                    int at = beginItem(out, PRESENTATION_CONTEXT_RQ);
                    out.writeByte(pc.id()).writeByte(0).writeByte(0).writeByte(0);
                    item(out, ABSTRACT_SYNTAX, ascii(pc.abstractSyntax()));
                    for (String ts : pc.transferSyntaxes()) {
                        item(out, TRANSFER_SYNTAX, ascii(ts));
                    }
                    endItem(out, at);
                }
                userInformation(out, rq.userInformation());
            } else if (pdu instanceof AAssociateAc ac) {
                associateHeader(out, ac.protocolVersion(), ac.calledAeTitle(), ac.callingAeTitle());
                item(out, APPLICATION_CONTEXT, ascii(ac.applicationContext()));
                for (PresentationContextAc pc : ac.presentationContexts()) {
                    int at = beginItem(out, PRESENTATION_CONTEXT_AC);
                    out.writeByte(pc.id()).writeByte(0).writeByte(pc.result()).writeByte(0);
                    item(out, TRANSFER_SYNTAX, ascii(pc.transferSyntax()));
                    endItem(out, at);
                }
                userInformation(out, ac.userInformation());
            } else if (pdu instanceof AAssociateRj rj) {
                out.writeByte(0).writeByte(rj.result()).writeByte(rj.source()).writeByte(rj.reason());
            } else if (pdu instanceof AAbort a) {
                out.writeByte(0).writeByte(0).writeByte(a.source()).writeByte(a.reason());
            } else if (pdu instanceof AReleaseRq || pdu instanceof AReleaseRp) {
                out.writeInt(0);
            } else {
                throw new IllegalArgumentException("P-DATA-TF is written by PduEncoder, not PduCodec.encode");
            }
            out.setInt(2, out.writerIndex() - HEADER_LENGTH);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * The PDU header and the 6-byte PDV header that go before {@code pdv}'s data in the stream: 12 bytes for the
     * first PDV (with the PDU header), 6 for later ones. The data itself is written as it is.
     */
    public static void encodePduHeader(ByteBuf out, long length) {
        out.writeByte(Pdu.P_DATA_TF).writeByte(0).writeInt((int) length);
    }

    public static void encodePdvHeader(ByteBuf out, Pdv pdv) {
        out.writeInt(pdv.itemLength()).writeByte(pdv.contextId()).writeByte(pdv.messageControlHeader());
    }

    private static void associateHeader(ByteBuf out, int version, String called, String calling) {
        out.writeShort(version).writeShort(0);
        out.writeBytes(paddedAe(called));
        out.writeBytes(paddedAe(calling));
        out.writeZero(32);
    }

    private static void userInformation(ByteBuf out, UserInformation ui) {
        int at = beginItem(out, USER_INFORMATION);
        // Ascending sub-item type order: some old peers expect it.
        if (ui.maxLength() >= 0) {
            out.writeByte(UserInformation.MAX_LENGTH).writeByte(0).writeShort(4).writeInt((int) ui.maxLength());
        }
        item(out, UserInformation.IMPLEMENTATION_CLASS_UID, ascii(ui.implementationClassUid()));
        if (ui.maxOpsInvoked() >= 0) {
            out.writeByte(UserInformation.ASYNC_OPERATIONS_WINDOW).writeByte(0).writeShort(4)
                    .writeShort(ui.maxOpsInvoked()).writeShort(Math.max(0, ui.maxOpsPerformed()));
        }
        for (RoleSelection r : ui.roleSelections()) {
            byte[] uid = ascii(r.sopClassUid());
            out.writeByte(UserInformation.ROLE_SELECTION).writeByte(0).writeShort(uid.length + 4).writeShort(uid.length)
                    .writeBytes(uid).writeByte(r.scuRole() ? 1 : 0).writeByte(r.scpRole() ? 1 : 0);
        }
        if (ui.implementationVersionName() != null) {
            item(out, UserInformation.IMPLEMENTATION_VERSION_NAME, ascii(ui.implementationVersionName()));
        }
        for (SubItem s : ui.others()) {
            item(out, s.type(), s.raw());
        }
        endItem(out, at);
    }

    private static int beginItem(ByteBuf out, int type) {
        out.writeByte(type).writeByte(0);
        int at = out.writerIndex();
        out.writeShort(0);
        return at;
    }

    private static void endItem(ByteBuf out, int lengthAt) {
        int len = out.writerIndex() - lengthAt - 2;
        if (len > 0xFFFF) {
            throw new IllegalArgumentException("item longer than 65535 bytes");
        }
        out.setShort(lengthAt, len);
    }

    private static void item(ByteBuf out, int type, byte[] value) {
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("item longer than 65535 bytes");
        }
        out.writeByte(type).writeByte(0).writeShort(value.length).writeBytes(value);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** An AE title as the 16-byte field: ASCII, space padded (PS3.8 section 9.3.2). */
    static byte[] paddedAe(String ae) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] v = ascii(ae);
        if (v.length > 16) {
            throw new IllegalArgumentException("AE title longer than 16 characters: " + ae);
        }
        System.arraycopy(v, 0, b, 0, v.length);
        return b;
    }
}
