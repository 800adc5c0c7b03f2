package org.lesionlink.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiReader;

/**
 * Evaluates every case of a truth folder against the same case in each model's folder, cases in
 * parallel. Before any work, every prediction file is located; missing ones are reported together.
 * A prediction on another grid than its truth (dims, or voxel-to-world affine differing by more than
 * {@link #GRID_TOLERANCE_MM}) stops the run with an error naming the file.
 */
public final class Evaluation {

    /** Largest allowed difference between truth and prediction ijk-to-RAS affine elements, mm. */
    public static final double GRID_TOLERANCE_MM = 1e-3;

    private final CaseEvaluator evaluator;
    private final int threads;

    public Evaluation(CaseEvaluator evaluator, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.evaluator = evaluator;
        this.threads = threads;
    }

    /**
     * @param truthDir cases in a {@link CaseFiles} layout
     * @param models model name to prediction folder, in report order
     * @param progress told the number of finished cases after each case (from worker threads)
     * @return rows ordered by case, then model, region and metric
     */
    public List<Row> run(Path truthDir, Map<String, Path> models, IntConsumer progress) throws IOException {
        Map<String, Path> truth = CaseFiles.discover(truthDir);
        if (truth.isEmpty()) {
            throw new IOException("no cases in " + truthDir + " (expected CASE/seg.nii.gz or CASE.nii.gz)");
        }
        Map<String, Map<String, Path>> preds = locate(truth, models);
        List<String> modelOrder = new ArrayList<>(models.keySet());
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "evaluate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<Row>>> futures = new ArrayList<>();
            for (Map.Entry<String, Path> c : truth.entrySet()) {
                futures.add(pool.submit(() -> {
                    List<Row> rows = evaluateCase(c.getKey(), c.getValue(), modelOrder, preds.get(c.getKey()));
                    progress.accept(done.incrementAndGet());
                    return rows;
                }));
            }
            List<Row> all = new ArrayList<>();
            for (Future<List<Row>> f : futures) {
                all.addAll(f.get());
            }
            all.sort(Comparator.comparing(Row::caseId)
                    .thenComparing(r -> modelOrder.indexOf(r.model())));
            return all;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("evaluation interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Row> evaluateCase(String caseId, Path truthFile, List<String> models, Map<String, Path> preds) throws IOException {
        NiftiReader reader = new NiftiReader();
        Volume truth = reader.readVolume(truthFile);
        List<Row> rows = new ArrayList<>();
        for (String model : models) {
            Path pf = preds.get(model);
            Volume pred = reader.readVolume(pf);
            if (!pred.geometry().sameGrid(truth.geometry(), GRID_TOLERANCE_MM)) {
                throw new IOException("geometry mismatch: prediction " + pf + " (model " + model + ", case " + caseId
                        + ") has " + pred.geometry() + " but the truth " + truthFile + " has " + truth.geometry());
            }
            rows.addAll(evaluator.evaluate(caseId, model, truth, pred));
        }
        return rows;
    }

    /** Case to (model to file); throws listing every missing prediction. */
    private static Map<String, Map<String, Path>> locate(Map<String, Path> truth, Map<String, Path> models) throws IOException {
        Map<String, Map<String, Path>> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Path> m : models.entrySet()) {
            if (!java.nio.file.Files.isDirectory(m.getValue())) {
                throw new IOException("prediction folder of model " + m.getKey() + " is not a folder: " + m.getValue());
            }
        }
        for (String c : truth.keySet()) {
            Map<String, Path> byModel = new LinkedHashMap<>();
            for (Map.Entry<String, Path> m : models.entrySet()) {
                Path p = CaseFiles.find(m.getValue(), c);
                if (p == null) {
                    missing.add("model " + m.getKey() + ", case " + c + " (looked for "
                            + CaseFiles.candidates(m.getValue(), c).get(0) + " and " + m.getValue().resolve(c + ".nii.gz") + ")");
                } else {
                    byModel.put(m.getKey(), p);
                }
            }
            out.put(c, byModel);
        }
        if (!missing.isEmpty()) {
            int show = Math.min(missing.size(), 5);
            throw new IOException(missing.size() + " prediction file(s) missing: " + String.join("; ", missing.subList(0, show))
                    + (missing.size() > show ? "; and " + (missing.size() - show) + " more" : ""));
        }
        return out;
    }
}
