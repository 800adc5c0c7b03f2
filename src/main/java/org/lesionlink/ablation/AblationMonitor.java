package org.lesionlink.ablation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Live decision support for one tracked applicator: the lesion, the critical structure and the zone
 * specification are set once (their preparation is the expensive part), then every tracker update
 * {@link #update(ProbePose, long)} re-evaluates the union of the live zone and any completed ablations.
 * This is the API the OpenIGTLink server calls per TRANSFORM message; it knows nothing of the server.
 *
 * <p><b>Stale poses.</b> A pose whose timestamp is more than {@code maxPoseAge} older than the monitor's
 * clock, or older than the last pose used, is flagged stale and not used: the update carries the last
 * valid result (or none) and {@code stale = true}. Timestamps are in the clock's nanoseconds (by default
 * {@link System#nanoTime()}; the server should stamp poses on receipt with the same clock).
 *
 * <p>Thread-safe: updates are serialised. Decision support only ({@link AblationResult#DISCLAIMER}).
 */
public final class AblationMonitor {

    /** Default maximum age of a pose before it is flagged stale. */
    public static final Duration DEFAULT_MAX_POSE_AGE = Duration.ofMillis(500);

    /**
     * The result of one update.
     *
     * @param stale whether the pose was rejected as stale (then {@code result} is the last valid one, or null)
     * @param poseAgeMs age of the pose at the update, by the monitor's clock
     * @param message why the pose was stale, or empty
     * @param result the metrics of the last pose used (this one unless stale); null before any valid pose
     * @param computeNanos time spent computing the metrics (0 when stale)
     */
    public record Update(boolean stale, double poseAgeMs, String message, AblationResult result, long computeNanos) {
    }

    private final TargetLesion lesion;
    private final CriticalStructure structure;
    private final SafetyThresholds thresholds;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private final List<PlacedZone> completed = new ArrayList<>();
    private ZoneSpec liveZone;
    private AblationResult last;
    private long lastTimestamp = Long.MIN_VALUE;

    /**
     * @param structure may be null (then the status is NOT_ASSESSED)
     * @param clockNanos the clock poses are stamped with, e.g. {@code System::nanoTime}
     */
    public AblationMonitor(TargetLesion lesion, CriticalStructure structure, ZoneSpec liveZone, SafetyThresholds thresholds,
                           Duration maxPoseAge, LongSupplier clockNanos) {
        this.lesion = Objects.requireNonNull(lesion, "lesion");
        this.structure = structure;
        this.liveZone = Objects.requireNonNull(liveZone, "liveZone");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        if (maxPoseAge.isNegative() || maxPoseAge.isZero()) {
            throw new IllegalArgumentException("maximum pose age must be positive, got " + maxPoseAge);
        }
        this.maxAgeNanos = maxPoseAge.toNanos();
        this.clock = Objects.requireNonNull(clockNanos, "clockNanos");
    }

    /** With default thresholds, a 500 ms pose age limit and {@link System#nanoTime()}. */
    public AblationMonitor(TargetLesion lesion, CriticalStructure structure, ZoneSpec liveZone) {
        this(lesion, structure, liveZone, SafetyThresholds.DEFAULT, DEFAULT_MAX_POSE_AGE, System::nanoTime);
    }

    /** Changes the live zone (e.g. the operator picked another power or time). */
    public synchronized void setLiveZone(ZoneSpec zone) {
        this.liveZone = Objects.requireNonNull(zone, "zone");
    }

    /** Adds an ablation already delivered (or planned at a fixed pose); it joins the union from now on. */
    public synchronized void addCompletedAblation(PlacedZone ablation) {
        completed.add(Objects.requireNonNull(ablation, "ablation"));
    }

    public synchronized List<PlacedZone> completedAblations() {
        return List.copyOf(completed);
    }

    /** Evaluates the live zone at {@code pose} (stamped {@code timestampNanos}) with the completed ones. */
    public synchronized Update update(ProbePose pose, long timestampNanos) {
        Objects.requireNonNull(pose, "pose");
        long now = clock.getAsLong();
        long age = now - timestampNanos;
        double ageMs = age / 1e6;
        if (age > maxAgeNanos) {
            return new Update(true, ageMs, String.format(Locale.ROOT, "pose is %.0f ms old (limit %.0f ms); not used",
                    ageMs, maxAgeNanos / 1e6), last, 0);
        }
        if (timestampNanos < lastTimestamp) {
            return new Update(true, ageMs, String.format(Locale.ROOT,
                    "pose is %.1f ms older than the last pose used; not used", (lastTimestamp - timestampNanos) / 1e6), last, 0);
        }
        long t0 = System.nanoTime();
        List<PlacedZone> all = new ArrayList<>(completed);
        all.add(new PlacedZone(liveZone, pose));
        AblationResult r = AblationMetrics.evaluate(lesion, all, structure, thresholds);
        long spent = System.nanoTime() - t0;
        last = r;
        lastTimestamp = timestampNanos;
        return new Update(false, ageMs, "", r, spent);
    }
}
