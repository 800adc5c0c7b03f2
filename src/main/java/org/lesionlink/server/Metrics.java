package org.lesionlink.server;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

/**
 * Counters for {@code /metrics}, written in the Prometheus text exposition format (version 0.0.4). Bytes
 * are content bytes (image voxels, strings, surfaces, DICOM objects), not wire bytes with headers.
 */
public final class Metrics {

    /** Upper bounds of the job latency histogram, in seconds. */
    static final double[] BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejectedIgtl = new AtomicLong();
    private final AtomicLong rejectedDicom = new AtomicLong();
    private final AtomicLongArray latencyBuckets = new AtomicLongArray(BUCKETS.length);
    private final AtomicLong latencyCount = new AtomicLong();
    private final AtomicLong latencySumMs = new AtomicLong();
    final AtomicLong igtlBytesIn = new AtomicLong();
    final AtomicLong igtlBytesOut = new AtomicLong();
    final AtomicLong dicomBytesIn = new AtomicLong();
    final AtomicLong dicomBytesOut = new AtomicLong();
    final AtomicLong httpBytesOut = new AtomicLong();
    final AtomicLong igtlConnectionsTotal = new AtomicLong();

    void rejected(Job.Source source) {
        (source == Job.Source.IGTL ? rejectedIgtl : rejectedDicom).incrementAndGet();
    }

    void finished(Job job) {
        (job.state() == Job.State.DONE ? done : failed).incrementAndGet();
        long ms = job.elapsedMs();
        latencyCount.incrementAndGet();
        latencySumMs.addAndGet(ms);
        for (int b = 0; b < BUCKETS.length; b++) {
            if (ms <= BUCKETS[b] * 1000) {
                latencyBuckets.incrementAndGet(b);
            }
        }
    }

    /** The exposition text; the gauges are read now. */
    String render(JobQueue queue, IntSupplier igtlConnections) {
        StringBuilder s = new StringBuilder();
        int queued = queue.depth();
        int running = queue.runningCount();
        s.append("# HELP lesionlink_jobs Jobs by state (queued and running now; done and failed since start).\n");
        s.append("# TYPE lesionlink_jobs gauge\n");
        line(s, "lesionlink_jobs{state=\"queued\"}", queued);
        line(s, "lesionlink_jobs{state=\"running\"}", running);
        line(s, "lesionlink_jobs{state=\"done\"}", done.get());
        line(s, "lesionlink_jobs{state=\"failed\"}", failed.get());
        s.append("# HELP lesionlink_jobs_rejected_total Jobs refused because the queue was full.\n");
        s.append("# TYPE lesionlink_jobs_rejected_total counter\n");
        line(s, "lesionlink_jobs_rejected_total{source=\"igtl\"}", rejectedIgtl.get());
        line(s, "lesionlink_jobs_rejected_total{source=\"dicom\"}", rejectedDicom.get());
        s.append("# HELP lesionlink_queue_depth Jobs waiting for a worker.\n");
        s.append("# TYPE lesionlink_queue_depth gauge\n");
        line(s, "lesionlink_queue_depth", queued);
        s.append("# HELP lesionlink_job_latency_seconds From submission to result, finished jobs.\n");
        s.append("# TYPE lesionlink_job_latency_seconds histogram\n");
        for (int b = 0; b < BUCKETS.length; b++) {
            line(s, "lesionlink_job_latency_seconds_bucket{le=\"" + fmt(BUCKETS[b]) + "\"}", latencyBuckets.get(b));
        }
        line(s, "lesionlink_job_latency_seconds_bucket{le=\"+Inf\"}", latencyCount.get());
        s.append("lesionlink_job_latency_seconds_sum ").append(fmt(latencySumMs.get() / 1000.0)).append('\n');
        line(s, "lesionlink_job_latency_seconds_count", latencyCount.get());
        s.append("# HELP lesionlink_bytes_total Content bytes received and sent, per protocol.\n");
        s.append("# TYPE lesionlink_bytes_total counter\n");
        line(s, "lesionlink_bytes_total{protocol=\"igtl\",direction=\"in\"}", igtlBytesIn.get());
        line(s, "lesionlink_bytes_total{protocol=\"igtl\",direction=\"out\"}", igtlBytesOut.get());
        line(s, "lesionlink_bytes_total{protocol=\"dicom\",direction=\"in\"}", dicomBytesIn.get());
        line(s, "lesionlink_bytes_total{protocol=\"dicom\",direction=\"out\"}", dicomBytesOut.get());
        line(s, "lesionlink_bytes_total{protocol=\"http\",direction=\"out\"}", httpBytesOut.get());
        s.append("# HELP lesionlink_connections Open connections.\n");
        s.append("# TYPE lesionlink_connections gauge\n");
        line(s, "lesionlink_connections{protocol=\"igtl\"}", igtlConnections.getAsInt());
        s.append("# HELP lesionlink_connections_total Connections accepted since start.\n");
        s.append("# TYPE lesionlink_connections_total counter\n");
        line(s, "lesionlink_connections_total{protocol=\"igtl\"}", igtlConnectionsTotal.get());
        return s.toString();
    }

    private static void line(StringBuilder s, String name, long v) {
        s.append(name).append(' ').append(v).append('\n');
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }
}
