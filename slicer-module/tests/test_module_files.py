"""What can be checked of the Slicer module without Slicer: it byte-compiles, the Lib imports nothing of
Slicer, the module has its four classes, every widget it uses is in the .ui, CMake lists every file, the
icon is a valid PNG. (The GUI itself and LesionLinkTest need a real Slicer: see README.md.)"""
import ast
import pathlib
import py_compile
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

import pytest

from conftest import MODULE_DIR

SLICER_MODULE = MODULE_DIR.parent
PY_FILES = sorted(p for p in SLICER_MODULE.rglob("*.py") if "__pycache__" not in p.parts)
LIB_FILES = sorted((MODULE_DIR / "LesionLinkLib").glob("*.py"))


@pytest.mark.parametrize("path", PY_FILES, ids=lambda p: str(p.relative_to(SLICER_MODULE)))
def test_byte_compiles(path, tmp_path):
    py_compile.compile(str(path), cfile=str(tmp_path / "out.pyc"), doraise=True)


@pytest.mark.parametrize("path", LIB_FILES, ids=lambda p: p.name)
def test_lib_imports_only_stdlib_and_numpy(path):
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            roots = [] if node.level else [node.module.split(".")[0]]
        else:
            continue
        for root in roots:
            assert root in allowed, "%s imports %s: LesionLinkLib is numpy + stdlib only" % (path.name, root)


def module_tree():
    return ast.parse((MODULE_DIR / "LesionLink.py").read_text())


def test_four_classes_with_their_slicer_bases():
    bases = {c.name: [b.id for b in c.bases if isinstance(b, ast.Name)]
             for c in module_tree().body if isinstance(c, ast.ClassDef)}
    assert bases == {"LesionLink": ["ScriptedLoadableModule"],
                     "LesionLinkWidget": ["ScriptedLoadableModuleWidget", "VTKObservationMixin"],
                     "LesionLinkLogic": ["ScriptedLoadableModuleLogic"],
                     "LesionLinkTest": ["ScriptedLoadableModuleTest"]}


def test_logic_has_no_gui_calls():
    logic = next(c for c in module_tree().body if isinstance(c, ast.ClassDef) and c.name == "LesionLinkLogic")
    source = ast.get_source_segment((MODULE_DIR / "LesionLink.py").read_text(), logic)
    for gui in ("self.ui", "errorDisplay", "QMessageBox", "processEvents", "QDesktopServices"):
        assert gui not in source, "the Logic uses %s" % gui


def ui_names():
    root = ET.parse(MODULE_DIR / "Resources" / "UI" / "LesionLink.ui").getroot()
    return root, {w.get("name"): w.get("class") for w in root.iter("widget")}


def test_every_widget_the_module_uses_is_in_the_ui():
    _, names = ui_names()
    used = set(re.findall(r"self\.ui\.(\w+)", (MODULE_DIR / "LesionLink.py").read_text()))
    assert used and not used - set(names), "missing in LesionLink.ui: %s" % sorted(used - set(names))


def test_ui_layout():
    root, names = ui_names()
    assert root.find("class").text == "LesionLink" and names["LesionLink"] == "qMRMLWidget"
    assert {c.find("class").text for c in root.iter("customwidget")} >= {"qMRMLNodeComboBox", "ctkCollapsibleButton",
                                                                        "qMRMLWidget"}
    for name in ("outputSegmentationSelector", "liveVolumeSelector", "probeTransformSelector"):
        assert names[name] == "qMRMLNodeComboBox"
    for name in ("channelTable", "lesionTable"):
        assert names[name] == "QTableWidget"
    lesion_columns = [c.find("property/string").text for c in root.find(".//widget[@name='lesionTable']").iter("column")]
    assert lesion_columns == ["ID", "Label/region", "Volume (ml)", "Diameter (mm)"]
    port = root.find(".//widget[@name='portSpinBox']/property[@name='value']/number").text
    assert port == "18944"
    ablation = root.find(".//widget[@name='ablationCollapsibleButton']/property[@name='text']/string").text
    assert "decision support" in ablation.lower()
    assert root.find(".//widget[@name='ablationContent']/property[@name='enabled']/bool").text == "false"
    # the scene reaches the selectors of the .ui (the channel selectors are made in code)
    receivers = {c.find("receiver").text for c in root.iter("connection")}
    assert receivers == {n for n, cls in names.items() if cls == "qMRMLNodeComboBox"}


def test_cmake_lists_every_file():
    cmake = (MODULE_DIR / "CMakeLists.txt").read_text().replace("${MODULE_NAME}", "LesionLink")
    listed = set(re.findall(r"^\s+(\S+\.(?:py|png|ui))\s*$", cmake, re.M))
    on_disk = {str(p.relative_to(MODULE_DIR)) for p in MODULE_DIR.rglob("*")
               if p.suffix in (".py", ".png", ".ui") and "__pycache__" not in p.parts}
    assert listed == on_disk
    assert "slicer_add_python_unittest(SCRIPT ${MODULE_NAME}.py)" in (MODULE_DIR / "CMakeLists.txt").read_text()
    top = (SLICER_MODULE / "CMakeLists.txt").read_text()
    for key in ("EXTENSION_HOMEPAGE", "EXTENSION_CATEGORY \"Segmentation\"", "EXTENSION_CONTRIBUTORS",
                "EXTENSION_DESCRIPTION", "EXTENSION_ICONURL", "EXTENSION_DEPENDS \"NA\"", "add_subdirectory(LesionLink)"):
        assert key in top


def test_icon_is_a_128_png():
    data = (MODULE_DIR / "Resources" / "Icons" / "LesionLink.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at:at + 4]), data[at + 4:at + 8]
        body, crc = data[at + 8:at + 8 + length], struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0]
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        chunks[kind] = body
        at += 12 + length
    assert struct.unpack(">II", chunks[b"IHDR"][:8]) == (128, 128)
    assert len(zlib.decompress(chunks[b"IDAT"])) == 128 * (1 + 128 * 4)
