"""Peer for org.lesionlink.evaluation.stats tests: runs scipy.stats on the jobs in a JSON file.

Usage: stats_reference.py JOBS.json  -> prints one JSON list, one result per job.
A job is {"kind": "shapiro"|"mannwhitneyu"|"wilcoxon"|"t_ppf"|"t_cdf"|"norm_sf", ...}; the tests use
scipy's defaults except for the alternative, which each job names.
"""
import json
import sys
import warnings

import numpy as np
from scipy import stats

warnings.simplefilter("ignore")


def run(job):
    kind = job["kind"]
    if kind == "shapiro":
        r = stats.shapiro(np.asarray(job["x"], dtype=float))
        return {"w": float(r.statistic), "p": float(r.pvalue)}
    if kind == "mannwhitneyu":
        r = stats.mannwhitneyu(job["x"], job["y"], alternative=job["alternative"])
        return {"statistic": float(r.statistic), "p": float(r.pvalue)}
    if kind == "wilcoxon":
        r = stats.wilcoxon(job["x"], job["y"], alternative=job["alternative"])
        return {"statistic": float(r.statistic), "p": float(r.pvalue)}
    if kind == "t_ppf":
        return {"value": float(stats.t.ppf(job["p"], job["df"]))}
    if kind == "t_cdf":
        return {"value": float(stats.t.cdf(job["t"], job["df"]))}
    if kind == "norm_sf":
        return {"value": float(stats.norm.sf(job["z"]))}
    raise ValueError("unknown job kind " + kind)


def main():
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    json.dump([run(j) for j in jobs], sys.stdout)


if __name__ == "__main__":
    main()
