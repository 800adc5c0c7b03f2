package org.lesionlink.io.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.Volume;

/**
 * Every kind of broken file gives a {@link NiftiException} that names the file and the problem, never a hang,
 * an OutOfMemoryError or a half-read volume.
 */
class NiftiBadInputTest {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @TempDir
    Path dir;

    /** 64 MiB of zeros as one gzip member (about 64 KiB), built once. */
    private static byte[] zerosMember;

    private final NiftiReader reader = new NiftiReader();

    @BeforeAll
    static void buildZeros() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        zerosMember = out.toByteArray();
    }

    private static CraftedNifti valid() {
        CraftedNifti c = new CraftedNifti();
        c.data = CraftedNifti.ramp16(LE, 24);
        return c;
    }

    /** Asserts a NiftiException whose message names {@code file} and contains every one of {@code words}. */
    private static NiftiException fails(Path file, Executable read, String... words) {
        NiftiException e = assertThrows(NiftiException.class, read);
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file.toString()), () -> "message should start with the file: " + msg);
        for (String w : words) {
            assertTrue(msg.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)),
                    () -> "message should mention '" + w + "': " + msg);
        }
        return e;
    }

    private NiftiException failsToRead(Path f, String... words) {
        return fails(f, () -> reader.read(f), words);
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] whole = valid().singleFileBytes();
        Path f = CraftedNifti.write(dir.resolve("cut.nii"), Arrays.copyOf(whole, 200));
        failsToRead(f, "truncated header", "200", "348");
        fails(f, () -> reader.readHeader(f), "truncated header");
        Path g = CraftedNifti.write(dir.resolve("cut.nii.gz"), CraftedNifti.gzip(Arrays.copyOf(whole, 100)));
        failsToRead(g, "truncated header", "100");
        Path tiny = CraftedNifti.write(dir.resolve("tiny.nii"), new byte[] {1, 2});
        failsToRead(tiny, "truncated header");
        Path empty = CraftedNifti.write(dir.resolve("empty.nii"), new byte[0]);
        failsToRead(empty, "truncated header", "0 bytes");

        CraftedNifti n2 = valid();
        n2.version = 2;
        Path h2 = CraftedNifti.write(dir.resolve("cut2.nii"), Arrays.copyOf(n2.singleFileBytes(), 400));
        failsToRead(h2, "truncated header", "400", "540");
    }

    @Test
    void truncatedData() throws IOException {
        byte[] whole = valid().singleFileBytes(); // 352 + 48 bytes
        Path f = CraftedNifti.write(dir.resolve("short.nii"), Arrays.copyOf(whole, whole.length - 10));
        failsToRead(f, "truncated data", "expected 48 bytes", "38");
        assertEquals(3, reader.readHeader(f).ndim(), "the header alone is still fine");

        Path g = CraftedNifti.write(dir.resolve("short.nii.gz"), CraftedNifti.gzip(Arrays.copyOf(whole, whole.length - 10)));
        failsToRead(g, "truncated data", "expected 48 bytes", "38");

        // a gzip stream cut in the middle (no trailer, partial deflate block)
        CraftedNifti big = valid();
        big.dim = new long[] {3, 64, 64, 16, 1, 1, 1, 1};
        big.data = CraftedNifti.ramp16(LE, 64 * 64 * 16);
        byte[] gz = CraftedNifti.gzip(big.singleFileBytes());
        Path cut = CraftedNifti.write(dir.resolve("cutgz.nii.gz"), Arrays.copyOf(gz, gz.length / 2));
        failsToRead(cut, "truncated data", "expected 131072 bytes");
    }

    @Test
    void wrongMagic() throws IOException {
        CraftedNifti c = valid();
        c.magic = "\0\0\0"; // what an Analyze 7.5 .hdr holds there
        Path f = c.writeSingle(dir, "analyze.nii");
        fails(f, () -> reader.readHeader(f), "not a NIfTI file", "magic", "Analyze 7.5");

        c.magic = "n+3";
        Path g = c.writeSingle(dir, "n3.nii");
        failsToRead(g, "wrong magic", "'n+3");

        CraftedNifti two = valid();
        two.version = 2;
        two.magic = "xx2";
        Path h = two.writeSingle(dir, "xx2.nii.gz");
        failsToRead(h, "wrong magic", "n+2");

        Path png = CraftedNifti.write(dir.resolve("picture.nii"),
                Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 400));
        failsToRead(png, "not a NIfTI file", "sizeof_hdr");
    }

    @Test
    void nifti2SignatureMangledByTextTransfer() throws IOException {
        CraftedNifti c = valid();
        c.version = 2;
        byte[] bytes = c.singleFileBytes();
        bytes[8] = '\n'; // \r\n became \n\n
        Path f = CraftedNifti.write(dir.resolve("text.nii"), bytes);
        failsToRead(f, "text mode");
    }

    @Test
    void badDims() throws IOException {
        CraftedNifti c = valid();
        c.dim = new long[] {3, 2, -3, 4, 1, 1, 1, 1};
        Path neg = c.writeSingle(dir, "neg.nii");
        fails(neg, () -> reader.readHeader(neg), "dim[2] = -3", "negative");

        c.dim = new long[] {3, 2, 3, 0, 1, 1, 1, 1};
        Path zero = c.writeSingle(dir, "zero.nii");
        failsToRead(zero, "dim[3] = 0", "empty");

        c.dim = new long[] {9, 2, 3, 4, 1, 1, 1, 1};
        Path nd = c.writeSingle(dir, "nd.nii");
        failsToRead(nd, "dim[0] = 9");

        CraftedNifti two = valid();
        two.version = 2;
        two.dim = new long[] {7, 1L << 20, 1L << 20, 1L << 20, 1 << 20, 2, 2, 2};
        Path overflow = two.writeSingle(dir, "overflow.nii.gz");
        fails(overflow, () -> reader.readHeader(overflow), "overflows");

        two.dim = new long[] {3, 3_000_000_000L, 1, 1, 1, 1, 1, 1};
        Path wide = two.writeSingle(dir, "wide.nii");
        failsToRead(wide, "dim[1] = 3000000000");
    }

    @Test
    void limitsAreCheckedBeforeAllocating() throws IOException {
        // Far more than memory: refused from the header alone (the file holds 48 bytes of data).
        CraftedNifti c = valid();
        c.version = 2;
        c.datatype = NiftiDatatype.FLOAT64.code();
        c.dim = new long[] {4, 2000, 2000, 2000, 1, 1, 1, 1};
        Path huge = c.writeSingle(dir, "huge.nii.gz");
        failsToRead(huge, "too large", "per channel");
        c.dim = new long[] {4, 1000, 1000, 100, 1000, 1, 1, 1}; // 800 MB per channel, 1000 channels
        Path many = c.writeSingle(dir, "many.nii.gz");
        failsToRead(many, "too large", "limit");

        // Configurable limits.
        NiftiReader small = new NiftiReader(new NiftiReader.Limits(1 << 20, 3 << 20, 1024));
        CraftedNifti d = valid();
        d.dim = new long[] {3, 1024, 1024, 1, 1, 1, 1, 1}; // 2 MiB of int16
        Path perChannel = d.writeSingle(dir, "perchannel.nii");
        fails(perChannel, () -> small.read(perChannel), "too large", "2097152 bytes", "1048576");
        d.dim = new long[] {4, 512, 512, 1, 4, 1, 1, 1}; // 4 x 512 KiB = 2 MiB ... within 3 MiB
        d.data = new byte[512 * 512 * 2 * 4];
        assertEquals(4, small.readVolume(d.writeSingle(dir, "ok.nii")).channels());
        d.dim = new long[] {4, 512, 512, 1, 8, 1, 1, 1}; // 4 MiB in all
        Path total = d.writeSingle(dir, "total.nii");
        fails(total, () -> small.read(total), "too large", "4194304 bytes", "3145728");
        d.voxOffset = 2048L;
        Path offset = d.writeSingle(dir, "offset.nii");
        fails(offset, () -> small.readHeader(offset), "vox_offset 2048", "limit");
    }

    /** Found by NiftiReaderFuzzTest: the declared volume used to be allocated before the gzip stream ran dry. */
    @Test
    void smallGzipDeclaringALargeVolumeIsRefusedBeforeAllocating() throws IOException {
        CraftedNifti c = valid();
        c.dim = new long[] {3, 256, 256, 256, 1, 1, 1, 1};
        c.data = new byte[0];
        byte[] gz = CraftedNifti.gzip(c.singleFileBytes());
        Path f = CraftedNifti.write(dir.resolve("claims-32mib.nii.gz"), gz);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        failsToRead(f, "truncated data", "33554432 bytes", gz.length + " bytes of gzip", "1032:1");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 8 << 20, "allocated " + allocated + " bytes before refusing");
    }

    @Test
    void voxOffsetInsideHeaderOrBeyondTheFile() throws IOException {
        CraftedNifti c = valid();
        c.voxOffset = 200L;
        byte[] bytes = c.singleFileBytes();
        Path inside = CraftedNifti.write(dir.resolve("inside.nii"), bytes);
        fails(inside, () -> reader.readHeader(inside), "vox_offset 200", "inside");

        c.voxOffset = 100_000L;
        byte[] h = Arrays.copyOf(c.singleFileBytes(), 400);
        Path beyond = CraftedNifti.write(dir.resolve("beyond.nii"), h);
        failsToRead(beyond, "vox_offset 100000", "beyond the end", "400");
        Path beyondGz = CraftedNifti.write(dir.resolve("beyond.nii.gz"), CraftedNifti.gzip(h));
        failsToRead(beyondGz, "vox_offset 100000", "beyond the end");

        c.voxOffset = null;
        byte[] frac = c.singleFileBytes();
        java.nio.ByteBuffer.wrap(frac).order(LE).putFloat(108, 352.5f);
        Path fractional = CraftedNifti.write(dir.resolve("frac.nii"), frac);
        failsToRead(fractional, "vox_offset 352.5");
    }

    @Test
    void unsupportedAndUnknownDatatypes() throws IOException {
        for (NiftiDatatype t : new NiftiDatatype[] {NiftiDatatype.COMPLEX64, NiftiDatatype.COMPLEX128,
                NiftiDatatype.COMPLEX256, NiftiDatatype.FLOAT128, NiftiDatatype.BINARY}) {
            CraftedNifti c = valid();
            c.datatype = t.code();
            c.data = new byte[24 * Math.max(1, t.fileBytes())];
            Path f = c.writeSingle(dir, t + ".nii");
            failsToRead(f, "unsupported datatype", t.niftiName());
            assertEquals(t.code(), reader.readHeader(f).datatype(), "the header alone can still be shown");
        }
        CraftedNifti c = valid();
        c.datatype = 3;
        Path f = c.writeSingle(dir, "three.nii");
        fails(f, () -> reader.readHeader(f), "unknown datatype code 3");

        CraftedNifti i64 = valid();
        i64.datatype = NiftiDatatype.INT64.code();
        long[] v = new long[24];
        v[5] = (1L << 53) + 1;
        i64.data = CraftedNifti.longs(LE, v);
        Path inexact = i64.writeSingle(dir, "i64.nii");
        failsToRead(inexact, "voxel 5", "9007199254740993", "exactly");
    }

    @Test
    void brokenOrientationOrScaling() throws IOException {
        CraftedNifti c = valid();
        c.srowX = new double[] {0, 0, 0, 0};
        Path singular = c.writeSingle(dir, "singular.nii");
        fails(singular, () -> reader.readHeader(singular), "orientation", "sform");

        CraftedNifti q = valid();
        q.sformCode = 0;
        q.qformCode = 1;
        q.quaternB = 0.9;
        q.quaternC = 0.9;
        Path quat = q.writeSingle(dir, "quat.nii");
        failsToRead(quat, "qform", "unit quaternion");

        CraftedNifti s = valid();
        s.sclSlope = Double.POSITIVE_INFINITY;
        Path slope = s.writeSingle(dir, "slope.nii");
        failsToRead(slope, "scl_slope");
    }

    @Test
    void corruptGzip() throws IOException {
        CraftedNifti c = valid();
        c.dim = new long[] {3, 32, 32, 8, 1, 1, 1, 1};
        c.data = CraftedNifti.ramp16(LE, 32 * 32 * 8);
        byte[] gz = CraftedNifti.gzip(c.singleFileBytes());
        for (int i = 30; i < gz.length - 8; i += 7) {
            gz[i] ^= 0x5A;
        }
        Path f = CraftedNifti.write(dir.resolve("corrupt.nii.gz"), gz);
        NiftiException e = assertThrows(NiftiException.class, () -> reader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()));
        String m = e.getMessage();
        assertTrue(m.contains("corrupt gzip") || m.contains("truncated") || m.contains("not a NIfTI"), m);

        byte[] header = CraftedNifti.gzip(c.singleFileBytes());
        header[2] = 7; // compression method other than deflate (8)
        Path flags = CraftedNifti.write(dir.resolve("flags.nii.gz"), header);
        failsToRead(flags, "corrupt gzip");
    }

    @Test
    void gzipBombWithSmallDimsReadsOnlyWhatTheHeaderNeeds() throws IOException {
        // A valid small image followed, in the same gzip file, by 4 GiB of zeros (64 members of 64 MiB). The
        // reader must stop after the 48 voxel bytes: decompressing the rest would take seconds and, if kept,
        // more heap than the test JVM has.
        CraftedNifti c = valid();
        Path f = dir.resolve("bomb.nii.gz");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(CraftedNifti.gzip(c.singleFileBytes()));
            for (int i = 0; i < 64; i++) {
                out.write(zerosMember);
            }
        }
        assertTrue(Files.size(f) < (8 << 20), "the bomb file itself is small: " + Files.size(f));
        Volume v = reader.readVolume(f);
        assertEquals(-12, v.stored(0, 0));
        assertEquals(11, v.stored(0, 23));
    }

    @Test
    void gzipBombWithHugeDimsIsRefusedBeforeDecompressing() throws IOException {
        // The header claims 8 GiB per channel; the zeros behind it would supply them.
        CraftedNifti c = valid();
        c.version = 2;
        c.dim = new long[] {3, 2048, 2048, 1024, 1, 1, 1, 1};
        Path f = dir.resolve("bomb-huge.nii.gz");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(CraftedNifti.gzip(c.singleFileBytes()));
            for (int i = 0; i < 64; i++) {
                out.write(zerosMember);
            }
        }
        failsToRead(f, "too large", "8589934592 bytes");
    }

    @Test
    void pairPartsMissing() throws IOException {
        CraftedNifti c = valid();
        Path hdr = c.writePair(dir, "lonely", false);
        Files.delete(dir.resolve("lonely.img"));
        failsToRead(hdr, "image file missing", "lonely.img");
        assertEquals("ni1", reader.readHeader(hdr).magic());

        Path img = dir.resolve("orphan.img");
        CraftedNifti.write(img, c.data);
        failsToRead(img, "header file missing", "orphan.hdr");

        Path pairMagicInNii = CraftedNifti.write(dir.resolve("pairmagic.nii"), c.header());
        failsToRead(pairMagicInNii, "not named .hdr");

        Path none = dir.resolve("nothing.nii");
        failsToRead(none, "file not found");
    }
}
