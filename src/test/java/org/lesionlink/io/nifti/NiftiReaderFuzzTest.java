package org.lesionlink.io.nifti;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.lesionlink.testing.FuzzChecks;

/**
 * Fuzzes the NIfTI-1/2 reader ({@link NiftiReader#read}) on single files, plain or gzipped (the reader tells them
 * apart by the gzip magic). Property: the only exception is {@link NiftiException}; no hang; allocation follows
 * the file: at most twice the plain bytes (int8 and uint32 are widened), and for gzip at most twice what deflate's
 * 1032:1 limit lets the compressed bytes expand to, so a header that declares a large volume in a small file is
 * refused before its voxel buffers are allocated. Seeds: small images in several datatypes, both byte orders,
 * NIfTI-1 and -2, with an extension, plain and gzipped, written by nibabel (scripts/fuzz-seeds.py).
 */
class NiftiReaderFuzzTest {

    /** Well above anything the seeds need, low enough that the limit is reachable by fuzzed dims. */
    private static final NiftiReader READER = new NiftiReader(new NiftiReader.Limits(64 << 20, 64 << 20, 1 << 20));
    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("nifti-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("fuzz.nii");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void read(byte[] data) throws IOException {
        Files.write(FILE, data);
        FuzzChecks.assertAllocationWithin(8L << 20, 2 * 1032 + 64, data.length, "NIfTI file",
                () -> FuzzChecks.onlyThrows(() -> READER.read(FILE), NiftiException.class));
    }
}
