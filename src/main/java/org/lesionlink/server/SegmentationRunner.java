package org.lesionlink.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lesionlink.inference.LoadedModel;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.inference.SegmentReport;
import org.lesionlink.inference.Segmentation;

/**
 * Runs a job on a worker: the worker's resident model, segmentation and the JSON report (the same builder as
 * {@code lesionlink segment}); after the results went out, {@link #publish} writes report.json and the HTML
 * page with its pictures under {@code storage/jobs/<id>/}.
 */
final class SegmentationRunner implements JobQueue.Runner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ModelCatalog catalog;
    private final Path jobsDir;

    SegmentationRunner(ModelCatalog catalog, Path storage) {
        this.catalog = catalog;
        this.jobsDir = storage.resolve("jobs");
    }

    Path jobDir(String id) {
        return jobsDir.resolve(id);
    }

    @Override
    public void run(Job job, int worker) throws Exception {
        ModelPackage pkg = catalog.find(job.model())
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + job.model() + "'"));
        long t0 = System.nanoTime();
        LoadedModel model = catalog.loaded(worker, pkg);
        long t1 = System.nanoTime();
        job.timing("load-model", (t1 - t0) / 1_000_000);
        Segmentation seg = model.segment(job.inputs());
        for (Map.Entry<String, Duration> e : seg.timings().entrySet()) {
            job.timing(e.getKey(), e.getValue().toMillis());
        }
        long t2 = System.nanoTime();
        Map<String, Long> timings = new LinkedHashMap<>(job.timingsMs());
        timings.put("total-before-write", (t2 - job.submittedNanos) / 1_000_000);
        Map<String, Object> report = SegmentReport.build(pkg, job.inputNames(), job.output(), model.device(),
                catalog.options().tta(), model.threads(), seg, timings);
        report.put("job", job.id());
        report.put("source", job.source().id());
        job.timing("report", (System.nanoTime() - t2) / 1_000_000);
        job.done(seg, report);
    }

    /** report.json and report.html with its pictures, after the results went out. */
    @Override
    public void publish(Job job) throws Exception {
        long t0 = System.nanoTime();
        ModelPackage pkg = catalog.find(job.model()).orElseThrow();
        Segmentation seg = job.result();
        Path dir = jobDir(job.id());
        Files.createDirectories(dir);
        Path tmp = dir.resolve("report.json.tmp");
        Files.write(tmp, JSON.writeValueAsBytes(job.report()));
        Files.move(tmp, dir.resolve("report.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ReportPages.write(dir, job.id(), pkg.spec(), job.inputs().get(0), seg.labelMap(), seg.lesions(), job.timingsMs());
        job.timing("pages", (System.nanoTime() - t0) / 1_000_000);
    }
}
