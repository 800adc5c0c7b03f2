package org.lesionlink.bench;

import java.util.Arrays;
import java.util.Locale;
import org.lesionlink.igtl.Crc64;

/**
 * CRC-64 throughput of LesionLink's {@link Crc64} for {@code bench/igtl-echo/run.sh}: not a test, a
 * {@code main} on the test class path. It checksums the same 256 MiB of deterministic bytes as the
 * reference library's side ({@code bench/igtl-echo/crc_bench.cxx}: xorshift64 from seed 42, little-endian
 * words), so the two print the same CRC.
 *
 * <pre>
 * java -cp target/lesionlink.jar:target/test-classes org.lesionlink.bench.Crc64Bench [MiB] [runs]
 * </pre>
 *
 * Prints one line per implementation, {@code CRC impl=... bytes=N crc=0x... best_gbps=X median_gbps=Y}
 * (GB = 10<sup>9</sup> bytes): the slicing-by-8 {@link Crc64#update(long, byte[], int, int)} that the
 * decoder uses, the same over a read-only {@link java.nio.ByteBuffer} (what the encoder sees for IMAGE
 * pixels), and the byte-at-a-time {@link Crc64#updateBytewise} (the classic table loop) for scale.
 * Timed runs follow a warm-up on 16 MiB, so the figures are the JIT-compiled steady state.
 */
public final class Crc64Bench {

    private Crc64Bench() {
    }

    /** xorshift64 bytes, as {@code bench::fill} in the C++ side. */
    static void fill(byte[] b, long seed) {
        long x = seed != 0 ? seed : 0x9E3779B97F4A7C15L;
        int i = 0;
        while (i < b.length) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            for (int k = 0; k < 8 && i < b.length; k++, i++) {
                b[i] = (byte) (x >>> (8 * k));
            }
        }
    }

    interface Crc {
        long of(byte[] b, int off, int len);
    }

    public static void main(String[] args) {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] buf = new byte[mib << 20];
        fill(buf, 42);
        measure("LesionLink-Crc64-slicing-by-8", buf, runs, (b, o, n) -> Crc64.update(0, b, o, n));
        // What the encoder sees for IMAGE pixels: a read-only ByteBuffer view, whose array is not accessible.
        measure("LesionLink-Crc64-readonly-ByteBuffer", buf, runs,
                (b, o, n) -> Crc64.update(0, java.nio.ByteBuffer.wrap(b, o, n).asReadOnlyBuffer()));
        measure("LesionLink-Crc64-bytewise", buf, Math.max(1, runs / 2), (b, o, n) -> Crc64.updateBytewise(0, b, o, n));
    }

    private static void measure(String name, byte[] buf, int runs, Crc crc) {
        int warm = Math.min(buf.length, 16 << 20);
        long sink = 0;
        for (int i = 0; i < 5; i++) {
            sink ^= crc.of(buf, 0, warm);
        }
        double[] gbps = new double[runs];
        long value = 0;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            value = crc.of(buf, 0, buf.length);
            gbps[r] = buf.length / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
        Arrays.sort(gbps);
        System.out.printf(Locale.ROOT, "CRC impl=%s bytes=%d crc=0x%016x best_gbps=%.3f median_gbps=%.3f%s%n", name,
                buf.length, value, gbps[runs - 1], gbps[runs / 2], sink == 42 ? " " : "");
    }
}
