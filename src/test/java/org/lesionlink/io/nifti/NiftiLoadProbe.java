package org.lesionlink.io.nifti;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.lesionlink.image.Volume;

/**
 * Run in a child JVM with a small heap by {@link NiftiMemoryTest}: loads one file and prints the CRC32 of its
 * voxels. With {@code --second-copy} it also allocates a second array as large as the voxels, to show that
 * the heap given is too small for two copies.
 */
public final class NiftiLoadProbe {
    private NiftiLoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        Volume v = new NiftiReader().readVolume(Path.of(args[0]));
        byte[] second = null;
        if (args.length > 1 && args[1].equals("--second-copy")) {
            second = new byte[v.voxelsPerChannel() * v.type().bytes()];
        }
        CRC32 crc = new CRC32();
        for (int c = 0; c < v.channels(); c++) {
            ByteBuffer d = v.data(c);
            crc.update(d);
        }
        System.out.println("crc=" + crc.getValue() + " type=" + v.type().id() + " channels=" + v.channels()
                + (second != null ? " second=" + second.length : ""));
    }
}
