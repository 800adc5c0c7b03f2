package org.lesionlink.io.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Writes a {@link Volume} as a single-file NIfTI image, {@code .nii} or {@code .nii.gz} by the file name,
 * always little-endian.
 *
 * <ul>
 *   <li>NIfTI-1 by default; NIfTI-2 on request ({@link #withVersion}) and automatically when a size does not
 *       fit NIfTI-1's 16-bit {@code dim[]} (over 32767 voxels along an axis, or over 32767 channels).
 *   <li>The voxel type is stored unchanged ({@link NiftiDatatype#of}); several channels become
 *       {@code dim[4]}, so {@code dim[0] = 4}.
 *   <li>{@code scl_slope}/{@code scl_inter} hold the volume's rescale (1/0 when there is none).
 *   <li>{@code sform_code = 1} (scanner anatomical) with the exact IJK-to-RAS rows, and, when the axes are
 *       orthogonal, {@code qform_code = 1} with the same transform as a quaternion ({@code pixdim[0] = qfac =
 *       -1} for a left-handed grid), because some readers look only at the qform. An oblique grid with
 *       non-orthogonal axes gets {@code qform_code = 0}.
 *   <li>{@code xyzt_units} = mm.
 * </ul>
 *
 * <p>NIfTI-1 stores scl_slope, scl_inter, the srows and the quaternion as float32: values that are not float32
 * numbers (an origin of -125.3, a slope of 0.1) are rounded to about 7 significant digits. NIfTI-2 stores them
 * as float64.
 *
 * <p>The file is written to a temporary file in the target's directory, forced to disk, and renamed over the
 * target, so readers never see a half-written image and a failure leaves the old file (or none) in place.
 * Voxels are streamed from the volume's buffers in slices; nothing is copied whole. Instances are immutable.
 */
public final class NiftiWriter {

    private static final int CHUNK = 1 << 20;
    /** Above this the axes are not orthogonal enough for a quaternion to say the same as the sform. */
    private static final double ORTHOGONALITY_TOLERANCE = 1e-4;
    private static final int NIFTI1_MAX_DIM = Short.MAX_VALUE;

    private final int version;
    private final String descrip;
    private final int compressionLevel;

    /** NIfTI-1, descrip "LesionLink", gzip level 1 (fast; imaging data gains little from higher levels). */
    public NiftiWriter() {
        this(1, "LesionLink", 1);
    }

    private NiftiWriter(int version, String descrip, int compressionLevel) {
        this.version = version;
        this.descrip = descrip;
        this.compressionLevel = compressionLevel;
    }

    /** NIfTI version 1 or 2; version 1 is still upgraded to 2 when the sizes do not fit. */
    public NiftiWriter withVersion(int version) {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("NIfTI version must be 1 or 2, got " + version);
        }
        return new NiftiWriter(version, descrip, compressionLevel);
    }

    /** The {@code descrip} field: at most 79 Latin-1 characters. */
    public NiftiWriter withDescription(String descrip) {
        Objects.requireNonNull(descrip, "descrip");
        if (descrip.length() > 79 || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(descrip)) {
            throw new IllegalArgumentException("descrip must be at most 79 Latin-1 characters: '" + descrip + "'");
        }
        return new NiftiWriter(version, descrip, compressionLevel);
    }

    /** gzip level 0..9 for {@code .nii.gz} (-1 for zlib's default). */
    public NiftiWriter withCompressionLevel(int level) {
        if (level < -1 || level > 9) {
            throw new IllegalArgumentException("compression level must be -1..9, got " + level);
        }
        return new NiftiWriter(version, descrip, level);
    }

    /** The version {@link #write} will use for this volume. */
    public int versionFor(Volume volume) {
        int[] d = volume.geometry().dims();
        boolean fits1 = d[0] <= NIFTI1_MAX_DIM && d[1] <= NIFTI1_MAX_DIM && d[2] <= NIFTI1_MAX_DIM
                && volume.channels() <= NIFTI1_MAX_DIM;
        return fits1 ? version : 2;
    }

    /**
     * Writes {@code volume} to {@code file} (replacing it atomically if it exists).
     *
     * @throws NiftiException if the name does not end in {@code .nii} or {@code .nii.gz}
     * @throws IOException if writing fails; the target is then untouched and no temporary file is left
     */
    public void write(Volume volume, Path file) throws IOException {
        Objects.requireNonNull(volume, "volume");
        String name = String.valueOf(file.getFileName());
        String lower = name.toLowerCase(Locale.ROOT);
        boolean gz = lower.endsWith(".nii.gz");
        if (!gz && !lower.endsWith(".nii")) {
            throw new NiftiException(file, "cannot write NIfTI: the file name must end in .nii or .nii.gz");
        }
        ByteBuffer header = header(volume, versionFor(volume));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (gz) {
                    // The gzip stream is closed (ending its deflater) without closing the channel, which
                    // must stay open for force().
                    OutputStream raw = new java.io.FilterOutputStream(Channels.newOutputStream(ch)) {
                        @Override
                        public void write(byte[] bytes, int off, int len) throws IOException {
                            out.write(bytes, off, len);
                        }

                        @Override
                        public void close() throws IOException {
                            flush();
                        }
                    };
                    try (GZIPOutputStream out = new LevelledGzip(raw, compressionLevel)) {
                        out.write(header.array(), 0, header.limit());
                        byte[] chunk = new byte[CHUNK];
                        for (int c = 0; c < volume.channels(); c++) {
                            ByteBuffer d = volume.data(c);
                            while (d.hasRemaining()) {
                                int n = Math.min(chunk.length, d.remaining());
                                d.get(chunk, 0, n);
                                out.write(chunk, 0, n);
                            }
                        }
                    }
                } else {
                    writeFully(ch, header);
                    for (int c = 0; c < volume.channels(); c++) {
                        writeFully(ch, volume.data(c));
                    }
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Writes in slices: the JDK bounces heap buffers through a temporary direct buffer as large as the
     * request, which would otherwise be a full extra copy of a channel.
     */
    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        ByteBuffer d = b.duplicate();
        int end = d.limit();
        while (d.position() < end) {
            d.limit(Math.min(end, d.position() + CHUNK));
            while (d.hasRemaining()) {
                ch.write(d);
            }
        }
    }

    /** The header plus the 4-byte extension flag (no extensions), ready to write. Package-private for tests. */
    ByteBuffer header(Volume volume, int version) {
        Geometry g = volume.geometry();
        int[] dims = g.dims();
        int channels = volume.channels();
        NiftiDatatype type = NiftiDatatype.of(volume.type());
        long[] dim = {channels > 1 ? 4 : 3, dims[0], dims[1], dims[2], channels > 1 ? channels : 1, 1, 1, 1};
        double[] spacing = g.spacing();
        double[] origin = g.origin();
        double[][] rows = g.ijkToRas().toRows();
        Quaternion q = g.isOrthogonal(ORTHOGONALITY_TOLERANCE) ? Quaternion.of(g.direction()) : null;
        double[] pixdim = {q != null ? q.qfac : 1, spacing[0], spacing[1], spacing[2], 0, 0, 0, 0};
        Volume.Rescale r = volume.rescale();
        byte[] desc = descrip.getBytes(StandardCharsets.ISO_8859_1);

        int size = version == 1 ? NiftiHeader.NIFTI1_HEADER_SIZE : NiftiHeader.NIFTI2_HEADER_SIZE;
        ByteBuffer b = ByteBuffer.allocate(size + 4).order(ByteOrder.LITTLE_ENDIAN); // zeros: no extensions
        b.putInt(0, size);
        if (version == 1) {
            b.put(38, (byte) 'r'); // "regular": Analyze legacy, still expected by some old readers
            for (int i = 0; i < 8; i++) {
                b.putShort(40 + 2 * i, (short) dim[i]);
            }
            b.putShort(70, (short) type.code());
            b.putShort(72, (short) type.bitpix());
            for (int i = 0; i < 8; i++) {
                b.putFloat(76 + 4 * i, (float) pixdim[i]);
            }
            b.putFloat(108, size + 4);
            b.putFloat(112, (float) r.slope());
            b.putFloat(116, (float) r.intercept());
            b.put(123, (byte) NiftiHeader.UNITS_MM);
            b.put(148, desc);
            b.putShort(252, (short) (q != null ? NiftiHeader.XFORM_SCANNER_ANAT : 0));
            b.putShort(254, (short) NiftiHeader.XFORM_SCANNER_ANAT);
            if (q != null) {
                b.putFloat(256, (float) q.b).putFloat(260, (float) q.c).putFloat(264, (float) q.d);
            }
            b.putFloat(268, (float) origin[0]).putFloat(272, (float) origin[1]).putFloat(276, (float) origin[2]);
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 4; col++) {
                    b.putFloat(280 + 16 * row + 4 * col, (float) rows[row][col]);
                }
            }
            b.put(344, new byte[] {'n', '+', '1', 0});
        } else {
            b.put(4, new byte[] {'n', '+', '2', 0, '\r', '\n', 0x1A, '\n'});
            b.putShort(12, (short) type.code());
            b.putShort(14, (short) type.bitpix());
            for (int i = 0; i < 8; i++) {
                b.putLong(16 + 8 * i, dim[i]);
            }
            for (int i = 0; i < 8; i++) {
                b.putDouble(104 + 8 * i, pixdim[i]);
            }
            b.putLong(168, size + 4);
            b.putDouble(176, r.slope());
            b.putDouble(184, r.intercept());
            b.put(240, desc);
            b.putInt(344, q != null ? NiftiHeader.XFORM_SCANNER_ANAT : 0);
            b.putInt(348, NiftiHeader.XFORM_SCANNER_ANAT);
            if (q != null) {
                b.putDouble(352, q.b).putDouble(360, q.c).putDouble(368, q.d);
            }
            b.putDouble(376, origin[0]).putDouble(384, origin[1]).putDouble(392, origin[2]);
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 4; col++) {
                    b.putDouble(400 + 32 * row + 8 * col, rows[row][col]);
                }
            }
            b.putInt(500, NiftiHeader.UNITS_MM);
        }
        return b;
    }

    /**
     * The NIfTI-1 qform quaternion (b, c, d, with a >= 0 implied) and qfac of an orthonormal direction matrix.
     * A left-handed matrix (determinant -1) is made a rotation by negating its k column, which qfac = -1
     * undoes on reading (nifti1.h Method 2).
     */
    record Quaternion(double b, double c, double d, double qfac) {
        static Quaternion of(double[][] dir) {
            double[][] m = {dir[0].clone(), dir[1].clone(), dir[2].clone()};
            double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                    - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                    + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
            double qfac = 1;
            if (det < 0) {
                qfac = -1;
                for (int row = 0; row < 3; row++) {
                    m[row][2] = -m[row][2];
                }
            }
            // Rotation matrix to unit quaternion, branching on the largest of the four to keep the square
            // root well away from zero (R = the matrix of nifti1.h with a² + b² + c² + d² = 1).
            double trace = m[0][0] + m[1][1] + m[2][2];
            double a;
            double b;
            double c;
            double d;
            if (trace > 0) {
                double s = 2 * Math.sqrt(1 + trace); // 4a
                a = s / 4;
                b = (m[2][1] - m[1][2]) / s;
                c = (m[0][2] - m[2][0]) / s;
                d = (m[1][0] - m[0][1]) / s;
            } else if (m[0][0] >= m[1][1] && m[0][0] >= m[2][2]) {
                double s = 2 * Math.sqrt(1 + m[0][0] - m[1][1] - m[2][2]); // 4b
                a = (m[2][1] - m[1][2]) / s;
                b = s / 4;
                c = (m[0][1] + m[1][0]) / s;
                d = (m[0][2] + m[2][0]) / s;
            } else if (m[1][1] >= m[2][2]) {
                double s = 2 * Math.sqrt(1 + m[1][1] - m[0][0] - m[2][2]); // 4c
                a = (m[0][2] - m[2][0]) / s;
                b = (m[0][1] + m[1][0]) / s;
                c = s / 4;
                d = (m[1][2] + m[2][1]) / s;
            } else {
                double s = 2 * Math.sqrt(1 + m[2][2] - m[0][0] - m[1][1]); // 4d
                a = (m[1][0] - m[0][1]) / s;
                b = (m[0][2] + m[2][0]) / s;
                c = (m[1][2] + m[2][1]) / s;
                d = s / 4;
            }
            if (a < 0) { // q and -q are the same rotation; NIfTI keeps a >= 0 implicit
                b = -b;
                c = -c;
                d = -d;
            }
            return new Quaternion(b, c, d, qfac);
        }
    }

    /** GZIPOutputStream lets subclasses set the level of its deflater. */
    private static final class LevelledGzip extends GZIPOutputStream {
        LevelledGzip(OutputStream out, int level) throws IOException {
            super(out, 1 << 16);
            def.setLevel(level == -1 ? Deflater.DEFAULT_COMPRESSION : level);
        }
    }
}
