"""Compares LesionLink's cases.csv with the scipy peer's: largest absolute difference per metric.

Usage: compare.py JAVA_CASES.csv PYTHON_CASES.csv
"""
import csv
import math
import sys


def read(path):
    with open(path) as f:
        return {(r["case"], r["model"], r["region"], r["metric"]): float(r["value"]) for r in csv.DictReader(f)}


def main():
    a, b = read(sys.argv[1]), read(sys.argv[2])
    if b.keys() - a.keys():
        print("WARNING: %d peer rows have no LesionLink counterpart" % len(b.keys() - a.keys()))
    worst = {}
    for k in a.keys() & b.keys():
        x, y = a[k], b[k]
        d = 0.0 if (math.isnan(x) and math.isnan(y)) else abs(x - y)
        worst[k[3]] = max(worst.get(k[3], 0.0), d)
    print("%d values compared (the peer's cases); largest |LesionLink - scipy peer| per metric:" % len(a.keys() & b.keys()))
    for m in sorted(worst):
        print("  %-28s %.3g" % (m, worst[m]))


if __name__ == "__main__":
    main()
