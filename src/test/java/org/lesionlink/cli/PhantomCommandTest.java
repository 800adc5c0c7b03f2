package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.testing.Peers;

class PhantomCommandTest {

    static final String TEMPLATE = Peers.testResource("fixtures/colin27-2mm").toString();

    @TempDir
    Path dir;

    @Test
    void brainCasesHaveTheDocumentedLayoutAndRepeatByteForByte() throws IOException {
        for (String run : new String[] {"a", "b"}) {
            CliRun r = CliRun.of("phantom", "--kind", "brain", "--cases", "1", "--first-case", "2", "--seed", "9",
                    "--spacing", "3", "--template", TEMPLATE, "--out", dir.resolve(run).toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("case002"), r.out());
        }
        Path a = dir.resolve("a/case002");
        for (String f : List.of("t1.nii.gz", "t1c.nii.gz", "t2.nii.gz", "flair.nii.gz", "seg.nii.gz", "lesions.json")) {
            assertTrue(Files.isRegularFile(a.resolve(f)), f);
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(dir.resolve("b/case002").resolve(f)), f);
        }
        Volume seg = new NiftiReader().readVolume(a.resolve("seg.nii.gz"));
        assertEquals(DataType.UINT8, seg.type());
        assertArrayEquals(new double[] {3, 3, 3}, seg.geometry().spacing(), 1e-5);
        String json = Files.readString(a.resolve("lesions.json"));
        assertTrue(json.contains("\"centreRas\"") && json.contains("\"diameterMm\"") && json.contains("\"components\""), json);
    }

    @Test
    void spineCasesHaveT1T2AndLabels() {
        CliRun r = CliRun.of("phantom", "--kind", "SPINE", "--cases", "1", "--spacing", "3,3,4", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String f : List.of("t1.nii.gz", "t2.nii.gz", "seg.nii.gz", "lesions.json")) {
            assertTrue(Files.isRegularFile(dir.resolve("case000").resolve(f)), f);
        }
    }

    @Test
    void badArgumentsNameTheProblem() {
        assertError("--kind must be one of brain, spine, got 'liver'", "--kind", "liver", "--cases", "1");
        assertError("--cases must be at least 1, got 0", "--kind", "spine", "--cases", "0");
        assertError("--spacing takes one value or three", "--kind", "spine", "--cases", "1", "--spacing", "1,2");
        assertError("spacing must be between 0.25 and 8 mm", "--kind", "spine", "--cases", "1", "--spacing", "0");
        assertError("--template is for --kind brain only", "--kind", "spine", "--cases", "1", "--template", TEMPLATE);
        assertError("Colin27 template not found: " + dir.resolve("ch2.nii.gz"), "--kind", "brain", "--cases", "1",
                "--template", dir.toString());
    }

    private void assertError(String message, String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "phantom";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--out";
        full[args.length + 2] = dir.resolve("out").toString();
        CliRun r = CliRun.of(full);
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
    }
}
