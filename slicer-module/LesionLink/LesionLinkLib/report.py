"""The server's JSON report (STRING ``<REF>_report``) as lesion rows.

The report has the shape ``lesionlink segment --report`` writes: ``lesions`` (each with ``id``,
``volumeMl``, ``labelVolumesMl``, ``regionVolumesMl``, ``longestDiameterMm``, ``centroidRas``),
``volumes`` (``totalMl``, ``labelsMl``, ``regionsMl``), ``lesionCount``, ``model``, ``timingsMs`` and
optionally ``warnings``. Missing fields are tolerated (shown as empty), so a newer server's report still
reads.

Slicer-free.
"""
import dataclasses
import html
import json


@dataclasses.dataclass
class LesionRow:
    id: str
    region: str  # where it is (a "region"/"location" field) or what it is made of (its labels, largest first)
    volume_ml: float
    diameter_mm: float
    centroid_ras: tuple  # (R, A, S) mm, or None
    label_volumes_ml: dict


@dataclasses.dataclass
class Report:
    lesions: list
    total_ml: float
    model: str
    warnings: list
    timings_ms: dict
    raw: dict


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _composition(label_volumes):
    present = [(v, k) for k, v in label_volumes.items() if _number(v) > 0]
    return "+".join(k for v, k in sorted(present, key=lambda p: (-_number(p[0]), p[1])))


def lesion_row(entry):
    """One :class:`LesionRow` from a report's lesion object."""
    labels = dict(entry.get("labelVolumesMl") or {})
    region = entry.get("region") or entry.get("location") or _composition(labels)
    centroid = entry.get("centroidRas")
    return LesionRow(str(entry.get("id", "")), str(region), _number(entry.get("volumeMl")),
                     _number(entry.get("longestDiameterMm")),
                     tuple(float(c) for c in centroid) if centroid and len(centroid) == 3 else None, labels)


def parse_report(report):
    """A :class:`Report` from the JSON text (or the already parsed object); lesions largest first."""
    data = json.loads(report) if isinstance(report, (str, bytes)) else dict(report)
    if not isinstance(data, dict):
        raise ValueError("a LesionLink report is a JSON object, got %s" % type(data).__name__)
    rows = sort_lesions([lesion_row(e) for e in data.get("lesions") or []])
    volumes = data.get("volumes") or {}
    total = volumes.get("totalMl")
    model = data.get("model") or {}
    model_name = model.get("name", "") if isinstance(model, dict) else str(model)
    if isinstance(model, dict) and model.get("version"):
        model_name += " " + str(model["version"])
    return Report(rows, _number(total) if total is not None else sum(r.volume_ml for r in rows if r.volume_ml == r.volume_ml), model_name,
                  [str(w) for w in data.get("warnings") or []], dict(data.get("timingsMs") or {}), data)


def sort_lesions(rows, key="volume"):
    """Rows sorted by ``volume`` or ``diameter`` (largest first) or ``id``; unknown (NaN) values last."""
    if key == "id":
        return sorted(rows, key=lambda r: (len(r.id), r.id))
    attr = {"volume": "volume_ml", "diameter": "diameter_mm"}[key]
    return sorted(rows, key=lambda r: (_descending(getattr(r, attr)), r.id))


def _descending(value):
    return (1, 0.0) if value != value else (0, -value)


def _fmt(value, digits):
    return "" if value != value else "%.*f" % (digits, value)


def table_rows(report):
    """Rows of display strings: id, label/region, volume (ml, 2 decimals), diameter (mm, 1 decimal)."""
    return [(r.id, r.region, _fmt(r.volume_ml, 2), _fmt(r.diameter_mm, 1)) for r in report.lesions]


def format_summary(report):
    """One line, e.g. ``3 lesions, 4.21 ml in all (brain-mets-demo 1.0)``."""
    n = len(report.lesions)
    text = "%d lesion%s, %s ml in all" % (n, "" if n == 1 else "s", _fmt(report.total_ml, 2) or "?")
    if report.model:
        text += " (%s)" % report.model
    if report.warnings:
        text += "; %d warning%s" % (len(report.warnings), "" if len(report.warnings) == 1 else "s")
    return text


def format_table(report):
    """A plain-text table of the lesions."""
    head = ("id", "label/region", "volume ml", "diameter mm")
    rows = [head] + table_rows(report)
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    return "\n".join("  ".join(cell.ljust(w) if c < 2 else cell.rjust(w) for c, (cell, w) in enumerate(zip(r, widths)))
                     for r in rows)


def to_html(report, title="LesionLink report"):
    """A self-contained HTML page: summary, lesion table, warnings, timings."""
    esc = html.escape
    out = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>%s</title>" % esc(title),
           "<style>body{font-family:sans-serif}td,th{padding:2px 10px;border-bottom:1px solid #ccc}"
           "td.n{text-align:right}</style></head><body>",
           "<h1>%s</h1><p>%s</p>" % (esc(title), esc(format_summary(report))),
           "<table><tr><th>id</th><th>label/region</th><th>volume (ml)</th><th>longest diameter (mm)</th>"
           "<th>centroid RAS (mm)</th></tr>"]
    for r, cells in zip(report.lesions, table_rows(report)):
        centroid = ", ".join("%.1f" % c for c in r.centroid_ras) if r.centroid_ras else ""
        out.append("<tr><td>%s</td><td>%s</td><td class='n'>%s</td><td class='n'>%s</td><td>%s</td></tr>"
                   % (esc(cells[0]), esc(cells[1]), cells[2], cells[3], esc(centroid)))
    out.append("</table>")
    if report.warnings:
        out.append("<h2>Warnings</h2><ul>%s</ul>" % "".join("<li>%s</li>" % esc(w) for w in report.warnings))
    if report.timings_ms:
        out.append("<h2>Timings (ms)</h2><ul>%s</ul>" % "".join(
            "<li>%s: %s</li>" % (esc(str(k)), esc(str(v))) for k, v in report.timings_ms.items()))
    out.append("<p><small>Research software: not for clinical use.</small></p></body></html>")
    return "\n".join(out)
