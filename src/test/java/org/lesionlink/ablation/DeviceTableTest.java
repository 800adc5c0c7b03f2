package org.lesionlink.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTableTest {

    private final DeviceTable table = DeviceTable.builtIn();

    @Test
    void builtInRowsAreExamplesWithProvenanceAndUnverified() {
        assertEquals(List.of("covidien-mwa", "amica", "acculis"), table.devices());
        for (String d : table.devices()) {
            for (DeviceRow r : table.rows(d)) {
                assertFalse(r.verified(), r.label());
                assertTrue(r.provenance().contains("segmentation-eval"), r.label());
            }
        }
        // Brochure round trip: 45 W 150 s is 24 x 23 mm (L x D), centre 11 mm behind the tip.
        ZoneSpec z = table.lookup("Covidien-MWA", 45, 150);
        assertEquals(11.5, z.a());
        assertEquals(11.5, z.b());
        assertEquals(12, z.c());
        assertEquals(11, z.offsetMm());
        assertFalse(z.source().interpolated());
        assertEquals(List.of("covidien-mwa 45 W 150 s"), z.source().rows());
        assertEquals(4.0 / 3 * Math.PI * 11.5 * 11.5 * 12 / 1000, z.volumeMl(), 1e-12);
    }

    @Test
    void bilinearInterpolationMatchesHandValues() {
        // Covidien between 45/75 W and 150/300 s at 60 W, 225 s: u = v = 0.5, the mean of the four corners.
        ZoneSpec z = table.lookup("covidien-mwa", 60, 225);
        assertEquals((11.5 + 13.5 + 13.5 + 15.0) / 4, z.a(), 1e-12);
        assertEquals((12.0 + 15.0 + 13.5 + 16.5) / 4, z.c(), 1e-12);
        assertEquals((11.0 + 11.0 + 11.5 + 11.5) / 4, z.offsetMm(), 1e-12);
        assertTrue(z.source().interpolated());
        assertEquals(4, z.source().rows().size());
        // On a grid line only two rows count: amica 50 W 300 s is halfway between 40 and 60 W.
        ZoneSpec y = table.lookup("amica", 50, 300);
        assertEquals((14.0 + 17.0) / 2, y.a(), 1e-12);
        assertEquals((18.0 + 24.0) / 2, y.c(), 1e-12);
        assertEquals((15.0 + 20.0) / 2, y.offsetMm(), 1e-12);
        assertEquals(List.of("amica 40 W 300 s", "amica 60 W 300 s"), y.source().rows());
        // Off-centre weights: 90 W, 400 s -> u = 0.6 between 75/100 W, v = 1/3 between 300/600 s.
        ZoneSpec x = table.lookup("covidien-mwa", 90, 400);
        double u = 0.6;
        double v = 1.0 / 3;
        double expected = (1 - u) * (1 - v) * 16.5 + u * (1 - v) * 19.5 + (1 - u) * v * 18.0 + u * v * 20.5;
        assertEquals(expected, x.c(), 1e-12);
        // A single-power device interpolates along time only.
        assertEquals((16.0 + 20.5) / 2, table.lookup("acculis", 100, 180).c(), 1e-12);
    }

    @Test
    void refusesToExtrapolateAndNamesTheRange() {
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> table.lookup("covidien-mwa", 120, 300));
        assertEquals("power 120 W is outside the table range of covidien-mwa (45 to 100 W); extrapolation is refused", p.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> table.lookup("amica", 50, 60));
        assertEquals("time 60 s is outside the table range of amica (180 to 600 s); extrapolation is refused", t.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> table.lookup("acculis", 90, 200));
        assertEquals("power 90 W is outside the table range of acculis (100 W); extrapolation is refused", one.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> table.lookup("osteocool", 10, 60));
        assertTrue(unknown.getMessage().contains("unknown device 'osteocool'") && unknown.getMessage().contains("amica"));
    }

    @Test
    void userFileAddsAndReplacesDevicesAndNeedsFullGridCorners(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("devices.json");
        Files.writeString(f, """
                {"schema": "lesionlink-ablation-devices/1",
                 "devices": [
                   {"device": "test-rf", "modality": "rf", "provenance": "bench measurement, lab notebook 7", "verified": true,
                    "rows": [
                      {"power_w": 10, "time_s": 60, "semi_axes_mm": [5, 5, 8], "offset_mm": 4},
                      {"power_w": 20, "time_s": 60, "semi_axes_mm": [7, 7, 10], "offset_mm": 4},
                      {"power_w": 10, "time_s": 120, "semi_axes_mm": [6, 6, 9], "offset_mm": 4, "verified": false,
                       "provenance": "extrapolated by hand"}
                    ]},
                   {"device": "amica", "provenance": "site-specific override", "verified": true,
                    "rows": [{"power_w": 40, "time_s": 300, "semi_axes_mm": [13, 13, 17], "offset_mm": 14}]}
                 ]}
                """);
        DeviceTable t = DeviceTable.builtIn().withFile(f);
        assertEquals(List.of("covidien-mwa", "amica", "acculis", "test-rf"), t.devices());
        assertEquals(1, t.rows("amica").size(), "the file's amica replaces the built-in one");
        ZoneSpec verified = t.lookup("test-rf", 15, 60);
        assertTrue(verified.source().verified());
        assertEquals(6, verified.a(), 1e-12);
        ZoneSpec mixed = t.lookup("test-rf", 10, 90);
        assertFalse(mixed.source().verified(), "one unverified row makes the result unverified");
        assertTrue(mixed.source().provenance().contains("extrapolated by hand"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.lookup("test-rf", 15, 90));
        assertEquals("test-rf has no row at 20 W 120 s, needed to interpolate 15 W 90 s; its rows do not form a full power x time grid there",
                e.getMessage());
    }

    @Test
    void malformedFilesAreRejectedWithTheReason(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"devices\": [{\"device\": \"x\", \"rows\": [{\"power_w\": 1, \"time_s\": 2, \"semi_axes_mm\": [1, 2, 3], \"offset_mm\": 0}]}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceTable.fromFile(f));
        assertTrue(e.getMessage().contains("needs a provenance"), e.getMessage());
        Files.writeString(f, "{\"devices\": [{\"device\": \"x\", \"provenance\": \"p\", \"rows\": [{\"power_w\": 1, \"time_s\": 2, \"semi_axes_mm\": [1, 2], \"offset_mm\": 0}]}]}");
        e = assertThrows(IllegalArgumentException.class, () -> DeviceTable.fromFile(f));
        assertTrue(e.getMessage().contains("semi_axes_mm [a, b, c]"), e.getMessage());
    }
}
