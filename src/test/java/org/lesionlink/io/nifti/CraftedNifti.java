package org.lesionlink.io.nifti;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds NIfTI files byte by byte for tests, independently of {@link NiftiWriter}, so that any field can be
 * set to a wrong or unusual value. Defaults: a little-endian NIfTI-1 single file, 2x3x4 int16, identity sform.
 */
final class CraftedNifti {
    int version = 1;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    boolean single = true;
    String magic; // null: the right one for version/single
    long[] dim = {3, 2, 3, 4, 1, 1, 1, 1};
    int datatype = NiftiDatatype.INT16.code();
    Integer bitpix; // null: the right one for datatype
    double[] pixdim = {1, 1, 1, 1, 0, 0, 0, 0};
    Long voxOffset; // null: 352/544 for a single file, 0 for a pair
    double sclSlope = 1;
    double sclInter = 0;
    int qformCode = 0;
    int sformCode = 1;
    double quaternB, quaternC, quaternD, qoffsetX, qoffsetY, qoffsetZ;
    double[] srowX = {1, 0, 0, 0};
    double[] srowY = {0, 1, 0, 0};
    double[] srowZ = {0, 0, 1, 0};
    int xyztUnits = 2;
    String descrip = "crafted";
    byte[] data = new byte[0]; // voxel bytes exactly as they are to appear in the file
    byte[] extensions = new byte[0]; // bytes between the 4-byte extension flag and the data

    int headerSize() {
        return version == 1 ? 348 : 540;
    }

    long effectiveVoxOffset() {
        if (voxOffset != null) {
            return voxOffset;
        }
        return single ? headerSize() + 4 + extensions.length : 0;
    }

    /** sizeof_hdr bytes of header (no extension flag). */
    byte[] header() {
        String m = magic != null ? magic : (single ? "n+" : "ni") + version;
        NiftiDatatype t = NiftiDatatype.fromCode(datatype).orElse(null);
        int bp = bitpix != null ? bitpix : t != null ? t.bitpix() : 0;
        ByteBuffer b = ByteBuffer.allocate(headerSize()).order(order);
        b.putInt(0, headerSize());
        if (version == 1) {
            for (int i = 0; i < 8; i++) {
                b.putShort(40 + 2 * i, (short) dim[i]);
            }
            b.putShort(70, (short) datatype).putShort(72, (short) bp);
            for (int i = 0; i < 8; i++) {
                b.putFloat(76 + 4 * i, (float) pixdim[i]);
            }
            b.putFloat(108, effectiveVoxOffset());
            b.putFloat(112, (float) sclSlope).putFloat(116, (float) sclInter);
            b.put(123, (byte) xyztUnits);
            putString(b, 148, descrip, 80);
            b.putShort(252, (short) qformCode).putShort(254, (short) sformCode);
            b.putFloat(256, (float) quaternB).putFloat(260, (float) quaternC).putFloat(264, (float) quaternD);
            b.putFloat(268, (float) qoffsetX).putFloat(272, (float) qoffsetY).putFloat(276, (float) qoffsetZ);
            double[][] rows = {srowX, srowY, srowZ};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    b.putFloat(280 + 16 * r + 4 * c, (float) rows[r][c]);
                }
            }
            putString(b, 344, m, 4);
        } else {
            putString(b, 4, m, 4);
            b.put(8, new byte[] {'\r', '\n', 0x1A, '\n'});
            b.putShort(12, (short) datatype).putShort(14, (short) bp);
            for (int i = 0; i < 8; i++) {
                b.putLong(16 + 8 * i, dim[i]);
            }
            for (int i = 0; i < 8; i++) {
                b.putDouble(104 + 8 * i, pixdim[i]);
            }
            b.putLong(168, effectiveVoxOffset());
            b.putDouble(176, sclSlope).putDouble(184, sclInter);
            putString(b, 240, descrip, 80);
            b.putInt(344, qformCode).putInt(348, sformCode);
            b.putDouble(352, quaternB).putDouble(360, quaternC).putDouble(368, quaternD);
            b.putDouble(376, qoffsetX).putDouble(384, qoffsetY).putDouble(392, qoffsetZ);
            double[][] rows = {srowX, srowY, srowZ};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    b.putDouble(400 + 32 * r + 8 * c, rows[r][c]);
                }
            }
            b.putInt(500, xyztUnits);
        }
        return b.array();
    }

    /** The whole single file: header, extension flag, extensions, padding up to vox_offset, data. */
    byte[] singleFileBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header());
        out.writeBytes(new byte[] {(byte) (extensions.length > 0 ? 1 : 0), 0, 0, 0});
        out.writeBytes(extensions);
        long off = effectiveVoxOffset();
        while (out.size() < off) {
            out.write(0);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    Path writeSingle(Path dir, String name) {
        byte[] bytes = singleFileBytes();
        return write(dir.resolve(name), name.endsWith(".gz") ? gzip(bytes) : bytes);
    }

    /** Writes {@code base.hdr} and {@code base.img} (plus .gz if asked); returns the header path. */
    Path writePair(Path dir, String base, boolean gz) {
        single = false;
        String s = gz ? ".gz" : "";
        byte[] img = new byte[(int) effectiveVoxOffset() + data.length];
        System.arraycopy(data, 0, img, (int) effectiveVoxOffset(), data.length);
        write(dir.resolve(base + ".img" + s), gz ? gzip(img) : img);
        return write(dir.resolve(base + ".hdr" + s), gz ? gzip(header()) : header());
    }

    static Path write(Path p, byte[] bytes) {
        try {
            return Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] shorts(ByteOrder order, int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(order);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    static byte[] ints(ByteOrder order, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        for (long v : values) {
            b.putInt((int) v);
        }
        return b.array();
    }

    static byte[] longs(ByteOrder order, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(order);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] doubles(ByteOrder order, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(order);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** int16 ramp 0, 1, 2... for n voxels. */
    static byte[] ramp16(ByteOrder order, int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i - n / 2;
        }
        return shorts(order, v);
    }

    private static void putString(ByteBuffer b, int at, String s, int max) {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            b.put(at + i, bytes[i]);
        }
    }
}
