"""scipy-based peer for bench/evaluate: the same evaluation as `lesionlink evaluate`, in numpy/scipy.

Usage: reference_eval.py DATA OUT LIMIT MODEL [MODEL ...]   (LIMIT: evaluate only the first LIMIT cases)
Reads DATA/truth/CASE/seg.nii.gz and DATA/MODEL/CASE.nii.gz with nibabel, computes every metric with
src/test/resources/peers/evaluation_reference.py (the tests' independent implementation: scipy.ndimage
distance_transform_edt, label, binary_dilation) and the statistics with scipy.stats (mean, SD, t 95% CI,
median/IQR, shapiro; mannwhitneyu and wilcoxon for every ordered model pair), one case at a time, and
writes OUT/cases.csv in the format of LesionLink's.
"""
import csv
import os
import sys
import warnings

import nibabel as nib
import numpy as np
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "test", "resources", "peers"))
import evaluation_reference as ref  # noqa: E402

warnings.simplefilter("ignore")
REGIONS = {"ET": [3], "TC": [1, 3], "WT": [1, 2, 3]}
HIGHER = {"dice", "sensitivity", "specificity", "lesion_dice", "lesion_tp", "lesion_sensitivity_lt5mm",
          "lesion_sensitivity_5to10mm", "lesion_sensitivity_gt10mm"}
LOWER = {"hd", "hd95", "lesion_hd95", "lesion_fp", "lesion_fn"}
TRUTH_ONLY = {"volume_true_ml", "lesion_count_true"}


def load(path):
    img = nib.load(path)
    return np.asanyarray(img.dataobj).astype(np.uint8), tuple(float(z) for z in img.header.get_zooms()[:3])


def main():
    data, out, limit, models = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    cases = sorted(c for c in os.listdir(os.path.join(data, "truth")) if not c.startswith("."))[:limit]
    rows = []
    for case in cases:
        truth, spacing = load(os.path.join(data, "truth", case, "seg.nii.gz"))
        for model in models:
            pred, _ = load(os.path.join(data, model, case + ".nii.gz"))
            for region, metrics in ref.evaluate(truth, pred, spacing, REGIONS).items():
                for metric, value in metrics.items():
                    rows.append((case, model, region, metric, value))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "cases.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case", "model", "region", "metric", "value"])
        w.writerows(rows)
    # statistics, as lesionlink evaluate computes them
    values = {}
    for case, model, region, metric, value in rows:
        values.setdefault((model, region, metric), {})[case] = value
    n_stats = 0
    for (model, region, metric), v in values.items():
        x = np.array([a for a in v.values() if np.isfinite(a)])
        if len(x) >= 2:
            mean, sd = x.mean(), x.std(ddof=1)
            stats.t.ppf(0.975, len(x) - 1)
            np.percentile(x, [25, 50, 75])
        if len(x) >= 3 and x.max() > x.min():
            stats.shapiro(x)
        n_stats += 1
    for region in REGIONS:
        for metric in {k[2] for k in values} - TRUTH_ONLY:
            alt = "greater" if metric in HIGHER else "less" if metric in LOWER else "two-sided"
            for a in models:
                for b in models:
                    if a == b:
                        continue
                    va, vb = values[(a, region, metric)], values[(b, region, metric)]
                    xa = [x for x in va.values() if np.isfinite(x)]
                    xb = [x for x in vb.values() if np.isfinite(x)]
                    if xa and xb:
                        stats.mannwhitneyu(xa, xb, alternative=alt)
                    pairs = [(va[c], vb[c]) for c in va if c in vb and np.isfinite(va[c]) and np.isfinite(vb[c])]
                    if pairs and any(p != q for p, q in pairs):
                        stats.wilcoxon([p for p, _ in pairs], [q for _, q in pairs], alternative=alt)
    print("%d cases x %d models evaluated, %d summaries" % (len(cases), len(models), n_stats))


if __name__ == "__main__":
    main()
