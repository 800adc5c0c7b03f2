package org.lesionlink.server;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.lesionlink.image.Volume;
import org.lesionlink.inference.Segmentation;

/**
 * One segmentation job: a case (volumes in the model's channel order), where it came from, its state and
 * per-stage timings, and, when done, its report and result. Thread-safe for readers (HTTP, GetJob).
 */
public final class Job {

    public enum State {
        QUEUED, RUNNING, DONE, FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the job came from; interventional (OpenIGTLink) jobs run before PACS (DICOM) jobs. */
    public enum Source {
        IGTL(0), DICOM(1);

        final int priority;

        Source(int priority) {
            this.priority = priority;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String id;
    private final Source source;
    private final String model;
    private final Map<String, String> inputNames;
    private final String output;
    private final Instant submitted = Instant.now();
    final long submittedNanos = System.nanoTime();
    private final Map<String, Long> timingsMs = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile List<Volume> inputs;
    private volatile State state = State.QUEUED;
    private volatile String error;
    private volatile Map<String, Object> report;
    private volatile Segmentation result;
    private volatile long finishedNanos;
    final Consumer<Job> onFinish;

    /**
     * @param inputNames channel to source name (device or series), in the model's channel order
     * @param inputs the volumes in the same order
     * @param onFinish called on the worker once the job is done or failed (sends the results)
     */
    public Job(String id, Source source, String model, Map<String, String> inputNames, List<Volume> inputs, String output,
            Consumer<Job> onFinish) {
        this.id = id;
        this.source = source;
        this.model = model;
        this.inputNames = Collections.unmodifiableMap(new LinkedHashMap<>(inputNames));
        this.inputs = List.copyOf(inputs);
        this.output = output;
        this.onFinish = onFinish;
    }

    public String id() {
        return id;
    }

    public Source source() {
        return source;
    }

    public String model() {
        return model;
    }

    public Map<String, String> inputNames() {
        return inputNames;
    }

    public List<Volume> inputs() {
        return inputs;
    }

    public String output() {
        return output;
    }

    public Instant submitted() {
        return submitted;
    }

    public State state() {
        return state;
    }

    public String error() {
        return error;
    }

    public Map<String, Object> report() {
        return report;
    }

    public Segmentation result() {
        return result;
    }

    public Map<String, Long> timingsMs() {
        synchronized (timingsMs) {
            return new LinkedHashMap<>(timingsMs);
        }
    }

    /** Milliseconds from submission to the end, or to now while it runs. */
    public long elapsedMs() {
        long end = finishedNanos != 0 ? finishedNanos : System.nanoTime();
        return (end - submittedNanos) / 1_000_000;
    }

    void timing(String stage, long ms) {
        timingsMs.put(stage, ms);
    }

    void running() {
        state = State.RUNNING;
    }

    void done(Segmentation seg, Map<String, Object> report) {
        this.result = seg;
        this.report = report;
        this.finishedNanos = System.nanoTime();
        this.state = State.DONE;
    }

    void failed(String message) {
        this.error = message;
        this.finishedNanos = System.nanoTime();
        this.state = State.FAILED;
    }

    /** Frees the images and the label map once results are sent; report and timings stay. */
    void release() {
        inputs = List.of();
        result = null;
    }

    /** Status and timings (and the report when done) as a JSON tree. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", id);
        m.put("state", state.id());
        m.put("source", source.id());
        m.put("model", model);
        m.put("inputs", inputNames);
        m.put("output", output);
        m.put("submitted", submitted.toString());
        m.put("elapsedMs", elapsedMs());
        m.put("timingsMs", timingsMs());
        if (error != null) {
            m.put("error", error);
        }
        if (report != null) {
            m.put("report", report);
        }
        return m;
    }
}
