package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;
import org.lesionlink.io.nifti.NiftiWriter;

class AblationPlanCommandTest {

    /** 1 mm grid, RAS origin at voxel (20, 20, 20). */
    private static final Geometry GRID = Geometry.axisAligned(new int[] {50, 40, 40}, new double[] {1, 1, 1}, new double[] {-20, -20, -20});

    @TempDir
    Path dir;
    private Path lesion;
    private Path canal;

    @BeforeEach
    void phantoms() throws IOException {
        byte[] l = new byte[(int) GRID.voxelCount()];
        byte[] c = new byte[l.length];
        for (int k = 0; k < 40; k++) {
            for (int j = 0; j < 40; j++) {
                for (int i = 0; i < 50; i++) {
                    double[] p = GRID.toRas(i, j, k);
                    int idx = i + 50 * (j + 40 * k);
                    if (p[0] * p[0] + p[1] * p[1] + p[2] * p[2] <= 36) {
                        l[idx] = 2; // the lesion: r = 6 at the origin
                    } else if (Math.abs(p[0] + 15) <= 1 && Math.abs(p[1]) <= 1 && Math.abs(p[2]) <= 1) {
                        l[idx] = 1; // another label, to be ignored with --label 2
                    }
                    double dx = p[0] - 22;
                    c[idx] = (byte) (dx * dx + p[1] * p[1] <= 16 ? 3 : 0); // canal: r = 4 along S at x = 22
                }
            }
        }
        lesion = dir.resolve("lesion.nii.gz");
        canal = dir.resolve("canal.nii.gz");
        new NiftiWriter().write(Volume.ofBytes(GRID, l), lesion);
        new NiftiWriter().write(Volume.ofBytes(GRID, c), canal);
    }

    private JsonNode json(CliRun run) throws IOException {
        assertEquals(0, run.exitCode(), run.err());
        return new ObjectMapper().readTree(run.out());
    }

    @Test
    void manualZoneReportsCoverageMarginsAndCriticalDistances() throws IOException {
        Path zoneOut = dir.resolve("zone.nii.gz");
        JsonNode r = json(CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--label", "2", "--critical", canal.toString(),
                "--critical-label", "3", "--critical-name", "spinal canal", "--zone", "10,10,10,5", "--tip", "0,0,5",
                "--direction", "0,0,1", "--zone-out", zoneOut.toString(), "--json"));
        assertEquals(100.0, r.get("coverage_percent").asDouble());
        assertEquals(4, r.get("min_margin_mm").asDouble(), 0.3, "R - r = 10 - 6");
        assertEquals(1.0, r.get("margin_fractions").get("0to5").asDouble() + r.get("margin_fractions").get("ge5").asDouble(), 1e-9);
        assertEquals(0.0, r.get("margin_fractions").get("lt0").asDouble());
        assertEquals(3, r.get("min_margin_ras").size());
        // Zone edge at x = 10, canal voxels from x = 18: 8 mm -> WARN. Tip (0,0,5) to the canal: 18 mm.
        assertEquals(8, r.get("critical_distance_mm").asDouble(), 0.01);
        assertEquals(18, r.get("tip_critical_distance_mm").asDouble(), 0.01);
        assertEquals("WARN", r.get("status").asText());
        JsonNode zone = r.get("zone");
        assertEquals(4.0 / 3 * Math.PI, zone.get("volume_ml").asDouble(), 1e-4);
        assertEquals(0, zone.get("centre_ras").get(2).asDouble(), 1e-9, "centre 5 mm behind the tip");
        assertEquals("manual", zone.get("source").get("device").asText());
        assertFalse(zone.get("source").get("verified").asBoolean());
        assertEquals(4.0 / 3 * Math.PI, zone.get("rasterized_volume_ml").asDouble(), 0.03 * 4.0 / 3 * Math.PI);
        assertTrue(r.get("disclaimer").asText().contains("NOT a treatment planning system"));
        assertTrue(r.get("warnings").toString().contains("WARN: zone 8.0 mm and tip 18.0 mm from spinal canal"), r.get("warnings").toString());
        Volume z = new NiftiReader().readVolume(zoneOut);
        assertTrue(z.geometry().sameGrid(GRID, 1e-6));
        assertEquals(1, z.value(0, 20, 20, 20), "the zone centre voxel");
    }

    @Test
    void deviceTableZoneWithInterpolationAndUnverifiedWarning() throws IOException {
        JsonNode r = json(CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--label", "2", "--device", "covidien-mwa",
                "--power", "60", "--time", "225", "--tip", "0,0,12", "--direction", "0,0,1", "--json"));
        JsonNode src = r.get("zone").get("source");
        assertTrue(src.get("interpolated").asBoolean());
        assertEquals(4, src.get("rows").size());
        assertFalse(src.get("verified").asBoolean());
        assertTrue(src.get("provenance").asText().contains("segmentation-eval"));
        assertEquals("NOT_ASSESSED", r.get("status").asText());
        assertFalse(r.has("critical_distance_mm"));
        assertTrue(r.get("warnings").toString().contains("unverified"));
        assertEquals(100.0, r.get("coverage_percent").asDouble(), "a 25 x 27 mm zone around a 12 mm lesion");
    }

    @Test
    void extrapolationIsRefusedWithTheRangeInJsonAndOnStderr() {
        CliRun run = CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--device", "amica", "--power", "80", "--time", "300",
                "--tip", "0,0,0", "--direction", "0,0,1", "--json");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("power 80 W is outside the table range of amica (40 to 60 W); extrapolation is refused"), run.err());
        assertTrue(run.out().contains("\"status\":\"ERROR\"") && run.out().contains("disclaimer"), run.out());
    }

    @Test
    void zoneOnAPaddedRegionAndClippingWarning() throws IOException {
        Path zoneOut = dir.resolve("zone-region.nii.gz");
        JsonNode r = json(CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--label", "2", "--zone", "12,12,12,0",
                "--tip", "0,0,0", "--direction", "0,0,1", "--zone-out", zoneOut.toString(), "--zone-pad", "13", "--json"));
        Volume z = new NiftiReader().readVolume(zoneOut);
        assertEquals(13 + 13 + 13, z.geometry().dim(0), "lesion x from -6 to 6 (13 voxels) plus 13 on each side");
        assertEquals(-19, z.geometry().origin()[0], 1e-9);
        assertFalse(r.get("warnings").toString().contains("extends beyond its grid"));
        JsonNode clipped = json(CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--label", "2", "--zone", "12,12,12,0",
                "--tip", "0,0,0", "--direction", "0,0,1", "--zone-out", zoneOut.toString(), "--zone-pad", "2", "--json"));
        assertTrue(clipped.get("warnings").toString().contains("extends beyond its grid"), clipped.get("warnings").toString());
    }

    @Test
    void textOutputCarriesTheDisclaimer() {
        CliRun run = CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--label", "2", "--zone", "5,5,5,0", "--tip", "0,0,0",
                "--direction", "1,0,0");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("DECISION SUPPORT ONLY, NOT A TREATMENT PLANNING SYSTEM."), run.out());
        assertTrue(run.out().contains("coverage: "), run.out());
        assertTrue(run.out().contains("warning: lesion not fully covered"), run.out());
    }

    @Test
    void badArgumentsAreNamed() {
        CliRun noZone = CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--tip", "0,0,0", "--direction", "0,0,1");
        assertEquals(1, noZone.exitCode());
        assertTrue(noZone.err().contains("give --device, --power and --time (or --zone A,B,C,OFFSET)"), noZone.err());
        CliRun both = CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--zone", "5,5,5,0", "--device", "amica",
                "--tip", "0,0,0", "--direction", "0,0,1");
        assertTrue(both.err().contains("--zone replaces --device/--power/--time"), both.err());
        CliRun zeroDir = CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--zone", "5,5,5,0", "--tip", "0,0,0",
                "--direction", "0,0,0");
        assertTrue(zeroDir.err().contains("zero-length vector"), zeroDir.err());
        CliRun noLabel = CliRun.of("ablation-plan", "--lesion", lesion.toString(), "--label", "7", "--zone", "5,5,5,0", "--tip", "0,0,0",
                "--direction", "0,0,1");
        assertTrue(noLabel.err().contains("no voxels with label 7"), noLabel.err());
    }

    @Test
    void listsTheDeviceTable() throws IOException {
        Path extra = dir.resolve("extra.json");
        Files.writeString(extra, "{\"devices\": [{\"device\": \"lab-rf\", \"provenance\": \"bench\", \"verified\": true, "
                + "\"rows\": [{\"power_w\": 10, \"time_s\": 60, \"semi_axes_mm\": [5, 5, 8], \"offset_mm\": 4}]}]}");
        CliRun run = CliRun.of("ablation-plan", "--list-devices", "--devices", extra.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("NOT A TREATMENT PLANNING SYSTEM"));
        assertTrue(run.out().contains("covidien-mwa") && run.out().contains("lab-rf"), run.out());
    }
}
