package org.lesionlink.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lesionlink.inference.post.Lesion;

/**
 * The JSON report of one segmented case (lesion table, volumes per label and region, model, inputs, stage
 * timings), as a tree of maps and lists ready for Jackson. One builder for {@code lesionlink segment} and
 * {@code lesionlink serve}, so that both write the same format.
 */
public final class SegmentReport {

    private SegmentReport() {}

    /**
     * @param inputs channel to source (a file name, or an OpenIGTLink device), in model order
     * @param output where the label map went (file or device name)
     * @param timingsMs stage timings in milliseconds, in order; copied into the report as given
     */
    public static Map<String, Object> build(ModelPackage pkg, Map<String, String> inputs, String output, String device,
            boolean tta, int threads, Segmentation seg, Map<String, Long> timingsMs) {
        ModelSpec ms = pkg.spec();
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", ms.name());
        m.put("version", ms.version());
        m.put("task", ms.task().id());
        m.put("folder", pkg.folder().toAbsolutePath().normalize().toString());
        m.put("engine", ms.engine().id());
        m.put("folds", ms.folds().size());
        r.put("model", m);
        r.put("inputs", new LinkedHashMap<>(inputs));
        r.put("output", output);
        r.put("device", device);
        r.put("tta", tta);
        r.put("threads", threads);

        List<Object> labels = new ArrayList<>();
        for (ModelSpec.Label l : ms.labels()) {
            labels.add(Map.of("value", l.value(), "name", l.name()));
        }
        r.put("labels", labels);
        Map<String, Double> byLabel = new LinkedHashMap<>();
        Map<String, Double> byRegion = new LinkedHashMap<>();
        ms.labels().forEach(l -> byLabel.put(l.name(), 0.0));
        ms.regions().forEach(g -> byRegion.put(g.name(), 0.0));
        double total = 0;
        List<Object> lesions = new ArrayList<>();
        for (Lesion l : seg.lesions()) {
            l.labelVolumesMl().forEach((k, v) -> byLabel.merge(k, v, Double::sum));
            l.regionVolumesMl().forEach((k, v) -> byRegion.merge(k, v, Double::sum));
            total += l.volumeMl();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", l.id());
            e.put("voxels", l.voxels());
            e.put("volumeMl", l.volumeMl());
            e.put("labelVolumesMl", l.labelVolumesMl());
            e.put("regionVolumesMl", l.regionVolumesMl());
            e.put("longestDiameterMm", l.longestDiameterMm());
            e.put("centroidRas", l.centroidRas());
            lesions.add(e);
        }
        Map<String, Object> volumes = new LinkedHashMap<>();
        volumes.put("totalMl", total);
        volumes.put("labelsMl", byLabel);
        volumes.put("regionsMl", byRegion);
        r.put("volumes", volumes);
        r.put("lesionCount", lesions.size());
        r.put("lesions", lesions);
        r.put("timingsMs", timingsMs);
        return r;
    }
}
