package org.lesionlink.io.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.testing.Peers;

/**
 * A 512x512x400 int16 volume (200 MiB of voxels) must load with one copy of its voxels: each file is read in
 * a child JVM whose heap (300 MiB) holds one copy but not two. The calibration test shows that a second copy
 * indeed does not fit, so the others would catch a reader that buffers the data.
 */
class NiftiMemoryTest {

    private static final int NX = 512;
    private static final int NY = 512;
    private static final int NZ = 400;
    private static final String HEAP = "-Xmx300m";
    /** Also small: the JDK would bounce one huge read through a temporary direct buffer of the same size. */
    private static final String DIRECT = "-XX:MaxDirectMemorySize=32m";

    @TempDir
    static Path dir;

    private static long expectedCrc;

    @BeforeAll
    static void writeFiles() throws IOException {
        Geometry g = Geometry.axisAligned(new int[] {NX, NY, NZ}, new double[] {0.5, 0.5, 1}, new double[] {-128, -128, -200});
        Volume.Builder b = Volume.allocate(g, DataType.INT16, 1);
        ByteBuffer buf = b.channel(0);
        int n = NX * NY * NZ;
        for (int i = 0; i < n; i++) {
            buf.putShort(2 * i, (short) ((i % 4093) * 16 - 30000 + i / 65536));
        }
        Volume v = b.build();
        CRC32 crc = new CRC32();
        crc.update(v.data(0));
        expectedCrc = crc.getValue();

        new NiftiWriter().write(v, dir.resolve("le.nii"));
        new NiftiWriter().write(v, dir.resolve("le.nii.gz"));

        // Big-endian: the same header fields, crafted, and the voxels swapped while streaming them out.
        CraftedNifti c = new CraftedNifti();
        c.order = ByteOrder.BIG_ENDIAN;
        c.dim = new long[] {3, NX, NY, NZ, 1, 1, 1, 1};
        try (OutputStream out = Files.newOutputStream(dir.resolve("be.nii"))) {
            out.write(c.singleFileBytes()); // header, flag, no data
            ByteBuffer in = v.data(0);
            byte[] chunk = new byte[1 << 16];
            while (in.hasRemaining()) {
                int len = Math.min(chunk.length, in.remaining());
                in.get(chunk, 0, len);
                NiftiReader.swapInPlace(chunk, len, 2);
                out.write(chunk, 0, len);
            }
        }
    }

    private static Peers.Result probe(String file, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, DIRECT, "-cp", classpath(), NiftiLoadProbe.class.getName(), dir.resolve(file).toString()));
        cmd.addAll(List.of(extra));
        return Peers.run(cmd, 300);
    }

    private static String classpath() {
        try {
            return Path.of(NiftiReader.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    + java.io.File.pathSeparator
                    + Path.of(NiftiLoadProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertLoads(String file) throws IOException {
        Peers.Result r = probe(file);
        assertEquals(0, r.exitCode(), () -> file + " did not load in " + HEAP + ":\n" + r.stderr());
        assertTrue(r.stdout().contains("crc=" + expectedCrc + " type=int16 channels=1"), r.stdout());
    }

    @Test
    void plainLittleEndian() throws IOException {
        assertLoads("le.nii");
    }

    @Test
    void plainBigEndianSwappedInPlace() throws IOException {
        assertLoads("be.nii");
    }

    @Test
    void gzipped() throws IOException {
        assertLoads("le.nii.gz");
    }

    @Test
    void calibrationTwoCopiesDoNotFit() throws IOException {
        Peers.Result r = probe("le.nii", "--second-copy");
        assertNotEquals(0, r.exitCode(), "the child heap must be too small for two copies: " + r.stdout());
        assertTrue(r.stderr().contains("OutOfMemoryError"), r.stderr());
    }
}
