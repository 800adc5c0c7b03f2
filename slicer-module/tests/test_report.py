"""The server's JSON report as lesion rows."""
import json
import math

from LesionLinkLib import report

REPORT = {
    "model": {"name": "brain-mets-demo", "version": "1.0", "task": "brain-metastases"},
    "labels": [{"value": 1, "name": "NETC"}, {"value": 2, "name": "SNFH"}, {"value": 3, "name": "ET"}],
    "volumes": {"totalMl": 4.5, "labelsMl": {"NETC": 0.5, "SNFH": 3.0, "ET": 1.0}},
    "lesionCount": 3,
    "lesions": [
        {"id": 1, "voxels": 100, "volumeMl": 0.25, "labelVolumesMl": {"NETC": 0, "SNFH": 0.05, "ET": 0.2},
         "longestDiameterMm": 9.5, "centroidRas": [10.0, -20.5, 30.25]},
        {"id": 2, "voxels": 1000, "volumeMl": 4.0, "labelVolumesMl": {"NETC": 0.5, "SNFH": 2.5, "ET": 1.0},
         "regionVolumesMl": {"WT": 4.0, "TC": 1.5, "ET": 1.0}, "longestDiameterMm": 31.04, "centroidRas": [-5, 6, 7]},
        {"id": 3, "volumeMl": 0.25, "labelVolumesMl": {"SNFH": 0.25}, "longestDiameterMm": 12.0},
    ],
    "timingsMs": {"inference": 812, "total": 1000},
    "warnings": ["FLAIR resampled onto the T1c grid"],
}


def test_rows_largest_first_then_by_id():
    r = report.parse_report(json.dumps(REPORT))
    assert [row.id for row in r.lesions] == ["2", "1", "3"]
    big = r.lesions[0]
    assert big.region == "SNFH+ET+NETC" and big.volume_ml == 4.0 and big.diameter_mm == 31.04
    assert big.centroid_ras == (-5.0, 6.0, 7.0)
    assert r.lesions[1].region == "ET+SNFH"  # labels with volume, largest first; zero volumes left out
    assert r.lesions[2].centroid_ras is None
    assert r.total_ml == 4.5 and r.model == "brain-mets-demo 1.0"
    assert r.warnings == ["FLAIR resampled onto the T1c grid"] and r.timings_ms["inference"] == 812


def test_table_and_summary():
    r = report.parse_report(REPORT)
    assert report.table_rows(r)[0] == ("2", "SNFH+ET+NETC", "4.00", "31.0")
    assert report.format_summary(r) == "3 lesions, 4.50 ml in all (brain-mets-demo 1.0); 1 warning"
    lines = report.format_table(r).splitlines()
    assert lines[0].split() == ["id", "label/region", "volume", "ml", "diameter", "mm"] and len(lines) == 4


def test_sort_keys():
    r = report.parse_report(REPORT)
    assert [x.id for x in report.sort_lesions(r.lesions, "diameter")] == ["2", "3", "1"]
    assert [x.id for x in report.sort_lesions(r.lesions, "id")] == ["1", "2", "3"]


def test_location_field_is_preferred_and_missing_fields_tolerated():
    r = report.parse_report({"lesions": [{"id": "L3-1", "region": "L3 vertebral body", "volumeMl": 2},
                                         {"id": "x"}]})
    assert r.lesions[0].region == "L3 vertebral body"
    assert math.isnan(r.lesions[1].volume_ml) and report.table_rows(r)[1] == ("x", "", "", "")
    assert r.total_ml == 2.0  # no "volumes": the lesion volumes that are known, summed
    assert report.format_summary(report.parse_report({})) == "0 lesions, 0.00 ml in all"


def test_html_is_escaped_and_complete():
    data = dict(REPORT, warnings=["<script>"])
    page = report.to_html(report.parse_report(data))
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert page.count("<tr>") == 4 and "31.0" in page and "-5.0, 6.0, 7.0" in page


def test_not_an_object():
    try:
        report.parse_report("[1, 2]")
    except ValueError as e:
        assert "JSON object" in str(e)
    else:
        raise AssertionError("a list is not a report")
