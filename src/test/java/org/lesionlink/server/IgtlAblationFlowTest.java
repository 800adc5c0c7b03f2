package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lesionlink.server.ServerFixtures.next;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.ablation.AblationMetrics;
import org.lesionlink.ablation.AblationResult;
import org.lesionlink.ablation.AblationZone;
import org.lesionlink.ablation.CriticalStructure;
import org.lesionlink.ablation.Ellipsoid;
import org.lesionlink.ablation.PlacedZone;
import org.lesionlink.ablation.Point3;
import org.lesionlink.ablation.PrfParams;
import org.lesionlink.ablation.ProbePose;
import org.lesionlink.ablation.SafetyThresholds;
import org.lesionlink.ablation.TargetLesion;
import org.lesionlink.ablation.ZoneSpec;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.IgtlTimestamp;
import org.lesionlink.igtl.message.CommandMessage;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ImageVolumes;
import org.lesionlink.igtl.message.PolyDataMessage;
import org.lesionlink.igtl.message.RtsCommandMessage;
import org.lesionlink.igtl.message.ScalarType;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;

/**
 * Section 7 of server-conventions.md against a running server (no models needed), with the Java client: analytic
 * phantoms ({@link AblationFixtures}) with known coverage, margin and distances; the server's figures must equal
 * the in-process {@link AblationMetrics} ones; bad input answered with a STATUS naming the problem.
 */
@Timeout(120)
class IgtlAblationFlowTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static LesionLinkServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LesionLinkServer.start(ServerFixtures.config(tmp.resolve("storage"), tmp.resolve("no-models")));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static IgtlClient client() throws Exception {
        return IgtlClient.connect("127.0.0.1", server.igtlPort());
    }

    private static JsonNode command(IgtlClient c, String id, String text) throws Exception {
        c.send(StringMessage.of(Envelope.v1("CMD_" + id), text)).get();
        return JSON.readTree(next(c, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_" + id), T).text());
    }

    private static StatusMessage ablationStatus(IgtlClient c) throws Exception {
        return next(c, StatusMessage.class, m -> m.envelope().deviceName().equals("Ablation"), T);
    }

    /** Lesion, canal and a 15 mm spherical zone (centre at the tip) with WARN < 10 mm, STOP < 5 mm. */
    private static void setUp(IgtlClient c) throws Exception {
        c.send(ImageVolumes.fromVolume(Envelope.v1("AblationLesion"), AblationFixtures.lesion())).get();
        assertEquals(1, ablationStatus(c).code());
        c.send(ImageVolumes.fromVolume(Envelope.v1("AblationCritical"), AblationFixtures.canal(3))).get();
        assertEquals(1, ablationStatus(c).code());
        // A generous pose age: a loaded test machine must not make poses stale (stalePosesAreFlaggedNotUsed sets its own).
        JsonNode plan = command(c, "1", "AblationPlan {\"zone\": [15, 15, 15, 0], \"warnMm\": 10, \"stopMm\": 5, "
                + "\"criticalName\": \"spinal canal\", \"maxPoseAgeMs\": 10000}");
        assertEquals("SUCCESS", plan.get("status").asText(), plan.toString());
        assertEquals("image", plan.get("lesion").asText());
        assertEquals("NeedleToReference", plan.get("probe").asText());
    }

    private static TransformMessage needle(double x, double y, double z, long stamp) {
        return new TransformMessage(Envelope.v1("NeedleToReference").withTimestamp(stamp), TransformMatrix.translation(x, y, z));
    }

    /** The same figures computed in-process. */
    private static AblationResult expected(Point3 tip, List<Point3> committed) {
        TargetLesion lesion = TargetLesion.of(AblationFixtures.lesion(), 1);
        CriticalStructure canal = CriticalStructure.of("spinal canal", AblationFixtures.canal(3), 3);
        ZoneSpec z = ZoneSpec.manual(15, 15, 15, 0);
        List<PlacedZone> zones = new ArrayList<>();
        for (Point3 p : committed) {
            zones.add(new PlacedZone(z, new ProbePose(p, new Point3(0, 0, 1))));
        }
        zones.add(new PlacedZone(z, new ProbePose(tip, new Point3(0, 0, 1))));
        return AblationMetrics.evaluate(lesion, zones, canal, new SafetyThresholds(10, 5));
    }

    @Test
    void poseUpdatesGiveKnownCoverageMarginAndDistances() throws Exception {
        try (IgtlClient c = client()) {
            setUp(c);
            long stamp = IgtlTimestamp.fromEpochNanos(1_700_000_000_000_000_000L);
            c.send(needle(0, 0, 0, stamp)).get();
            ImageMessage zone = next(c, ImageMessage.class, m -> m.envelope().deviceName().equals("AblationZone"), T);
            PolyDataMessage surface = next(c, PolyDataMessage.class, m -> m.envelope().deviceName().equals("AblationZoneSurface"), T);
            StringMessage reportMsg = next(c, StringMessage.class, m -> m.envelope().deviceName().equals("AblationReport"), T);
            StatusMessage status = ablationStatus(c);
            JsonNode r = JSON.readTree(reportMsg.text()).get("result");

            // Concentric spheres: all covered, minimal margin 15 - (largest surface-voxel radius <= 10) mm.
            assertEquals(100.0, r.get("coverage_percent").asDouble(), 1e-9);
            assertTrue(r.get("min_margin_mm").asDouble() >= 5.0 && r.get("min_margin_mm").asDouble() < 5.6, r.toString());
            assertEquals(1.0, r.get("margin_fractions").get("ge5").asDouble(), 1e-9);
            // Canal surface nearest the origin: voxel centre (+-0.5, -23.5, +-0.5) -> 23.51 mm from the tip, 8.5 from the zone.
            assertEquals(Math.sqrt(0.5 + 23.5 * 23.5), r.get("tip_critical_distance_mm").asDouble(), 1e-3);
            assertEquals(Math.sqrt(0.5 + 23.5 * 23.5) - 15, r.get("critical_distance_mm").asDouble(), 1e-3);
            assertEquals("WARN", r.get("status").asText());
            AblationResult want = expected(Point3.ORIGIN, List.of());
            assertEquals(want.margins().minMarginMm(), r.get("min_margin_mm").asDouble(), 1e-3);
            assertEquals(want.critical().zoneDistanceMm(), r.get("critical_distance_mm").asDouble(), 1e-3);

            assertEquals("WARN", status.errorName());
            assertEquals(1, status.code());
            assertTrue(status.message().startsWith("WARN: coverage 100.0 %"), status.message());
            assertTrue(status.message().contains("spinal canal"), status.message());
            assertEquals(stamp, status.envelope().timestamp(), "the pose's timestamp");

            // The zone labelmap: uint8 on the lesion box + 30 mm, i.e. 4/3 pi 15^3 voxels give or take the boundary.
            assertEquals(ScalarType.UINT8, zone.scalarType());
            int inside = 0;
            ByteBuffer px = zone.pixels();
            while (px.hasRemaining()) {
                inside += px.get() != 0 ? 1 : 0;
            }
            assertEquals(4.0 / 3 * Math.PI * 15 * 15 * 15, inside, 0.02 * 4.0 / 3 * Math.PI * 15 * 15 * 15);
            assertTrue(surface.pointCount() > 100);

            // Towards the canal: coverage drops, the zone is 1.5 mm from it: STOP (code 3).
            c.send(needle(0, -7, 0, stamp + (1L << 32))).get();
            JsonNode r2 = JSON.readTree(next(c, StringMessage.class, m -> m.envelope().deviceName().equals("AblationReport"), T)
                    .text()).get("result");
            StatusMessage stop = ablationStatus(c);
            assertEquals("STOP", r2.get("status").asText());
            assertEquals(Math.sqrt(0.5 + 16.5 * 16.5) - 15, r2.get("critical_distance_mm").asDouble(), 1e-3);
            assertEquals(expected(new Point3(0, -7, 0), List.of()).margins().coveragePercent(), r2.get("coverage_percent").asDouble(),
                    1e-3);
            assertTrue(r2.get("coverage_percent").asDouble() < 100);
            assertEquals(3, stop.code());
            assertEquals("STOP", stop.errorName());
        }
    }

    @Test
    void committedAblationsCombineAsAUnionAndResetClearsThem() throws Exception {
        try (IgtlClient c = client()) {
            setUp(c);
            c.send(StringMessage.of(Envelope.v1("CMD_2"), "AblationPlan {\"zone\": [6, 6, 6, 0]}")).get();
            c.send(needle(0, 0, 6, 0)).get();
            next(c, StringMessage.class, m -> m.envelope().deviceName().equals("AblationReport"), T);
            JsonNode commit = command(c, "3", "AblationCommit");
            assertEquals("SUCCESS", commit.get("status").asText(), commit.toString());
            assertEquals(1, commit.get("ablations").asInt());
            c.send(needle(0, 0, -6, 0)).get();
            JsonNode report = JSON.readTree(next(c, StringMessage.class, m -> m.envelope().deviceName().equals("AblationReport")
                    && m.text().contains("\"ablations_committed\":1"), T).text());
            JsonNode r = report.get("result");
            assertEquals(2, r.get("zones").size());
            TargetLesion lesion = TargetLesion.of(AblationFixtures.lesion(), 1);
            ZoneSpec z = ZoneSpec.manual(6, 6, 6, 0);
            Point3 up = new Point3(0, 0, 1);
            Ellipsoid first = new PlacedZone(z, new ProbePose(new Point3(0, 0, 6), up)).ellipsoid();
            Ellipsoid second = new PlacedZone(z, new ProbePose(new Point3(0, 0, -6), up)).ellipsoid();
            double union = AblationMetrics.margins(lesion, AblationZone.of(first, second)).coveragePercent();
            double single = AblationMetrics.margins(lesion, AblationZone.of(second)).coveragePercent();
            assertEquals(union, r.get("coverage_percent").asDouble(), 1e-3);
            assertTrue(union > single + 10, union + " vs " + single);

            JsonNode reset = command(c, "4", "AblationReset");
            assertEquals("SUCCESS", reset.get("status").asText());
            c.send(needle(0, 0, -6, 0)).get();
            JsonNode after = JSON.readTree(next(c, StringMessage.class, m -> m.envelope().deviceName().equals("AblationReport")
                    && m.text().contains("\"ablations_committed\":0"), T).text()).get("result");
            assertEquals(single, after.get("coverage_percent").asDouble(), 1e-3);
        }
    }

    @Test
    void newestPoseWinsAndNoStalePoseIsEvaluatedAfterANewerOne() throws Exception {
        try (IgtlClient c = client()) {
            setUp(c);
            int n = 60;
            for (int i = 0; i < n; i++) {
                c.send(needle(0, 0, i * 0.05, 0));
            }
            c.send(StringMessage.of(Envelope.v1("CMD_9"), "GetAblation")).get();
            List<Double> tips = new ArrayList<>();
            while (true) {
                Object o = c.receive(T);
                if (o instanceof StringMessage s && s.envelope().deviceName().equals("AblationReport")) {
                    tips.add(JSON.readTree(s.text()).get("result").get("zone").get("tip_ras").get(2).asDouble());
                } else if (o instanceof StringMessage s && s.envelope().deviceName().equals("ACK_9")) {
                    break; // control messages are handled after the newest frame that preceded them
                }
            }
            assertFalse(tips.isEmpty());
            assertEquals((n - 1) * 0.05, tips.get(tips.size() - 1), 1e-4, "the newest pose is evaluated last");
            for (int i = 1; i < tips.size(); i++) {
                assertTrue(tips.get(i) > tips.get(i - 1), "poses in order, none twice: " + tips);
            }
            assertTrue(tips.size() <= n);
        }
    }

    @Test
    void stalePosesAreFlaggedNotUsed() throws Exception {
        try (IgtlClient c = IgtlClient.builder().assumePeerHeaderVersion(2)
                .connect(new java.net.InetSocketAddress("127.0.0.1", server.igtlPort()))) {
            setUp(c);
            assertEquals("SUCCESS", command(c, "5", "AblationPlan {\"poseClock\": \"header\", \"maxPoseAgeMs\": 3000}")
                    .get("status").asText());
            long old = IgtlTimestamp.fromEpochNanos((System.currentTimeMillis() - 20_000) * 1_000_000L);
            c.send(needle(0, 0, 0, old)).get();
            StatusMessage s = ablationStatus(c);
            assertEquals("STALE", s.errorName());
            assertEquals(7, s.code());
            assertTrue(s.message().contains("limit 3000 ms"), s.message());
            long now = IgtlTimestamp.fromEpochNanos(System.currentTimeMillis() * 1_000_000L);
            c.send(needle(0, 0, 0, now)).get();
            assertEquals("WARN", ablationStatus(c).errorName());
            // PLUS marks a lost tool in v3 metadata: not used either.
            c.send(new TransformMessage(Envelope.v2("NeedleToReference", Map.of("TransformStatus", "MISSING")).withTimestamp(now),
                    TransformMatrix.translation(0, 0, 0))).get();
            StatusMessage invalid = ablationStatus(c);
            assertEquals("INVALID_POSE", invalid.errorName());
            assertTrue(invalid.message().contains("TransformStatus=MISSING"), invalid.message());
        }
    }

    @Test
    void badInputIsAnsweredWithAStatusNamingTheProblem() throws Exception {
        try (IgtlClient c = client()) {
            // A pose before any plan, then before any lesion.
            c.send(needle(0, 0, 0, 0)).get();
            StatusMessage noPlan = ablationStatus(c);
            assertEquals(13, noPlan.code());
            assertTrue(noPlan.message().contains("no ablation plan"), noPlan.message());
            assertEquals("SUCCESS", command(c, "1", "AblationPlan {\"zone\": [10, 10, 12, 2]}").get("status").asText());
            c.send(needle(0, 0, 0, 0)).get();
            StatusMessage noLesion = ablationStatus(c);
            assertEquals(13, noLesion.code());
            assertTrue(noLesion.message().contains("no target lesion"), noLesion.message());

            JsonNode unknown = command(c, "2", "AblationPlan {\"device\": \"no-such-probe\", \"power\": 50, \"time\": 300}");
            assertEquals("FAIL", unknown.get("status").asText());
            assertTrue(unknown.get("error").asText().contains("unknown ablation device 'no-such-probe'"), unknown.toString());
            StatusMessage s = ablationStatus(c);
            assertEquals(10, s.code());
            assertTrue(s.message().contains("no-such-probe"), s.message());

            JsonNode extrapolated = command(c, "3", "AblationPlan {\"device\": \"covidien-mwa\", \"power\": 500, \"time\": 300}");
            assertEquals("FAIL", extrapolated.get("status").asText());
            assertTrue(extrapolated.get("error").asText().contains("extrapolation is refused"), extrapolated.toString());
            assertTrue(ablationStatus(c).message().contains("extrapolation is refused"));

            JsonNode typo = command(c, "4", "AblationPlan {\"powr\": 50}");
            assertTrue(typo.get("error").asText().contains("unknown AblationPlan argument 'powr'"), typo.toString());
            assertTrue(ablationStatus(c).message().contains("'powr'"));
            JsonNode bad = command(c, "5", "AblationPlan [1, 2]");
            assertTrue(bad.get("error").asText().contains("must be a JSON object"), bad.toString());
            assertEquals(10, ablationStatus(c).code());

            // The plan that was valid before the failures is still in force.
            JsonNode get = command(c, "6", "GetAblation");
            assertEquals(12.0, get.get("zone").get("semi_axes_mm").get(2).asDouble());

            // An empty lesion labelmap.
            c.send(ImageVolumes.fromVolume(Envelope.v1("AblationLesion"), Volume.ofBytes(AblationFixtures.GRID,
                    new byte[(int) AblationFixtures.GRID.voxelCount()]))).get();
            assertTrue(ablationStatus(c).message().startsWith("lesion labelmap received"));
            c.send(needle(0, 0, 0, 0)).get();
            StatusMessage empty = ablationStatus(c);
            assertEquals(12, empty.code());
            assertTrue(empty.message().contains("AblationLesion") && empty.message().contains("no voxels"), empty.message());

            // Commit with nothing evaluated.
            assertTrue(command(c, "7", "AblationCommit").get("error").asText().contains("nothing to commit"));
        }
    }

    @Test
    void labelImagesAreCheckedAndRolesComeFromMetadata() throws Exception {
        try (IgtlClient c = IgtlClient.builder().assumePeerHeaderVersion(2)
                .connect(new java.net.InetSocketAddress("127.0.0.1", server.igtlPort()))) {
            Volume twoComponents = Volume.allocate(AblationFixtures.GRID, org.lesionlink.image.DataType.UINT8, 2).build();
            c.send(ImageVolumes.fromVolume(Envelope.v1("AblationLesion"), twoComponents)).get();
            StatusMessage bad = ablationStatus(c);
            assertEquals(12, bad.code());
            assertTrue(bad.message().contains("IMAGE AblationLesion: a lesion labelmap has one component, got 2"), bad.message());
            c.send(ImageVolumes.fromVolume(Envelope.v2("Segmentation", Map.of("lesionlink.role", "tumour")),
                    AblationFixtures.lesion())).get();
            StatusMessage role = ablationStatus(c);
            assertEquals(12, role.code());
            assertTrue(role.message().contains("unknown lesionlink.role 'tumour'"), role.message());
            // Any device name with the role in metadata.
            c.send(ImageVolumes.fromVolume(Envelope.v2("MyLesion", Map.of("lesionlink.role", "lesion")),
                    AblationFixtures.lesion())).get();
            assertTrue(ablationStatus(c).message().startsWith("lesion labelmap received (MyLesion"));
        }
    }

    @Test
    void v3CommandsAndAPoseByCommand() throws Exception {
        try (IgtlClient c = IgtlClient.builder().assumePeerHeaderVersion(2)
                .connect(new java.net.InetSocketAddress("127.0.0.1", server.igtlPort()))) {
            setUp(c);
            c.send(new CommandMessage(Envelope.v2("LesionLink", Map.of()), 7, "AblationPose", 3,
                    "{\"tip\": [0, 0, 0], \"direction\": [0, 0, 1]}")).get();
            RtsCommandMessage rts = next(c, RtsCommandMessage.class, m -> m.commandId() == 7, T);
            assertEquals("SUCCESS", rts.envelope().metadata().get("Status"));
            JsonNode r = JSON.readTree(rts.command()).get("report").get("result");
            assertEquals(100.0, r.get("coverage_percent").asDouble(), 1e-9);
            c.send(new CommandMessage(Envelope.v2("LesionLink", Map.of()), 8, "AblationPlan", 3,
                    "{\"device\": \"nope\", \"power\": 1, \"time\": 1}")).get();
            RtsCommandMessage fail = next(c, RtsCommandMessage.class, m -> m.commandId() == 8, T);
            assertEquals("FAIL", fail.envelope().metadata().get("Status"));
            assertTrue(fail.envelope().metadata().get("Error").contains("unknown ablation device"));
        }
    }

    @Test
    void registrationAndProbeAxisPlaceTheTip() throws Exception {
        try (IgtlClient c = client()) {
            setUp(c);
            assertEquals("SUCCESS", command(c, "1", "AblationPlan {\"probe\": \"StylusTipToTracker\", \"registration\": "
                    + "\"TrackerToRas\", \"probeAxis\": \"-x\", \"zone\": [5, 5, 20, 0]}").get("status").asText());
            // Tracker to RAS: a translation by (0, 0, -100); the tool at (0, 0, 100) in tracker space lands on the origin.
            c.send(new TransformMessage(Envelope.v1("TrackerToRas"), TransformMatrix.translation(0, 0, -100))).get();
            c.send(new TransformMessage(Envelope.v1("StylusTipToTracker"), TransformMatrix.translation(0, 0, 100))).get();
            JsonNode zone = JSON.readTree(next(c, StringMessage.class, m -> m.envelope().deviceName().equals("AblationReport"), T)
                    .text()).get("result").get("zone");
            assertEquals(0.0, zone.get("tip_ras").get(2).asDouble(), 1e-4);
            assertEquals(-1.0, zone.get("direction_ras").get(0).asDouble(), 1e-6, "probe axis -x of the tool");
        }
    }

    @Test
    void thermometryStreamGivesTemperatureDoseAndAlarms() throws Exception {
        Geometry g = AblationFixtures.GRID;
        double perDegree = PrfParams.of(3, 0.01).radiansPerDegree();
        float[] zero = new float[(int) g.voxelCount()];
        Volume lesionMask = AblationFixtures.lesion();
        Volume canal = AblationFixtures.canal(1);
        try (IgtlClient c = client()) {
            setUp(c);
            assertEquals("SUCCESS", command(c, "1", "Thermometry {\"b0\": 3, \"te\": 0.01, \"criticalLimitC\": 45}")
                    .get("status").asText());
            long t0 = IgtlTimestamp.fromEpochNanos(1_700_000_000L * 1_000_000_000L);
            c.send(ImageVolumes.fromVolume(Envelope.v1("ThermPhase").withTimestamp(t0), Volume.ofFloats(g, zero))).get();
            StatusMessage base = next(c, StatusMessage.class, m -> m.envelope().deviceName().equals("Thermometry"), T);
            assertTrue(base.message().startsWith("baseline set"), base.message());
            // One minute at 60 C in the lesion: CEM43 = 1 min * 2^17 >> 240.
            float[] hot = new float[zero.length];
            for (int i = 0; i < hot.length; i++) {
                hot[i] = lesionMask.value(0, i) != 0 ? (float) (perDegree * 23) : 0f;
            }
            c.send(ImageVolumes.fromVolume(Envelope.v1("ThermPhase").withTimestamp(t0 + (60L << 32)), Volume.ofFloats(g, hot))).get();
            ImageMessage temp = next(c, ImageMessage.class, m -> m.envelope().deviceName().equals("ThermTemperature"), T);
            next(c, ImageMessage.class, m -> m.envelope().deviceName().equals("ThermDose"), T);
            next(c, ImageMessage.class, m -> m.envelope().deviceName().equals("ThermDamage"), T);
            PolyDataMessage iso = next(c, PolyDataMessage.class, m -> m.envelope().deviceName().equals("ThermIsodose240"), T);
            JsonNode rep = JSON.readTree(next(c, StringMessage.class, m -> m.envelope().deviceName().equals("ThermReport"), T).text());
            StatusMessage ok = next(c, StatusMessage.class, m -> m.envelope().deviceName().equals("Thermometry"), T);
            FloatBufferCheck.assertTemperature(temp, lesionMask, 60, 37);
            assertTrue(iso.pointCount() > 0);
            assertEquals(100.0, rep.get("lesion_percent_cem240").asDouble(), 1e-9);
            assertEquals(60.0, rep.get("max_temperature_c").asDouble(), 1e-3);
            assertEquals(1, ok.code());
            // The canal at 50 C: STOP with the alarm.
            float[] canalHot = hot.clone();
            for (int i = 0; i < hot.length; i++) {
                if (canal.value(0, i) != 0) {
                    canalHot[i] = (float) (perDegree * 13);
                }
            }
            c.send(ImageVolumes.fromVolume(Envelope.v1("ThermPhase").withTimestamp(t0 + (70L << 32)), Volume.ofFloats(g, canalHot)))
                    .get();
            StatusMessage stop = next(c, StatusMessage.class, m -> m.envelope().deviceName().equals("Thermometry"), T);
            assertEquals(3, stop.code());
            assertTrue(stop.message().contains("critical structure above 45.0 C: 50.0 C"), stop.message());
            // A frame that is not after the previous one.
            c.send(ImageVolumes.fromVolume(Envelope.v1("ThermPhase").withTimestamp(t0 + (65L << 32)), Volume.ofFloats(g, hot))).get();
            StatusMessage late = next(c, StatusMessage.class, m -> m.envelope().deviceName().equals("Thermometry"), T);
            assertEquals(12, late.code());
            assertTrue(late.message().contains("is not after the previous frame"), late.message());
        }
    }

    @Test
    void thermometryWithoutB0AndTeIsNotReady() throws Exception {
        try (IgtlClient c = client()) {
            c.send(ImageVolumes.fromVolume(Envelope.v1("ThermPhase"), Volume.ofFloats(AblationFixtures.GRID,
                    new float[(int) AblationFixtures.GRID.voxelCount()]))).get();
            StatusMessage s = next(c, StatusMessage.class, m -> m.envelope().deviceName().equals("Thermometry"), T);
            assertEquals(13, s.code());
            assertTrue(s.message().contains("needs B0 and TE"), s.message());
        }
    }

    /** Reads a float32 IMAGE's voxels. */
    static final class FloatBufferCheck {
        static void assertTemperature(ImageMessage m, Volume mask, double inside, double outside) {
            assertEquals(ScalarType.FLOAT32, m.scalarType());
            ByteBuffer b = m.pixels().order(m.endian() == null ? ByteOrder.LITTLE_ENDIAN : m.endian());
            int n = mask.voxelsPerChannel();
            assertNotNull(b);
            for (int i = 0; i < n; i++) {
                double want = mask.value(0, i) != 0 ? inside : outside;
                assertEquals(want, b.getFloat(4 * i), 1e-3, "voxel " + i);
            }
        }
    }
}
