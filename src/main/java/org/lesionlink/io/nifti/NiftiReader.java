package org.lesionlink.io.nifti;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Reads NIfTI-1 and NIfTI-2 images: {@code .nii}, {@code .nii.gz}, and {@code .hdr}/{@code .img} pairs
 * (either part may be gzipped), in either byte order. Compression is recognised by the gzip signature, not
 * by the name.
 *
 * <p><b>Layout in memory.</b> Dimensions 1..3 are the grid; dimensions 4..7 (time, statistics, vectors...)
 * are flattened into channels with dim 4 varying fastest, so for plain datatypes the concatenation of the
 * channel buffers is exactly the file's voxel data. RGB24/RGBA32 voxels are split into 3/4 uint8 channels,
 * channel {@code frame * components + component}. See {@link NiftiDatatype} for which datatypes are widened
 * and which are refused.
 *
 * <p><b>Robustness.</b> Everything wrong with a file is a {@link NiftiException} naming the file and the
 * problem. Sizes are checked against {@link Limits} before anything is allocated; from a gzip stream no more
 * is decompressed than {@code vox_offset} plus the voxel bytes the header declares, so neither a lying header
 * nor a gzip bomb can exhaust memory or keep the reader busy decompressing data nobody asked for.
 *
 * <p><b>Memory.</b> Voxels are read straight into the channel buffers of the new {@link Volume} (in 1 MiB
 * slices for plain files, which keeps the JDK's temporary direct buffers small), and big-endian data is
 * byte-swapped in place: a volume costs one copy of its voxels.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class NiftiReader {

    private static final System.Logger LOG = System.getLogger(NiftiReader.class.getName());

    /** Largest single read from a plain file; the JDK bounces heap reads through a direct buffer this big. */
    private static final int PLAIN_CHUNK = 1 << 20;
    private static final int GZIP_BUFFER = 1 << 18;
    private static final int STAGING_VOXELS = 1 << 16;

    /**
     * Size limits checked before any voxel memory is allocated.
     *
     * @param maxBytesPerChannel most bytes one channel may need in memory (never more than the
     *     {@code Integer.MAX_VALUE - 8} a Java array can hold)
     * @param maxTotalBytes most bytes all channels together may need
     * @param maxVoxOffset largest {@code vox_offset} accepted: header extensions beyond this are not a
     *     plausible image, and from a gzip stream they would all have to be decompressed and skipped
     */
    public record Limits(long maxBytesPerChannel, long maxTotalBytes, long maxVoxOffset) {

        /** What a Java array, and so one channel, can hold. */
        public static final long ARRAY_MAX = Integer.MAX_VALUE - 8;

        public Limits {
            if (maxBytesPerChannel < 1 || maxTotalBytes < 1 || maxVoxOffset < 0) {
                throw new IllegalArgumentException("limits must be positive: " + maxBytesPerChannel + ", "
                        + maxTotalBytes + ", " + maxVoxOffset);
            }
            maxBytesPerChannel = Math.min(maxBytesPerChannel, ARRAY_MAX);
        }

        /**
         * About 2 GiB per channel (all an array holds), three quarters of the JVM's maximum heap in all (a
         * volume bigger than that cannot be loaded anyway, and failing before allocating says why), and
         * 256 MiB of header extensions.
         */
        public static Limits defaults() {
            long max = Runtime.getRuntime().maxMemory();
            long total = max == Long.MAX_VALUE ? Long.MAX_VALUE : max / 4 * 3;
            return new Limits(ARRAY_MAX, total, 256L << 20);
        }
    }

    private final Limits limits;

    public NiftiReader() {
        this(Limits.defaults());
    }

    public NiftiReader(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Reads and checks the header alone, without touching the voxels (for a pair, the .img file need not
     * exist). Given an {@code .img} or {@code .img.gz}, reads its {@code .hdr}.
     *
     * @throws NiftiException if the file is not a NIfTI-1/2 header or the header is inconsistent
     */
    public NiftiHeader readHeader(Path file) throws IOException {
        Path headerFile = headerFileFor(file);
        try (Source src = Source.open(headerFile)) {
            return readAndCheckHeader(src);
        }
    }

    /**
     * Reads header and voxels.
     *
     * @throws NiftiException for any problem with the file's content, including a datatype LesionLink does
     *     not load, truncation, a missing .img partner, or a size over the {@link Limits}
     */
    public NiftiImage read(Path file) throws IOException {
        Path headerFile = headerFileFor(file);
        try (Source src = Source.open(headerFile)) {
            NiftiHeader h = readAndCheckHeader(src);
            Layout layout = layout(headerFile, h);
            if (h.singleFile()) {
                return new NiftiImage(h, readVoxels(src, h, layout));
            }
            Path imageFile = imageFileFor(file, headerFile, h);
            try (Source img = Source.open(imageFile)) {
                return new NiftiImage(h, readVoxels(img, h, layout));
            }
        }
    }

    /** {@link #read} without the header. */
    public Volume readVolume(Path file) throws IOException {
        return read(file).volume();
    }

    // ---------------------------------------------------------------------------------------------------
    // Header

    private NiftiHeader readAndCheckHeader(Source src) throws IOException {
        Path f = src.path;
        byte[] head = new byte[NiftiHeader.NIFTI2_HEADER_SIZE];
        int n = src.readFully(head, 0, 4);
        if (n < 4) {
            throw new NiftiException(f, "truncated header: the file holds only " + n
                    + " bytes, a NIfTI header needs 348 (NIfTI-1) or 540 (NIfTI-2)");
        }
        // nifti1.h: sizeof_hdr is 348 (NIfTI-1) or 540 (NIfTI-2) and tells the byte order as well.
        int le = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        ByteOrder order;
        int size;
        if (le == NiftiHeader.NIFTI1_HEADER_SIZE || le == NiftiHeader.NIFTI2_HEADER_SIZE) {
            order = ByteOrder.LITTLE_ENDIAN;
            size = le;
        } else if (be == NiftiHeader.NIFTI1_HEADER_SIZE || be == NiftiHeader.NIFTI2_HEADER_SIZE) {
            order = ByteOrder.BIG_ENDIAN;
            size = be;
        } else {
            throw new NiftiException(f, "not a NIfTI file: sizeof_hdr is " + le + " (little-endian) or " + be
                    + " (big-endian), expected 348 for NIfTI-1 or 540 for NIfTI-2");
        }
        int got = 4 + src.readFully(head, 4, size - 4);
        if (got < size) {
            throw new NiftiException(f, "truncated header: " + got + " of the " + size + " bytes of a NIfTI-"
                    + (size == NiftiHeader.NIFTI1_HEADER_SIZE ? "1" : "2") + " header");
        }
        ByteBuffer b = ByteBuffer.wrap(head, 0, size).order(order);
        NiftiHeader h = size == NiftiHeader.NIFTI1_HEADER_SIZE ? parse1(f, b, order) : parse2(f, b, order);
        check(f, h);
        return h;
    }

    private static NiftiHeader parse1(Path f, ByteBuffer b, ByteOrder order) throws NiftiException {
        String magic = cString(b, 344, 4);
        boolean single;
        if (magic.equals("n+1")) {
            single = true;
        } else if (magic.equals("ni1")) {
            single = false;
        } else if (magic.equals("n+2") || magic.equals("ni2")) {
            throw new NiftiException(f, "corrupt header: NIfTI-2 magic '" + magic + "' at the NIfTI-1 position"
                    + " but sizeof_hdr is 348");
        } else if (b.get(344) == 'n') {
            throw new NiftiException(f, "not a NIfTI file: wrong magic " + printable(b, 344, 4)
                    + " (expected 'n+1' or 'ni1')");
        } else {
            // Analyze 7.5 has the same 348-byte header and sizeof_hdr, without the magic.
            throw new NiftiException(f, "not a NIfTI file: wrong magic " + printable(b, 344, 4)
                    + " (expected 'n+1' or 'ni1'); a 348-byte header without NIfTI magic looks like Analyze 7.5,"
                    + " which LesionLink does not read because its orientation is ambiguous");
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        float voxOffset = b.getFloat(108);
        if (!Float.isFinite(voxOffset) || voxOffset < 0 || voxOffset != Math.rint(voxOffset)) {
            throw new NiftiException(f, "corrupt header: vox_offset " + voxOffset
                    + " is not a non-negative whole number of bytes");
        }
        return new NiftiHeader(1, order, single, dim, b.getShort(70), b.getShort(72), pixdim, (long) voxOffset,
                b.getFloat(112), b.getFloat(116), b.getShort(252), b.getShort(254),
                b.getFloat(256), b.getFloat(260), b.getFloat(264),
                b.getFloat(268), b.getFloat(272), b.getFloat(276),
                floats(b, 280), floats(b, 296), floats(b, 312),
                b.get(123) & 0xFF, b.getShort(68), cString(b, 148, 80), magic);
    }

    private static NiftiHeader parse2(Path f, ByteBuffer b, ByteOrder order) throws NiftiException {
        String magic = cString(b, 4, 4);
        boolean single;
        if (magic.equals("n+2")) {
            single = true;
        } else if (magic.equals("ni2")) {
            single = false;
        } else {
            throw new NiftiException(f, "not a NIfTI file: wrong magic " + printable(b, 4, 4)
                    + " for a 540-byte header (expected 'n+2' or 'ni2')");
        }
        // NIfTI-2 follows the magic with \r\n\032\n so that text-mode transfers that mangle line ends are caught.
        if (b.get(8) != 0x0D || b.get(9) != 0x0A || b.get(10) != 0x1A || b.get(11) != 0x0A) {
            throw new NiftiException(f, "corrupt header: the NIfTI-2 signature after the magic is "
                    + printable(b, 8, 4) + ", expected \\r\\n\\032\\n (was the file transferred in text mode?)");
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getLong(16 + 8 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getDouble(104 + 8 * i);
        }
        long voxOffset = b.getLong(168);
        if (voxOffset < 0) {
            throw new NiftiException(f, "corrupt header: vox_offset " + voxOffset + " is negative");
        }
        return new NiftiHeader(2, order, single, dim, b.getShort(12), b.getShort(14), pixdim, voxOffset,
                b.getDouble(176), b.getDouble(184), b.getInt(344), b.getInt(348),
                b.getDouble(352), b.getDouble(360), b.getDouble(368),
                b.getDouble(376), b.getDouble(384), b.getDouble(392),
                doubles(b, 400), doubles(b, 432), doubles(b, 464),
                b.getInt(500), b.getInt(504), cString(b, 240, 80), magic);
    }

    /** Consistency checks that need no voxel data; {@code readHeader} applies them too. */
    private void check(Path f, NiftiHeader h) throws NiftiException {
        long[] dim = h.dim();
        if (dim[0] < 1 || dim[0] > 7) {
            throw new NiftiException(f, "corrupt header: dim[0] = " + dim[0] + ", the number of dimensions must be 1..7");
        }
        for (int d = 1; d <= dim[0]; d++) {
            if (dim[d] < 1) {
                throw new NiftiException(f, "bad dims: dim[" + d + "] = " + dim[d]
                        + (dim[d] == 0 ? " (an empty image)" : " is negative") + "; every size must be at least 1");
            }
        }
        for (int d = 1; d <= 3; d++) {
            if (h.size(d) > Integer.MAX_VALUE) {
                throw new NiftiException(f, "bad dims: dim[" + d + "] = " + h.size(d) + " exceeds 2^31-1");
            }
        }
        long voxels = 1;
        try {
            for (int d = 1; d <= dim[0]; d++) {
                voxels = Math.multiplyExact(voxels, dim[d]);
            }
            Math.multiplyExact(voxels, 16L); // the widest voxel (complex128) in bytes must not overflow either
        } catch (ArithmeticException e) {
            throw new NiftiException(f, "bad dims: the product of " + dimsText(h) + " overflows a 64-bit count");
        }
        if (h.niftiDatatype().isEmpty()) {
            throw new NiftiException(f, "unknown datatype code " + h.datatype() + " (not defined by nifti1.h)");
        }
        NiftiDatatype t = h.niftiDatatype().get();
        if (h.bitpix() != t.bitpix()) {
            // Some writers get bitpix wrong; the datatype is what decides the voxel size.
            LOG.log(System.Logger.Level.WARNING, "{0}: bitpix {1} does not match {2} ({3} bits); using the datatype",
                    f, h.bitpix(), t.niftiName(), t.bitpix());
        }
        if (h.singleFile() && h.voxOffset() != 0 && h.voxOffset() < h.headerSize() + 4L) {
            throw new NiftiException(f, "bad vox_offset " + h.voxOffset() + ": it lies inside the "
                    + (h.headerSize() + 4) + "-byte header (and extension flag) of a single-file NIfTI-" + h.version());
        }
        if (h.voxOffset() > limits.maxVoxOffset()) {
            throw new NiftiException(f, "vox_offset " + h.voxOffset() + " is over the limit of "
                    + limits.maxVoxOffset() + " bytes of header and extensions");
        }
        try {
            h.rescale();
        } catch (IllegalStateException e) {
            throw new NiftiException(f, "corrupt header: " + e.getMessage());
        }
        Geometry g;
        try {
            g = h.geometry();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new NiftiException(f, "unusable orientation from the " + h.xformSource().name().toLowerCase(Locale.ROOT)
                    + " (qform_code " + h.qformCode() + ", sform_code " + h.sformCode() + "): " + e.getMessage());
        }
        if (h.xformSource() != NiftiHeader.XformSource.SFORM && h.hasUnusableSpacing()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: pixdim[1..3] = {1}, {2}, {3} has a spacing that is not positive;"
                    + " using 1 mm for it (grid {4})", f, h.pixdim()[1], h.pixdim()[2], h.pixdim()[3], g);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Voxels

    /** What the voxels need, checked against the limits before anything is allocated. */
    private record Layout(NiftiDatatype type, DataType stored, int voxelsPerFrame, long frames, int channels,
            long fileBytes, long bytesPerChannel) {}

    private Layout layout(Path f, NiftiHeader h) throws NiftiException {
        NiftiDatatype t = h.niftiDatatype().orElseThrow();
        if (!t.isSupported()) {
            throw new NiftiException(f, "unsupported datatype " + t.niftiName() + " (code " + t.code()
                    + "): LesionLink loads integer, float32/64 and RGB(A) images, not "
                    + (t == NiftiDatatype.BINARY ? "bit-packed" : t.name().startsWith("COMPLEX") ? "complex" : "float128")
                    + " data");
        }
        DataType stored = t.storedAs().orElseThrow();
        int[] sd = h.spatialDims();
        long voxels = (long) sd[0] * sd[1];
        long frames;
        long perChannel;
        long channels;
        long total;
        long fileBytes;
        try {
            voxels = Math.multiplyExact(voxels, sd[2]);
            frames = h.frames();
            perChannel = Math.multiplyExact(voxels, stored.bytes());
            channels = Math.multiplyExact(frames, t.components());
            total = Math.multiplyExact(perChannel, channels);
            fileBytes = Math.multiplyExact(Math.multiplyExact(voxels, frames), t.fileBytes());
        } catch (ArithmeticException e) {
            throw new NiftiException(f, "bad dims: the size of " + dimsText(h) + " overflows a 64-bit count");
        }
        if (perChannel > limits.maxBytesPerChannel()) {
            throw new NiftiException(f, "too large: one channel of " + sd[0] + "x" + sd[1] + "x" + sd[2] + " "
                    + stored.id() + " voxels needs " + perChannel + " bytes, over the limit of "
                    + limits.maxBytesPerChannel() + " bytes per channel");
        }
        if (total > limits.maxTotalBytes() || channels > Integer.MAX_VALUE) {
            throw new NiftiException(f, "too large: " + dimsText(h) + " as " + channels + " channel(s) of " + stored.id()
                    + " needs " + total + " bytes in memory, over the limit of " + limits.maxTotalBytes() + " bytes");
        }
        return new Layout(t, stored, (int) voxels, frames, (int) channels, fileBytes, perChannel);
    }

    private Volume readVoxels(Source src, NiftiHeader h, Layout l) throws IOException {
        Path f = src.path;
        long offset = h.dataOffset();
        if (src.size >= 0) {
            // Plain file: everything can be checked before allocating.
            if (offset > src.size) {
                throw new NiftiException(f, "bad vox_offset " + offset + ": beyond the end of the file ("
                        + src.size + " bytes)");
            }
            if (src.size - offset < l.fileBytes()) {
                throw new NiftiException(f, "truncated data: expected " + l.fileBytes() + " bytes of voxel data after"
                        + " vox_offset " + offset + ", the file holds only " + (src.size - offset));
            }
        }
        if (src instanceof GzipSource gz && offset > gz.maxDecompressed()) {
            throw new NiftiException(f, "bad vox_offset " + offset + ": beyond the end of the decompressed data ("
                    + gz.compressedSize + " bytes of gzip decompress to at most " + gz.maxDecompressed() + ")");
        }
        if (src instanceof GzipSource gz && gz.maxDecompressed() - offset < l.fileBytes()) {
            // Refused before allocating: a small .nii.gz whose header declares a large volume would otherwise pin
            // the whole declared size in memory before the stream runs dry.
            throw new NiftiException(f, "truncated data: " + dimsText(h) + " needs " + l.fileBytes() + " bytes of voxel"
                    + " data after vox_offset " + offset + ", but " + gz.compressedSize + " bytes of gzip decompress to at"
                    + " most " + gz.maxDecompressed() + " (deflate's " + GzipSource.MAX_RATIO + ":1 limit)");
        }
        long skip = offset - src.position;
        if (skip < 0) {
            throw new NiftiException(f, "bad vox_offset " + offset + ": inside the header");
        }
        long skipped = src.skip(skip);
        if (skipped < skip) {
            throw new NiftiException(f, "bad vox_offset " + offset + ": beyond the end of the "
                    + (src.size >= 0 ? "file" : "decompressed data") + " (" + (src.position) + " bytes)");
        }
        Geometry g = h.geometry();
        Volume.Builder vb;
        try {
            vb = Volume.allocate(g, l.stored(), l.channels());
        } catch (OutOfMemoryError e) {
            // Within the limits but more than the heap has free right now; one failed allocation of a large
            // array leaves the JVM intact, so this can be reported like any other problem with the file.
            throw new NiftiException(f, "not enough memory: the voxels need " + l.bytesPerChannel() * l.channels()
                    + " bytes and the heap cannot provide them now (-Xmx " + Runtime.getRuntime().maxMemory() + ")");
        }
        byte[][] arrays = new byte[l.channels()][];
        for (int c = 0; c < arrays.length; c++) {
            ByteBuffer buf = vb.channel(c);
            if (!buf.hasArray() || buf.arrayOffset() != 0 || buf.capacity() != l.bytesPerChannel()) {
                throw new IllegalStateException("Volume.allocate no longer gives plain heap buffers");
            }
            arrays[c] = buf.array();
        }
        VoxelSink sink = new VoxelSink(src, h.byteOrder(), l);
        sink.readAll(arrays);
        vb.rescale(h.rescale());
        return vb.build();
    }

    /** Pulls the voxel bytes from a source into channel arrays, converting where the datatype says so. */
    private static final class VoxelSink {
        private final Source src;
        private final ByteOrder order;
        private final Layout l;
        private long done; // file bytes read so far

        VoxelSink(Source src, ByteOrder order, Layout l) {
            this.src = src;
            this.order = order;
            this.l = l;
        }

        void readAll(byte[][] arrays) throws IOException {
            int n = l.voxelsPerFrame();
            switch (l.type()) {
                case UINT8, INT16, UINT16, INT32, FLOAT32, FLOAT64 -> {
                    int size = l.type().fileBytes();
                    for (byte[] a : arrays) {
                        fill(a, 0, n * size);
                        if (order == ByteOrder.BIG_ENDIAN) {
                            swapInPlace(a, n * size, size);
                        }
                    }
                }
                case INT8 -> {
                    // Read the n bytes into the upper half and widen forwards: element i is read before the
                    // writes of element i (bytes 2i, 2i+1 <= n+i) can reach it, and later ones lie above.
                    for (byte[] a : arrays) {
                        fill(a, n, n);
                        for (int i = 0; i < n; i++) {
                            byte v = a[n + i];
                            a[2 * i] = v;
                            a[2 * i + 1] = (byte) (v >> 7);
                        }
                    }
                }
                case UINT32 -> {
                    // Same trick, 4 -> 8 bytes; a uint32 always fits a double's mantissa exactly.
                    for (byte[] a : arrays) {
                        fill(a, 4 * n, 4 * n);
                        ByteBuffer in = ByteBuffer.wrap(a).order(order);
                        ByteBuffer out = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < n; i++) {
                            long v = in.getInt(4 * n + 4 * i) & 0xFFFF_FFFFL;
                            out.putDouble(8 * i, v);
                        }
                    }
                }
                case INT64, UINT64 -> {
                    boolean unsigned = l.type() == NiftiDatatype.UINT64;
                    for (byte[] a : arrays) {
                        fill(a, 0, 8 * n);
                        ByteBuffer in = ByteBuffer.wrap(a).order(order);
                        ByteBuffer out = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < n; i++) {
                            long v = in.getLong(8 * i);
                            out.putDouble(8 * i, exactDouble(v, unsigned, i));
                        }
                    }
                }
                case RGB24, RGBA32 -> {
                    int comps = l.type().components();
                    byte[] staging = new byte[STAGING_VOXELS * comps];
                    for (int frame = 0; frame < l.frames(); frame++) {
                        for (int v0 = 0; v0 < n; v0 += STAGING_VOXELS) {
                            int count = Math.min(STAGING_VOXELS, n - v0);
                            fill(staging, 0, count * comps);
                            for (int comp = 0; comp < comps; comp++) {
                                byte[] a = arrays[frame * comps + comp];
                                for (int i = 0, s = comp; i < count; i++, s += comps) {
                                    a[v0 + i] = staging[s];
                                }
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException("unsupported datatype got through: " + l.type());
            }
        }

        private double exactDouble(long v, boolean unsigned, int index) throws NiftiException {
            if (unsigned && v < 0) {
                // 2^63 <= value < 2^64: doubles there are 2^11 apart, so exact iff the low 11 bits are 0.
                if ((v & 0x7FF) == 0) {
                    return (double) (v >>> 1) * 2.0;
                }
            } else {
                double d = v;
                // (long) saturates at 2^63-1, so also rule out d == 2^63 (only reachable by rounding up).
                if (d != 0x1p63 && (long) d == v) {
                    return d;
                }
            }
            String shown = unsigned ? Long.toUnsignedString(v) : Long.toString(v);
            throw new NiftiException(src.path, "unsupported data: " + l.type().niftiName() + " voxel " + index
                    + " holds " + shown + ", which float64 cannot store exactly; LesionLink keeps 64-bit integers"
                    + " as float64 only when every value survives unchanged");
        }

        /** Reads exactly {@code len} bytes or reports truncation in terms of the whole voxel data. */
        private void fill(byte[] a, int off, int len) throws IOException {
            int got = src.readFully(a, off, len);
            done += got;
            if (got < len) {
                throw new NiftiException(src.path, "truncated data: expected " + l.fileBytes()
                        + " bytes of voxel data, found only " + done
                        + (src.size < 0 ? " (the compressed stream ends early)" : ""));
            }
        }
    }

    static void swapInPlace(byte[] a, int len, int size) {
        switch (size) {
            case 1 -> { }
            case 2 -> {
                for (int i = 0; i < len; i += 2) {
                    byte t = a[i];
                    a[i] = a[i + 1];
                    a[i + 1] = t;
                }
            }
            case 4 -> {
                for (int i = 0; i < len; i += 4) {
                    byte t0 = a[i];
                    byte t1 = a[i + 1];
                    a[i] = a[i + 3];
                    a[i + 1] = a[i + 2];
                    a[i + 2] = t1;
                    a[i + 3] = t0;
                }
            }
            case 8 -> {
                for (int i = 0; i < len; i += 8) {
                    for (int k = 0; k < 4; k++) {
                        byte t = a[i + k];
                        a[i + k] = a[i + 7 - k];
                        a[i + 7 - k] = t;
                    }
                }
            }
            default -> throw new IllegalArgumentException("element size " + size);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Files

    /** For {@code x.img[.gz]} the header {@code x.hdr[.gz]}; otherwise the file itself. */
    private static Path headerFileFor(Path file) throws NiftiException {
        String name = String.valueOf(file.getFileName());
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".img") || lower.endsWith(".img.gz")) {
            List<Path> candidates = partners(file, "hdr");
            for (Path p : candidates) {
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
            throw new NiftiException(file, "header file missing: an .img needs its .hdr, looked for " + candidates);
        }
        return file;
    }

    private static Path imageFileFor(Path given, Path headerFile, NiftiHeader h) throws NiftiException {
        String lower = String.valueOf(given.getFileName()).toLowerCase(Locale.ROOT);
        if (lower.endsWith(".img") || lower.endsWith(".img.gz")) {
            return given;
        }
        String hl = String.valueOf(headerFile.getFileName()).toLowerCase(Locale.ROOT);
        if (!hl.endsWith(".hdr") && !hl.endsWith(".hdr.gz")) {
            throw new NiftiException(headerFile, "magic '" + h.magic() + "' says the voxels are in a separate .img"
                    + " file, but this file is not named .hdr, so there is no .img to go with it");
        }
        List<Path> candidates = partners(headerFile, "img");
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NiftiException(headerFile, "image file missing: magic '" + h.magic() + "' says the voxels are in"
                + " a separate .img file, looked for " + candidates);
    }

    /** Same base name with the other extension ({@code hdr}/{@code img}), same compression first, same case. */
    private static List<Path> partners(Path file, String ext) {
        String name = String.valueOf(file.getFileName());
        boolean gz = name.toLowerCase(Locale.ROOT).endsWith(".gz");
        String stem = gz ? name.substring(0, name.length() - 3) : name;
        String base = stem.substring(0, stem.length() - 3);
        String gzs = gz ? name.substring(name.length() - 3) : ".gz";
        String e = Character.isUpperCase(stem.charAt(stem.length() - 3)) ? ext.toUpperCase(Locale.ROOT) : ext;
        List<Path> out = new ArrayList<>();
        out.add(file.resolveSibling(base + e + (gz ? gzs : "")));
        out.add(file.resolveSibling(base + e + (gz ? "" : gzs)));
        return out;
    }

    /** A sequential byte source over a plain or gzipped file, with checked-exception translation. */
    private abstract static class Source implements Closeable {
        final Path path;
        /** File size for plain files, -1 for gzip (unknown without decompressing). */
        final long size;
        long position;

        Source(Path path, long size) {
            this.path = path;
            this.size = size;
        }

        static Source open(Path file) throws IOException {
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new NiftiException(file, "file not found", e);
            }
            try {
                ByteBuffer sig = ByteBuffer.allocate(2);
                while (sig.hasRemaining() && ch.read(sig, sig.position()) > 0) {
                    // positional reads; loop until 2 bytes or EOF
                }
                if (sig.position() == 2 && (sig.get(0) & 0xFF) == 0x1F && (sig.get(1) & 0xFF) == 0x8B) {
                    return new GzipSource(file, ch);
                }
                return new PlainSource(file, ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        /**
         * Reads up to {@code len} bytes at {@link #position}, advancing it; returns how many were read before
         * the end of the data.
         */
        final int readFully(byte[] b, int off, int len) throws IOException {
            int total = 0;
            while (total < len) {
                int n = read(b, off + total, len - total);
                if (n < 0) {
                    break;
                }
                total += n;
                position += n;
            }
            return total;
        }

        /** Skips up to {@code n} bytes; returns how many were skipped before the end of the data. */
        abstract long skip(long n) throws IOException;

        /** One read at {@link #position} (which the caller advances): bytes read, or -1 at the end. */
        abstract int read(byte[] b, int off, int len) throws IOException;
    }

    private static final class PlainSource extends Source {
        private final FileChannel ch;

        PlainSource(Path path, FileChannel ch) throws IOException {
            super(path, ch.size());
            this.ch = ch;
        }

        @Override
        int read(byte[] b, int off, int len) throws IOException {
            // Positional read of at most PLAIN_CHUNK bytes: the JDK copies heap reads through a temporary
            // direct buffer the size of the request, which must not become a second copy of the volume.
            return ch.read(ByteBuffer.wrap(b, off, Math.min(len, PLAIN_CHUNK)), position);
        }

        @Override
        long skip(long n) {
            long can = Math.max(0, Math.min(n, size - position));
            position += can;
            return can;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static final class GzipSource extends Source {
        /** Deflate's largest expansion: one 258-byte match per 2 bits at best (RFC 1951). */
        static final long MAX_RATIO = 1032;

        private final FileChannel ch;
        final long compressedSize;
        private InputStream in;
        private boolean ended;

        GzipSource(Path path, FileChannel ch) throws IOException {
            super(path, -1);
            this.ch = ch;
            this.compressedSize = ch.size();
        }

        /** More than this many bytes cannot come out of the file, however it was compressed. */
        long maxDecompressed() {
            return compressedSize * MAX_RATIO + 1024;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                try {
                    in = new GZIPInputStream(java.nio.channels.Channels.newInputStream(ch.position(0)), GZIP_BUFFER);
                } catch (ZipException e) {
                    throw new NiftiException(path, "corrupt gzip data: " + e.getMessage(), e);
                } catch (EOFException e) {
                    throw new NiftiException(path, "corrupt gzip data: the gzip header is truncated", e);
                }
            }
            return in;
        }

        @Override
        int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            try {
                int n = in().read(b, off, len);
                if (n < 0) {
                    ended = true;
                }
                return n;
            } catch (ZipException e) {
                throw new NiftiException(path, "corrupt gzip data: " + e.getMessage(), e);
            } catch (EOFException e) {
                // "Unexpected end of ZLIB input stream": the compressed file is cut short. The caller knows how
                // many bytes it needed and reports the truncation in those terms.
                ended = true;
                return -1;
            }
        }

        @Override
        long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
            long left = n;
            while (left > 0) {
                int got = readFully(scratch, 0, (int) Math.min(left, scratch.length));
                left -= got;
                if (got == 0) {
                    break;
                }
            }
            return n - left;
        }

        @Override
        public void close() throws IOException {
            try {
                if (in != null) {
                    in.close();
                }
            } finally {
                ch.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Small helpers

    private static double[] floats(ByteBuffer b, int at) {
        return new double[] {b.getFloat(at), b.getFloat(at + 4), b.getFloat(at + 8), b.getFloat(at + 12)};
    }

    private static double[] doubles(ByteBuffer b, int at) {
        return new double[] {b.getDouble(at), b.getDouble(at + 8), b.getDouble(at + 16), b.getDouble(at + 24)};
    }

    /** A NUL-terminated Latin-1 string from a fixed-size field. */
    static String cString(ByteBuffer b, int at, int len) {
        int n = 0;
        while (n < len && b.get(at + n) != 0) {
            n++;
        }
        byte[] s = new byte[n];
        b.get(at, s);
        return new String(s, StandardCharsets.ISO_8859_1);
    }

    /** Bytes shown safely in a message, e.g. {@code 'ab\x00\x1f'}. */
    private static String printable(ByteBuffer b, int at, int len) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < len; i++) {
            int c = b.get(at + i) & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format(Locale.ROOT, "\\x%02x", c));
            }
        }
        return sb.append('\'').toString();
    }

    private static String dimsText(NiftiHeader h) {
        long[] dim = h.dim();
        StringBuilder sb = new StringBuilder("dims ");
        int n = (int) Math.max(1, Math.min(7, dim[0]));
        for (int d = 1; d <= n; d++) {
            sb.append(d == 1 ? "" : "x").append(dim[d]);
        }
        return sb.toString();
    }
}
