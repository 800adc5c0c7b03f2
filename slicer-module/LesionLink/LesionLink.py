"""LesionLink: segment brain and spinal metastases with a LesionLink server, from 3D Slicer.

Four classes, as Slicer scripted modules have them:

- :class:`LesionLink`: the module's description;
- :class:`LesionLinkWidget`: the panel. It only keeps the GUI and the parameter node in step and calls
  the Logic;
- :class:`LesionLinkLogic`: takes MRML nodes, has no GUI. Volumes go to the server as arrays, results
  come back as a Segmentation node and a table node;
- :class:`LesionLinkTest`: the same flow against a running server.

The protocol lives in ``LesionLinkLib`` (no Slicer imports; tested with plain Python).
"""
import json
import logging
import os
import time

import numpy as np
import qt
import slicer
import vtk
from slicer.ScriptedLoadableModule import (ScriptedLoadableModule, ScriptedLoadableModuleLogic,
                                           ScriptedLoadableModuleTest, ScriptedLoadableModuleWidget)
from slicer.util import VTKObservationMixin

from LesionLinkLib import channels as channel_guess
from LesionLinkLib import report as report_module
from LesionLinkLib import ablation as ablation_module
from LesionLinkLib import igtl as igtl_module
from LesionLinkLib.client import DEFAULT_PORT, LesionLinkClient, LesionLinkError

# Parameter node keys (a vtkMRMLScriptedModuleNode with explicit keys: the channel -> volume references
# depend on the model, which a fixed parameterNodeWrapper class cannot express).
HOST, PORT, USE_V3, MODEL = "Host", "Port", "UseV3", "Model"
CHANNEL_REF = "Channel:"  # + channel name -> scalar volume node
OUTPUT_REF, REPORT_REF = "OutputSegmentation", "ReportTable"
LIVE_REF, LIVE_CHANNEL, STREAMING = "LiveVolume", "LiveChannel", "Streaming"
PROBE_REF, ABLATION_DEVICE, ABLATION_POWER, ABLATION_TIME, THERMAL_DOSE = (
    "ProbeTransform", "AblationDevice", "AblationPowerW", "AblationTimeS", "ThermalDose")
LESION_REF, CRITICAL_REF, PHASE_REF, B0, TE_MS = "AblationLesion", "AblationCritical", "ThermPhase", "B0Tesla", "TEms"

LABEL_TAG = "LesionLink.label"  # segment tag: the label value the segment came from
REPORT_ATTRIBUTE = "LesionLink.reportJson"  # table node attribute: the server's report, verbatim
STATUS_COLORS = {"OK": "#2e7d32", "WARN": "#ef6c00", "STOP": "#c62828"}


#
# Module
#

class LesionLink(ScriptedLoadableModule):
    def __init__(self, parent):
        ScriptedLoadableModule.__init__(self, parent)
        self.parent.title = "LesionLink"
        self.parent.categories = ["Segmentation"]
        self.parent.dependencies = []
        self.parent.contributors = ["LesionLink developers"]
        self.parent.helpText = (
            "Segment brain and spinal metastases with a LesionLink server over OpenIGTLink: connect, "
            "choose a model, map its channels to volumes, Segment. Results come back as a segmentation "
            "(one segment per label, 2D and 3D) and a lesion table. Research software: not for clinical use. "
            "See slicer-module/README.md in the LesionLink repository.")
        self.parent.acknowledgementText = "Uses the OpenIGTLink protocol; written for LesionLink."


#
# Widget
#

class LesionLinkWidget(ScriptedLoadableModuleWidget, VTKObservationMixin):
    """Keeps GUI and parameter node in step; every action is a Logic call."""

    def __init__(self, parent=None):
        ScriptedLoadableModuleWidget.__init__(self, parent)
        VTKObservationMixin.__init__(self)
        self.logic = None
        self._parameterNode = None
        self._updatingGUI = False
        self._channelSelectors = {}
        self._lesionRows = []
        self._cancelRequested = False
        self._running = False

    def setup(self):
        ScriptedLoadableModuleWidget.setup(self)
        uiWidget = slicer.util.loadUI(self.resourcePath("UI/LesionLink.ui"))
        self.layout.addWidget(uiWidget)
        self.ui = slicer.util.childWidgetVariables(uiWidget)
        uiWidget.setMRMLScene(slicer.mrmlScene)
        self.logic = LesionLinkLogic()

        self.addObserver(slicer.mrmlScene, slicer.mrmlScene.StartCloseEvent, self.onSceneStartClose)
        self.addObserver(slicer.mrmlScene, slicer.mrmlScene.EndCloseEvent, self.onSceneEndClose)

        # GUI -> parameter node
        self.ui.hostLineEdit.editingFinished.connect(self.updateParameterNodeFromGUI)
        self.ui.portSpinBox.valueChanged.connect(self.updateParameterNodeFromGUI)
        self.ui.useV3CheckBox.toggled.connect(self.updateParameterNodeFromGUI)
        self.ui.modelComboBox.currentIndexChanged.connect(self.onModelChanged)
        for selector in (self.ui.outputSegmentationSelector, self.ui.liveVolumeSelector, self.ui.probeTransformSelector):
            selector.connect("currentNodeChanged(vtkMRMLNode*)", self.updateParameterNodeFromGUI)
        self.ui.liveChannelComboBox.currentIndexChanged.connect(self.updateParameterNodeFromGUI)
        self.ui.ablationDeviceComboBox.currentTextChanged.connect(self.updateParameterNodeFromGUI)
        self.ui.ablationPowerSpinBox.valueChanged.connect(self.updateParameterNodeFromGUI)
        self.ui.ablationTimeSpinBox.valueChanged.connect(self.updateParameterNodeFromGUI)
        self.ui.thermalDoseCheckBox.toggled.connect(self.updateParameterNodeFromGUI)
        for selector in (self.ui.lesionLabelmapSelector, self.ui.criticalLabelmapSelector, self.ui.phaseVolumeSelector):
            selector.connect("currentNodeChanged(vtkMRMLNode*)", self.updateParameterNodeFromGUI)
        self.ui.b0SpinBox.valueChanged.connect(self.updateParameterNodeFromGUI)
        self.ui.teSpinBox.valueChanged.connect(self.updateParameterNodeFromGUI)

        # actions
        self.ui.connectButton.clicked.connect(self.onConnectButton)
        self.ui.guessChannelsButton.clicked.connect(self.onGuessChannels)
        self.ui.segmentButton.clicked.connect(self.onSegmentButton)
        self.ui.lesionTable.cellDoubleClicked.connect(self.onLesionDoubleClicked)
        self.ui.openReportButton.clicked.connect(self.onOpenReport)
        self.ui.streamingCheckBox.toggled.connect(self.onStreamingToggled)
        self.ui.ablationMonitorButton.toggled.connect(self.onAblationMonitorToggled)
        self.ui.commitAblationButton.clicked.connect(self.onCommitAblation)
        self.ui.resetAblationButton.clicked.connect(self.onResetAblation)
        self.ui.thermalDoseCheckBox.toggled.connect(self.onThermometryToggled)

        self.logic.streamCallback = self.onStreamResult
        self.logic.ablationCallback = self.showAblationUpdate
        self.initializeParameterNode()
        self.updateConnectionState()

    def cleanup(self):
        self.removeObservers()
        if self.logic:
            self.logic.disconnect()

    def enter(self):
        self.initializeParameterNode()

    def exit(self):
        self.removeObserver(self._parameterNode, vtk.vtkCommand.ModifiedEvent, self.updateGUIFromParameterNode)

    def onSceneStartClose(self, caller, event):
        self.setParameterNode(None)

    def onSceneEndClose(self, caller, event):
        if self.parent.isEntered:
            self.initializeParameterNode()

    def initializeParameterNode(self):
        self.setParameterNode(self.logic.getParameterNode())

    def setParameterNode(self, node):
        if node is not None:
            self.logic.setDefaultParameters(node)
        if self._parameterNode is not None:
            self.removeObserver(self._parameterNode, vtk.vtkCommand.ModifiedEvent, self.updateGUIFromParameterNode)
        self._parameterNode = node
        if node is not None:
            self.addObserver(node, vtk.vtkCommand.ModifiedEvent, self.updateGUIFromParameterNode)
        self.updateGUIFromParameterNode()

    # --- parameter node <-> GUI

    def updateGUIFromParameterNode(self, caller=None, event=None):
        p = self._parameterNode
        if p is None or self._updatingGUI:
            return
        self._updatingGUI = True
        try:
            self.ui.hostLineEdit.text = p.GetParameter(HOST)
            self.ui.portSpinBox.value = int(p.GetParameter(PORT))
            self.ui.useV3CheckBox.checked = p.GetParameter(USE_V3) == "true"
            index = self.ui.modelComboBox.findText(p.GetParameter(MODEL))
            if index >= 0:
                self.ui.modelComboBox.currentIndex = index
            for channel, selector in self._channelSelectors.items():
                selector.setCurrentNode(p.GetNodeReference(CHANNEL_REF + channel))
            self.ui.outputSegmentationSelector.setCurrentNode(p.GetNodeReference(OUTPUT_REF))
            self.ui.liveVolumeSelector.setCurrentNode(p.GetNodeReference(LIVE_REF))
            index = self.ui.liveChannelComboBox.findText(p.GetParameter(LIVE_CHANNEL))
            if index >= 0:
                self.ui.liveChannelComboBox.currentIndex = index
            self.ui.probeTransformSelector.setCurrentNode(p.GetNodeReference(PROBE_REF))
            self.ui.ablationDeviceComboBox.currentText = p.GetParameter(ABLATION_DEVICE)
            self.ui.ablationPowerSpinBox.value = float(p.GetParameter(ABLATION_POWER))
            self.ui.ablationTimeSpinBox.value = float(p.GetParameter(ABLATION_TIME))
            self.ui.thermalDoseCheckBox.checked = p.GetParameter(THERMAL_DOSE) == "true"
            self.ui.lesionLabelmapSelector.setCurrentNode(p.GetNodeReference(LESION_REF))
            self.ui.criticalLabelmapSelector.setCurrentNode(p.GetNodeReference(CRITICAL_REF))
            self.ui.phaseVolumeSelector.setCurrentNode(p.GetNodeReference(PHASE_REF))
            self.ui.b0SpinBox.value = float(p.GetParameter(B0))
            self.ui.teSpinBox.value = float(p.GetParameter(TE_MS))
            self.updateButtonStates()
        finally:
            self._updatingGUI = False

    def updateParameterNodeFromGUI(self, *unused):
        p = self._parameterNode
        if p is None or self._updatingGUI:
            return
        wasModified = p.StartModify()
        try:
            p.SetParameter(HOST, self.ui.hostLineEdit.text.strip())
            p.SetParameter(PORT, str(self.ui.portSpinBox.value))
            p.SetParameter(USE_V3, "true" if self.ui.useV3CheckBox.checked else "false")
            if self.ui.modelComboBox.currentText:
                p.SetParameter(MODEL, self.ui.modelComboBox.currentText)
            for channel, selector in self._channelSelectors.items():
                p.SetNodeReferenceID(CHANNEL_REF + channel, selector.currentNodeID or None)
            p.SetNodeReferenceID(OUTPUT_REF, self.ui.outputSegmentationSelector.currentNodeID or None)
            p.SetNodeReferenceID(LIVE_REF, self.ui.liveVolumeSelector.currentNodeID or None)
            if self.ui.liveChannelComboBox.currentText:
                p.SetParameter(LIVE_CHANNEL, self.ui.liveChannelComboBox.currentText)
            p.SetNodeReferenceID(PROBE_REF, self.ui.probeTransformSelector.currentNodeID or None)
            p.SetParameter(ABLATION_DEVICE, self.ui.ablationDeviceComboBox.currentText)
            p.SetParameter(ABLATION_POWER, str(self.ui.ablationPowerSpinBox.value))
            p.SetParameter(ABLATION_TIME, str(self.ui.ablationTimeSpinBox.value))
            p.SetParameter(THERMAL_DOSE, "true" if self.ui.thermalDoseCheckBox.checked else "false")
            p.SetNodeReferenceID(LESION_REF, self.ui.lesionLabelmapSelector.currentNodeID or None)
            p.SetNodeReferenceID(CRITICAL_REF, self.ui.criticalLabelmapSelector.currentNodeID or None)
            p.SetNodeReferenceID(PHASE_REF, self.ui.phaseVolumeSelector.currentNodeID or None)
            p.SetParameter(B0, str(self.ui.b0SpinBox.value))
            p.SetParameter(TE_MS, str(self.ui.teSpinBox.value))
        finally:
            p.EndModify(wasModified)

    def updateButtonStates(self):
        connected = self.logic.connected
        model = self.logic.modelInfo(self.ui.modelComboBox.currentText) if connected else None
        mapped = model is not None and all(self._channelSelectors.get(c) is not None
                                           and self._channelSelectors[c].currentNode() for c in model.channels)
        self.ui.segmentButton.enabled = self._running or mapped
        self.ui.segmentButton.text = "Cancel" if self._running else "Segment"
        self.ui.openReportButton.enabled = self.logic.lastReport is not None
        self.ui.streamingCheckBox.enabled = mapped and self.ui.liveVolumeSelector.currentNode() is not None
        ablation = self.logic.ablationSupported()
        self.ui.ablationContent.enabled = ablation
        self.ui.ablationNoteLabel.visible = not ablation
        if ablation and self.ui.ablationDeviceComboBox.count != len(self.logic.ablationDevices):
            current = self.ui.ablationDeviceComboBox.currentText
            self.ui.ablationDeviceComboBox.clear()
            self.ui.ablationDeviceComboBox.addItems(self.logic.ablationDevices)
            self.ui.ablationDeviceComboBox.currentText = current
        monitoring = self.logic.ablationMonitoring
        self.ui.ablationMonitorButton.enabled = monitoring or (
            self.ui.probeTransformSelector.currentNode() is not None
            and self.ui.lesionLabelmapSelector.currentNode() is not None)
        self.ui.ablationMonitorButton.text = "Stop monitoring" if monitoring else "Monitor probe"
        self.ui.commitAblationButton.enabled = monitoring
        self.ui.resetAblationButton.enabled = monitoring
        self.ui.thermalDoseCheckBox.enabled = monitoring and self.ui.phaseVolumeSelector.currentNode() is not None

    def updateConnectionState(self):
        if self.logic.connected:
            self.ui.connectionStateLabel.text = "Connected to %s" % self.logic.client.address
            self.ui.connectButton.text = "Disconnect"
        else:
            self.ui.connectionStateLabel.text = self.logic.lastError or "Not connected"
            self.ui.connectButton.text = "Connect"
        self.updateButtonStates()

    # --- actions (each is one Logic call)

    def onConnectButton(self):
        if self.logic.connected:
            self.logic.disconnect()
            self.ui.modelComboBox.clear()
        else:
            p = self._parameterNode
            try:
                with slicer.util.tryWithErrorDisplay("Could not connect to the LesionLink server.", waitCursor=True):
                    self.logic.connect(p.GetParameter(HOST), int(p.GetParameter(PORT)), p.GetParameter(USE_V3) == "true")
                self.updateModelList()
            finally:
                self.updateConnectionState()
            return
        self.updateConnectionState()

    def updateModelList(self):
        wanted = self._parameterNode.GetParameter(MODEL)
        self._updatingGUI = True
        try:
            self.ui.modelComboBox.clear()
            for model in self.logic.models:
                self.ui.modelComboBox.addItem(model.name)
                self.ui.modelComboBox.setItemData(self.ui.modelComboBox.count - 1, "%s %s (%s): %s" % (
                    model.name, model.version, model.task, ", ".join(model.channels)), qt.Qt.ToolTipRole)
            index = self.ui.modelComboBox.findText(wanted)
            self.ui.modelComboBox.currentIndex = max(index, 0)
        finally:
            self._updatingGUI = False
        self.onModelChanged()

    def onModelChanged(self, *unused):
        if self._updatingGUI:
            return
        model = self.logic.modelInfo(self.ui.modelComboBox.currentText)
        self.rebuildChannelTable(model.channels if model else [])
        if model is not None:
            self._parameterNode.SetParameter(MODEL, model.name)
        self.updateGUIFromParameterNode()

    def rebuildChannelTable(self, modelChannels):
        table = self.ui.channelTable
        table.setRowCount(0)
        self._channelSelectors = {}
        self.ui.liveChannelComboBox.clear()
        for row, channel in enumerate(modelChannels):
            table.insertRow(row)
            item = qt.QTableWidgetItem(channel + (" (reference)" if row == 0 else ""))
            item.setFlags(qt.Qt.ItemIsEnabled)
            table.setItem(row, 0, item)
            selector = slicer.qMRMLNodeComboBox()
            selector.nodeTypes = ["vtkMRMLScalarVolumeNode"]
            selector.showChildNodeTypes = False  # no labelmaps
            selector.noneEnabled = True
            selector.addEnabled = False
            selector.removeEnabled = False
            selector.setMRMLScene(slicer.mrmlScene)
            selector.setToolTip("The volume sent as channel %s" % channel)
            selector.setCurrentNode(self._parameterNode.GetNodeReference(CHANNEL_REF + channel))
            selector.connect("currentNodeChanged(vtkMRMLNode*)", self.updateParameterNodeFromGUI)
            table.setCellWidget(row, 1, selector)
            self._channelSelectors[channel] = selector
            self.ui.liveChannelComboBox.addItem(channel)

    def onGuessChannels(self):
        model = self.logic.modelInfo(self.ui.modelComboBox.currentText)
        if model is None:
            return
        guess = self.logic.guessChannels(model, slicer.util.getNodesByClass("vtkMRMLScalarVolumeNode"))
        for channel, node in guess.items():
            self._parameterNode.SetNodeReferenceID(CHANNEL_REF + channel, node.GetID() if node else None)
        problems = self.logic.lastGuessProblems
        self.ui.statusLabel.text = "Channels guessed from names." + (" Check: " + "; ".join(problems) if problems else "")

    def onSegmentButton(self):
        if self._running:
            self._cancelRequested = True
            return
        p = self._parameterNode
        model = self.logic.modelInfo(p.GetParameter(MODEL))
        inputs = {c: p.GetNodeReference(CHANNEL_REF + c) for c in model.channels}
        self._running, self._cancelRequested = True, False
        self.ui.progressBar.setRange(0, 0)  # busy
        self.updateButtonStates()
        try:
            with slicer.util.tryWithErrorDisplay("Segmentation failed.", waitCursor=False):
                segmentation = self.logic.segment(inputs, model.name, p.GetNodeReference(OUTPUT_REF), self.onProgress)
                p.SetNodeReferenceID(OUTPUT_REF, segmentation.GetID())
                p.SetNodeReferenceID(REPORT_REF, self.logic.lastReportTable.GetID())
                self.ui.statusLabel.text = "%s. %s" % (self.logic.lastMessage, report_module.format_summary(self.logic.lastReport))
                self.showLesions(self.logic.lastReport)
        finally:
            self._running = False
            self.ui.progressBar.setRange(0, 100)
            self.ui.progressBar.value = 100 if self.logic.lastReport is not None else 0
            self.updateButtonStates()

    def onProgress(self, text):
        if text is not None:
            self.ui.statusLabel.text = text
        slicer.app.processEvents()
        if self._cancelRequested:
            raise LesionLinkError("cancelled by the user")

    def showLesions(self, report):
        table = self.ui.lesionTable
        table.setRowCount(0)
        self._lesionRows = report.lesions
        for row, cells in enumerate(report_module.table_rows(report)):
            table.insertRow(row)
            for column, text in enumerate(cells):
                item = qt.QTableWidgetItem(text)
                item.setFlags(qt.Qt.ItemIsEnabled | qt.Qt.ItemIsSelectable)
                if column >= 2:
                    item.setTextAlignment(qt.Qt.AlignRight | qt.Qt.AlignVCenter)
                table.setItem(row, column, item)

    def onLesionDoubleClicked(self, row, column):
        if 0 <= row < len(self._lesionRows) and self._lesionRows[row].centroid_ras:
            self.logic.jumpToLesion(self._lesionRows[row].centroid_ras)

    def onOpenReport(self):
        with slicer.util.tryWithErrorDisplay("Could not write the report.", waitCursor=True):
            path = self.logic.writeHtmlReport()
            qt.QDesktopServices.openUrl(qt.QUrl.fromLocalFile(path))

    def onStreamingToggled(self, enabled):
        p = self._parameterNode
        if not enabled:
            self.logic.stopStreaming()
            self.ui.streamingStatusLabel.text = "Off"
            return
        model = self.logic.modelInfo(p.GetParameter(MODEL))
        inputs = {c: p.GetNodeReference(CHANNEL_REF + c) for c in model.channels}
        try:
            with slicer.util.tryWithErrorDisplay("Could not start streaming.", waitCursor=True):
                self.logic.startStreaming(p.GetNodeReference(LIVE_REF), p.GetParameter(LIVE_CHANNEL), inputs,
                                          model.name, p.GetNodeReference(OUTPUT_REF))
                self.ui.streamingStatusLabel.text = "Streaming: waiting for frames"
        finally:
            if not self.logic.streaming:
                self.ui.streamingCheckBox.checked = False

    def onStreamResult(self, segmentation, session):
        self._parameterNode.SetNodeReferenceID(OUTPUT_REF, segmentation.GetID() if segmentation else None)
        text = "frames sent %d, segmented %d, dropped %d, failed %d" % (
            session.sent, session.completed, session.dropped, session.failed)
        if session.last_error:
            text += "; last error: " + session.last_error
        self.ui.streamingStatusLabel.text = text
        if self.logic.lastReport is not None:
            self.showLesions(self.logic.lastReport)

    def onAblationMonitorToggled(self, enabled):
        p = self._parameterNode
        if not enabled:
            self.logic.stopAblation()
            self.updateButtonStates()
            return
        try:
            with slicer.util.tryWithErrorDisplay("Could not start ablation monitoring.", waitCursor=True):
                self.logic.startAblation(p.GetNodeReference(PROBE_REF), p.GetParameter(ABLATION_DEVICE),
                                         float(p.GetParameter(ABLATION_POWER)), float(p.GetParameter(ABLATION_TIME)),
                                         p.GetNodeReference(LESION_REF), p.GetNodeReference(CRITICAL_REF))
        finally:
            if not self.logic.ablationMonitoring:
                self.ui.ablationMonitorButton.checked = False
            self.updateButtonStates()

    def onCommitAblation(self):
        with slicer.util.tryWithErrorDisplay("Could not commit the ablation.", waitCursor=True):
            count = self.logic.commitAblation()
            self.ui.ablationWarningsLabel.text = "%d ablation(s) committed" % count

    def onResetAblation(self):
        with slicer.util.tryWithErrorDisplay("Could not reset the ablations.", waitCursor=True):
            self.logic.resetAblation()

    def onThermometryToggled(self, enabled):
        if self._updatingGUI:
            return  # the parameter node restoring the box starts nothing; the user's click does
        p = self._parameterNode
        if not enabled:
            self.logic.stopThermometry()
            return
        try:
            with slicer.util.tryWithErrorDisplay("Could not start thermometry.", waitCursor=True):
                self.logic.startThermometry(p.GetNodeReference(PHASE_REF), float(p.GetParameter(B0)),
                                            float(p.GetParameter(TE_MS)) / 1000.0)
        finally:
            if not self.logic.thermometryStreaming:
                self.ui.thermalDoseCheckBox.checked = False

    def showAblationUpdate(self, update):
        """One server update into the readouts: an :class:`AblationUpdate` or a :class:`ThermalUpdate`."""
        if isinstance(update, ablation_module.ThermalUpdate):
            percent = update.lesion_percent_cem240
            self.ui.thermalValueLabel.text = ("%.1f %%" % percent if percent is not None else "-") + "  (" + update.message + ")"
            return
        if not update.ok:
            self.showAblationStatus(update.status)
            self.ui.ablationWarningsLabel.text = update.message
            return
        self.showAblationStatus(update.status)
        self.ui.coverageValueLabel.text = "%.1f %%" % update.coverage_percent
        where = update.result.get("min_margin_ras")
        self.ui.minMarginValueLabel.text = "%.1f mm" % update.min_margin_mm + (
            " at RAS (%.0f, %.0f, %.0f)" % tuple(where) if where else "")
        if update.critical_distance_mm is None:
            self.ui.canalDistanceValueLabel.text = "not assessed (no critical structure)"
        else:
            self.ui.canalDistanceValueLabel.text = "zone %.1f mm, tip %.1f mm" % (
                update.critical_distance_mm, update.tip_critical_distance_mm)
        self.ui.ablationWarningsLabel.text = "\n".join(update.warnings) or "-"

    def showAblationStatus(self, status):
        """Colours the OK/WARN/STOP readout."""
        color = STATUS_COLORS.get(status, "#616161")
        self.ui.ablationStatusValueLabel.text = status or "-"
        self.ui.ablationStatusValueLabel.setStyleSheet("QLabel { color: white; background: %s; padding: 2px 8px; "
                                                       "font-weight: bold }" % color)


#
# Logic
#

class LesionLinkLogic(ScriptedLoadableModuleLogic):
    """Talks to the server for MRML nodes; no GUI. Nodes in, nodes out."""

    def __init__(self):
        ScriptedLoadableModuleLogic.__init__(self)
        self.client = None
        self.models = []
        self.lastError = None
        self.lastResult = None
        self.lastReport = None  # report.Report
        self.lastReportTable = None
        self.lastMessage = ""
        self.lastGuessProblems = []
        self.streamCallback = None  # f(segmentationNode, session) after each streamed result
        self._stream = None
        self._streamNodes = None
        self._streamObservations = []
        self._streamTimer = None
        self._lastFrameMTime = 0
        self._address = None
        self.ablationDevices = []
        self.ablationCallback = None  # f(AblationUpdate or ThermalUpdate) after each server update
        self._ablationAvailable = False
        self._ablation = None  # (LesionLinkClient of its own, AblationSession)
        self._ablationObservations = []
        self._ablationTimer = None
        self._poseInFlight = False
        self._pendingPose = None
        self._thermoObservations = []
        self._lastPhaseMTime = 0

    def setDefaultParameters(self, parameterNode):
        defaults = {HOST: os.environ.get("LESIONLINK_HOST", "localhost"),
                    PORT: os.environ.get("LESIONLINK_PORT", str(DEFAULT_PORT)), USE_V3: "false", MODEL: "",
                    LIVE_CHANNEL: "", STREAMING: "false", ABLATION_DEVICE: "", ABLATION_POWER: "0",
                    ABLATION_TIME: "0", THERMAL_DOSE: "false", B0: "3", TE_MS: "10"}
        for key, value in defaults.items():
            if not parameterNode.GetParameter(key):
                parameterNode.SetParameter(key, value)

    # --- connection

    @property
    def connected(self):
        return self.client is not None and self.client.connected

    def connect(self, host, port, useV3=False):
        """Connects, checks the server answers, and reads its models."""
        self.disconnect()
        client = LesionLinkClient(host, port, use_v3=useV3)
        try:
            client.connect()
            client.ping()
            self.models = client.get_models()
        except Exception as e:
            client.close()
            self.lastError = str(e)
            raise
        self.client, self.lastError = client, None
        self._address = (host, port, useV3)
        session = ablation_module.AblationSession(client)
        try:
            self._ablationAvailable = session.available()
            self.ablationDevices = list(session.state().get("devices") or []) if self._ablationAvailable else []
        except LesionLinkError as e:
            logging.warning("LesionLink: ablation query failed: %s", e)
            self._ablationAvailable, self.ablationDevices = False, []
        logging.info("LesionLink: connected to %s, models: %s", client.address, [m.name for m in self.models])

    def disconnect(self):
        self.stopStreaming()
        self.stopAblation()
        if self.client is not None:
            self.client.close()
        self.client, self.models = None, []

    def modelInfo(self, name):
        return next((m for m in self.models if m.name == name), None)

    def ablationSupported(self):
        """True when the server answers the ablation commands (server-conventions.md section 7)."""
        return self.connected and self._ablationAvailable

    # --- volumes

    def guessChannels(self, model, volumeNodes):
        """Channel -> volume node (or None), guessed from node names; problems in lastGuessProblems."""
        byName = {}
        for node in volumeNodes:
            if not node.IsA("vtkMRMLLabelMapVolumeNode"):
                byName.setdefault(node.GetName(), node)
        guess = channel_guess.guess_mapping(list(byName), model.channels)
        self.lastGuessProblems = guess.problems()
        return {c: byName.get(guess.mapping.get(c)) for c in model.channels}

    @staticmethod
    def volumeToArray(volumeNode):
        """``(array [k, j, i], ijk_to_ras 4x4)`` of a scalar volume, in world RAS (a linear parent
        transform is applied to the matrix; a non-linear one is refused)."""
        if volumeNode is None or volumeNode.GetImageData() is None:
            raise ValueError("no volume (or a volume without image data)")
        if volumeNode.GetImageData().GetNumberOfScalarComponents() != 1:
            raise ValueError("%s has %d components; LesionLink takes scalar volumes"
                             % (volumeNode.GetName(), volumeNode.GetImageData().GetNumberOfScalarComponents()))
        ijkToRas = vtk.vtkMatrix4x4()
        volumeNode.GetIJKToRASMatrix(ijkToRas)
        transformNode = volumeNode.GetParentTransformNode()
        if transformNode is not None:
            if not transformNode.IsTransformToWorldLinear():
                raise ValueError("%s is under a non-linear transform; harden it first" % volumeNode.GetName())
            toWorld = vtk.vtkMatrix4x4()
            transformNode.GetMatrixTransformToWorld(toWorld)
            vtk.vtkMatrix4x4.Multiply4x4(toWorld, ijkToRas, ijkToRas)
        return slicer.util.arrayFromVolume(volumeNode).copy(), slicer.util.arrayFromVTKMatrix(ijkToRas)

    # --- segmentation

    def segment(self, inputVolumes, modelName, segmentationNode=None, progress=None):
        """Sends ``inputVolumes`` (channel -> scalar volume node) to the server, runs ``modelName`` and
        returns the Segmentation node (``segmentationNode``, or a new ``<reference>_seg``). The report goes
        into :attr:`lastReport` and a table node (:attr:`lastReportTable`)."""
        if not self.connected:
            raise LesionLinkError("not connected to a LesionLink server")
        model = self.modelInfo(modelName)
        if model is None:
            raise LesionLinkError("the server has no model %r" % modelName)
        missing = [c for c in model.channels if inputVolumes.get(c) is None]
        if missing:
            raise LesionLinkError("no volume chosen for channel(s) %s" % ", ".join(missing))
        arrays = {c: self.volumeToArray(inputVolumes[c]) for c in model.channels}
        result = self.client.segment(arrays, model.name, progress=progress)
        reference = inputVolumes[model.channels[0]]
        return self.showResult(result, reference, segmentationNode)

    def showResult(self, result, referenceVolumeNode, segmentationNode=None):
        """Puts a client result into the scene: segmentation (2D + 3D), report table; returns the former."""
        segmentationNode = self.importLabelmap(result.labelmap, result.ijk_to_ras, result.labels,
                                               referenceVolumeNode, segmentationNode)
        self.lastResult, self.lastMessage = result, result.message
        self.lastReport = result.lesion_report()
        self.lastReportTable = self.updateReportTable(self.lastReport, referenceVolumeNode.GetName() + "_report",
                                                      self.lastReportTable)
        return segmentationNode

    def importLabelmap(self, labelmap, ijkToRas, labels, referenceVolumeNode, segmentationNode=None):
        """A Segmentation node with one named, coloured segment per label value present, made by importing
        a temporary labelmap volume node (removed again in ``finally``)."""
        if segmentationNode is None:
            segmentationNode = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLSegmentationNode",
                                                                  referenceVolumeNode.GetName() + "_seg")
            segmentationNode.CreateDefaultDisplayNodes()
        segmentationNode.SetReferenceImageGeometryParameterFromVolumeNode(referenceVolumeNode)
        segmentation = segmentationNode.GetSegmentation()
        byValue = {label.value: label for label in labels}
        values = [int(v) for v in np.unique(labelmap) if v != 0]
        temporary = []
        try:
            colorNode = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLColorTableNode", "LesionLinkLabels")
            temporary.append(colorNode)
            colorNode.SetTypeToUser()
            colorNode.SetNumberOfColors(max(values + [0]) + 1)
            colorNode.SetColor(0, "background", 0, 0, 0, 0)
            for value in values:
                label = byValue.get(value)
                name = label.name if label else "label %d" % value
                r, g, b = label.color if label else (0.5, 0.5, 0.5)
                colorNode.SetColor(value, name, r, g, b, 1.0)
            labelmapNode = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLLabelMapVolumeNode", "LesionLinkLabelmap")
            temporary.append(labelmapNode)
            slicer.util.updateVolumeFromArray(labelmapNode, np.ascontiguousarray(labelmap, dtype=np.uint8))
            labelmapNode.SetIJKToRASMatrix(slicer.util.vtkMatrixFromArray(np.asarray(ijkToRas, dtype=float)))
            labelmapNode.CreateDefaultDisplayNodes()
            labelmapNode.GetDisplayNode().SetAndObserveColorNodeID(colorNode.GetID())

            segmentation.RemoveAllSegments()
            if values and not slicer.modules.segmentations.logic().ImportLabelmapToSegmentationNode(
                    labelmapNode, segmentationNode):
                raise LesionLinkError("Slicer could not import the labelmap into %s" % segmentationNode.GetName())
            # The import names segments after the colour table and creates them in ascending label order;
            # set name, colour and label tag explicitly so that the result does not depend on the version.
            valueByName = {colorNode.GetColorName(value): value for value in values}
            for index in range(segmentation.GetNumberOfSegments()):
                segment = segmentation.GetNthSegment(index)
                value = valueByName.get(segment.GetName(), values[index] if index < len(values) else None)
                label = byValue.get(value)
                segment.SetName(label.name if label else "label %s" % value)
                segment.SetColor(*(label.color if label else (0.5, 0.5, 0.5)))
                segment.SetTag(LABEL_TAG, str(value))
        finally:
            for node in temporary:
                slicer.mrmlScene.RemoveNode(node)

        segmentationNode.CreateClosedSurfaceRepresentation()
        display = segmentationNode.GetDisplayNode()
        display.SetVisibility(True)
        display.SetVisibility2DFill(True)
        display.SetVisibility3D(True)
        return segmentationNode

    @staticmethod
    def updateReportTable(report, name, tableNode=None):
        """A table node with one row per lesion (id, label/region, volume, diameter, centroid RAS); the
        server's JSON is kept in the node attribute ``LesionLink.reportJson``."""
        if tableNode is None or tableNode.GetScene() is None:
            tableNode = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLTableNode", name)
        table = tableNode.GetTable()
        table.Initialize()
        columns = [("ID", vtk.vtkStringArray), ("Label/region", vtk.vtkStringArray), ("Volume (ml)", vtk.vtkDoubleArray),
                   ("Longest diameter (mm)", vtk.vtkDoubleArray), ("R", vtk.vtkDoubleArray), ("A", vtk.vtkDoubleArray),
                   ("S", vtk.vtkDoubleArray)]
        arrays = []
        for title, arrayClass in columns:
            array = arrayClass()
            array.SetName(title)
            arrays.append(array)
        for lesion in report.lesions:
            centroid = lesion.centroid_ras or (float("nan"),) * 3
            values = [lesion.id, lesion.region, lesion.volume_ml, lesion.diameter_mm] + list(centroid)
            for array, value in zip(arrays, values):
                array.InsertNextValue(value)
        for array in arrays:
            table.AddColumn(array)
        tableNode.SetAttribute(REPORT_ATTRIBUTE, json.dumps(report.raw))
        tableNode.Modified()
        return tableNode

    @staticmethod
    def jumpToLesion(centroidRas):
        """Centres the slice views on a RAS position."""
        r, a, s = (float(c) for c in centroidRas)
        slicer.modules.markups.logic().JumpSlicesToLocation(r, a, s, True)

    def writeHtmlReport(self, path=None):
        """Writes the last report as HTML (default: Slicer's temporary folder) and returns the path."""
        if self.lastReport is None:
            raise LesionLinkError("no report yet: run a segmentation first")
        if path is None:
            folder = os.path.join(slicer.app.temporaryPath, "LesionLink")
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, "report.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(report_module.to_html(self.lastReport))
        return path

    # --- streaming

    @property
    def streaming(self):
        return self._stream is not None

    def startStreaming(self, liveVolumeNode, liveChannel, inputVolumes, modelName, segmentationNode=None):
        """Sends the model's other channels once, then every new frame of ``liveVolumeNode`` as
        ``liveChannel``: at most one frame in flight, intermediate frames dropped, results polled every 50 ms."""
        if not self.connected:
            raise LesionLinkError("not connected to a LesionLink server")
        if liveVolumeNode is None:
            raise LesionLinkError("choose the live image first")
        self.stopStreaming()
        model = self.modelInfo(modelName)
        if model is None or liveChannel not in model.channels:
            raise LesionLinkError("the live image must be one of the model's channels %s"
                                  % (model.channels if model else []))
        for channel in model.channels:
            if channel != liveChannel:
                if inputVolumes.get(channel) is None:
                    raise LesionLinkError("no volume chosen for channel %s" % channel)
                self.client.send_volume(*self.volumeToArray(inputVolumes[channel]), channel)
        reference = liveVolumeNode if liveChannel == model.channels[0] else inputVolumes[model.channels[0]]
        self._stream = self.client.stream(liveChannel, model.name)
        self._stream.start()
        self._streamNodes = (liveVolumeNode, reference, segmentationNode)
        self._lastFrameMTime = 0
        for event in (vtk.vtkCommand.ModifiedEvent, slicer.vtkMRMLVolumeNode.ImageDataModifiedEvent):
            self._streamObservations.append((liveVolumeNode, liveVolumeNode.AddObserver(event, self._onLiveFrame)))
        self._streamTimer = qt.QTimer()
        self._streamTimer.setInterval(50)
        self._streamTimer.timeout.connect(self._pollStream)
        self._streamTimer.start()
        self._onLiveFrame(liveVolumeNode, None)  # the current frame

    def stopStreaming(self):
        for node, tag in self._streamObservations:
            node.RemoveObserver(tag)
        self._streamObservations = []
        if self._streamTimer is not None:
            self._streamTimer.stop()
            self._streamTimer = None
        stream, self._stream = self._stream, None
        if stream is not None and self.connected:
            try:
                stream.stop()
            except LesionLinkError as e:
                logging.warning("LesionLink: could not stop streaming: %s", e)

    def _onLiveFrame(self, node, event):
        imageData = node.GetImageData()
        if self._stream is None or imageData is None or imageData.GetMTime() == self._lastFrameMTime:
            return  # a ModifiedEvent that is not a new frame
        self._lastFrameMTime = imageData.GetMTime()
        try:
            self._stream.offer(*self.volumeToArray(node))
        except Exception as e:
            logging.error("LesionLink: streaming stopped: %s", e)
            self.stopStreaming()

    def _pollStream(self):
        stream = self._stream
        if stream is None:
            return
        try:
            results = stream.poll()
        except Exception as e:
            logging.error("LesionLink: streaming stopped: %s", e)
            self.stopStreaming()
            return
        for result in results[-1:]:  # only the newest result is shown
            liveNode, reference, segmentationNode = self._streamNodes
            segmentationNode = self.showResult(result, reference, segmentationNode)
            self._streamNodes = (liveNode, reference, segmentationNode)
        if results and self.streamCallback:
            self.streamCallback(self._streamNodes[2], stream)

    # --- ablation monitoring (server-conventions.md section 7); decision support, not treatment planning

    @property
    def ablationMonitoring(self):
        return self._ablation is not None

    @property
    def thermometryStreaming(self):
        return bool(self._thermoObservations)

    def startAblation(self, probeNode, device, powerW, timeS, lesionNode, criticalNode=None, zone=None):
        """``zone`` = (a, b, c, offset) mm replaces the device-table zone. Opens a connection of its own (segmentation streaming keeps its messages), sends the labelmaps and
        the plan, then each move of ``probeNode`` (world matrix: tip at the origin, insertion along +z) with at
        most one pose in flight; updates are polled every 50 ms and given to :attr:`ablationCallback`."""
        if not self.connected or self._address is None:
            raise LesionLinkError("not connected to a LesionLink server")
        if probeNode is None or lesionNode is None:
            raise LesionLinkError("choose the probe transform and the target lesion labelmap first")
        self.stopAblation()
        host, port, useV3 = self._address
        client = LesionLinkClient(host, port, use_v3=useV3)
        client.connect()
        try:
            session = ablation_module.AblationSession(client, probe=probeNode.GetName()[:20] or ablation_module.PROBE)
            session.send_lesion(*self._labelArray(lesionNode))
            if criticalNode is not None:
                session.send_critical(*self._labelArray(criticalNode))
            zoneArgs = {"zone": zone} if zone is not None else {"device": device, "power": powerW, "time": timeS}
            session.plan(**zoneArgs,
                         criticalName=criticalNode.GetName() if criticalNode is not None else "critical structure")
        except Exception:
            client.close()
            raise
        self._ablation = (client, session)
        self._poseInFlight, self._pendingPose = False, None
        self._ablationObservations.append((probeNode, probeNode.AddObserver(
            slicer.vtkMRMLTransformableNode.TransformModifiedEvent, self._onProbeMoved)))
        self._ablationTimer = qt.QTimer()
        self._ablationTimer.setInterval(50)
        self._ablationTimer.timeout.connect(self._pollAblation)
        self._ablationTimer.start()
        self._onProbeMoved(probeNode, None)  # the current pose

    def _labelArray(self, labelNode):
        array, ijkToRas = self.volumeToArray(labelNode)
        return array.astype(np.uint8) if array.max() <= 255 and array.min() >= 0 else array.astype(np.int16), ijkToRas

    def stopAblation(self):
        self.stopThermometry()
        for node, tag in self._ablationObservations:
            node.RemoveObserver(tag)
        self._ablationObservations = []
        if self._ablationTimer is not None:
            self._ablationTimer.stop()
            self._ablationTimer = None
        if self._ablation is not None:
            self._ablation[0].close()
            self._ablation = None

    def commitAblation(self):
        if self._ablation is None:
            raise LesionLinkError("start monitoring first")
        return self._ablation[1].commit()

    def resetAblation(self):
        if self._ablation is None:
            raise LesionLinkError("start monitoring first")
        self._ablation[1].reset()

    def _onProbeMoved(self, probeNode, event):
        matrix = vtk.vtkMatrix4x4()
        probeNode.GetMatrixTransformToWorld(matrix)
        pose = slicer.util.arrayFromVTKMatrix(matrix)
        if self._poseInFlight:
            self._pendingPose = pose  # newest pose wins: an older waiting one is dropped
            return
        self._sendPose(pose)

    def _sendPose(self, pose):
        try:
            self._ablation[1].send_pose(pose)
            self._poseInFlight = True
        except Exception as e:
            logging.error("LesionLink: ablation monitoring stopped: %s", e)
            self.stopAblation()

    def _pollAblation(self):
        if self._ablation is None:
            return
        try:
            updates, _ = self._ablation[1].poll()
        except Exception as e:
            logging.error("LesionLink: ablation monitoring stopped: %s", e)
            self.stopAblation()
            return
        for update in updates:
            if isinstance(update, ablation_module.AblationUpdate):
                self._poseInFlight = False
                if update.surface is not None:
                    self.showPolyData(update.surface, "AblationZone", (1.0, 0.5, 0.0))
            else:
                for key, image in update.maps.items():
                    self.showImage(image, "Therm_" + key)
                if update.isodose is not None:
                    self.showPolyData(update.isodose, "ThermIsodose240", (0.8, 0.0, 0.0))
            if self.ablationCallback:
                self.ablationCallback(update)
        if not self._poseInFlight and self._pendingPose is not None and self._ablation is not None:
            pose, self._pendingPose = self._pendingPose, None
            self._sendPose(pose)

    def startThermometry(self, phaseNode, b0Tesla, teSeconds):
        """Sends each new frame of ``phaseNode`` (radians) as ``ThermPhase``; the first is the baseline."""
        if self._ablation is None:
            raise LesionLinkError("start ablation monitoring first (thermometry uses its connection and lesion)")
        if phaseNode is None:
            raise LesionLinkError("choose the phase image first")
        self.stopThermometry()
        self._ablation[1].thermometry(b0Tesla, teSeconds)
        self._lastPhaseMTime = 0
        for event in (vtk.vtkCommand.ModifiedEvent, slicer.vtkMRMLVolumeNode.ImageDataModifiedEvent):
            self._thermoObservations.append((phaseNode, phaseNode.AddObserver(event, self._onPhaseFrame)))
        self._onPhaseFrame(phaseNode, None)

    def stopThermometry(self):
        for node, tag in self._thermoObservations:
            node.RemoveObserver(tag)
        self._thermoObservations = []

    def _onPhaseFrame(self, node, event):
        imageData = node.GetImageData()
        if self._ablation is None or imageData is None or imageData.GetMTime() == self._lastPhaseMTime:
            return
        self._lastPhaseMTime = imageData.GetMTime()
        array, ijkToRas = self.volumeToArray(node)
        try:
            self._ablation[1].send_phase(array, ijkToRas, igtl_module.timestamp_from_seconds(time.time()))
        except Exception as e:
            logging.error("LesionLink: thermometry stopped: %s", e)
            self.stopThermometry()

    @staticmethod
    def showPolyData(polyData, name, color):
        """A model node ``name`` (created once, then updated in place) holding a POLYDATA's triangles."""
        points = vtk.vtkPoints()
        for p in np.asarray(polyData.points, dtype=float).reshape(-1, 3):
            points.InsertNextPoint(*p)
        polys = vtk.vtkCellArray()
        for cell in polyData.polygons.cells():
            polys.InsertNextCell(len(cell))
            for index in cell:
                polys.InsertCellPoint(int(index))
        surface = vtk.vtkPolyData()
        surface.SetPoints(points)
        surface.SetPolys(polys)
        node = slicer.mrmlScene.GetFirstNodeByName(name)
        if node is None or not node.IsA("vtkMRMLModelNode"):
            node = slicer.modules.models.logic().AddModel(surface)
            node.SetName(name)
            node.GetDisplayNode().SetColor(*color)
            node.GetDisplayNode().SetOpacity(0.4)
            node.GetDisplayNode().SetVisibility2D(True)
        else:
            node.SetAndObservePolyData(surface)
        return node

    @staticmethod
    def showImage(image, name):
        """A scalar volume node ``name`` (created once, then updated in place) holding an IMAGE's voxels."""
        node = slicer.mrmlScene.GetFirstNodeByName(name)
        if node is None or not node.IsA("vtkMRMLScalarVolumeNode"):
            node = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLScalarVolumeNode", name)
        slicer.util.updateVolumeFromArray(node, np.ascontiguousarray(image.pixels))
        node.SetIJKToRASMatrix(slicer.util.vtkMatrixFromArray(image.ijk_to_ras()))
        return node


#
# Test
#

class LesionLinkTest(ScriptedLoadableModuleTest):
    """Runs the module's flow against a running server: ``LESIONLINK_HOST`` / ``LESIONLINK_PORT``
    (default localhost:18944). Skipped, with the reason, when no server answers there."""

    def setUp(self):
        slicer.mrmlScene.Clear()

    def runTest(self):
        self.setUp()
        self.test_SegmentSyntheticCase()
        self.setUp()
        self.test_AblationMonitoring()

    def test_SegmentSyntheticCase(self):
        host = os.environ.get("LESIONLINK_HOST", "localhost")
        port = int(os.environ.get("LESIONLINK_PORT", DEFAULT_PORT))
        logic = LesionLinkLogic()
        try:
            logic.connect(host, port)
        except (ConnectionError, LesionLinkError, OSError) as e:
            self.delayDisplay("Skipped: no LesionLink server at %s:%d (%s)" % (host, port, e))
            self.skipTest("no LesionLink server at %s:%d: %s" % (host, port, e))
        try:
            self.assertTrue(logic.models, "the server lists no models")
            model = logic.models[0]
            self.delayDisplay("Segmenting a synthetic case with %s" % model.name)
            volumes = self._syntheticCase(model.channels)
            segmentation = logic.segment(volumes, model.name)

            reference = volumes[model.channels[0]]
            self.assertEqual(segmentation.GetName(), reference.GetName() + "_seg")
            self.assertTrue(segmentation.GetSegmentation().ContainsRepresentation("Closed surface"))
            names = {label.name for label in logic.lastResult.labels}
            segments = segmentation.GetSegmentation()
            present = {int(v) for v in np.unique(logic.lastResult.labelmap) if v}
            self.assertEqual(segments.GetNumberOfSegments(), len(present))
            for index in range(segments.GetNumberOfSegments()):
                segment = segments.GetNthSegment(index)
                self.assertIn(segment.GetName(), names)
            table = logic.lastReportTable
            self.assertEqual(table.GetNumberOfRows(), len(logic.lastReport.lesions))
            self.assertTrue(table.GetAttribute(REPORT_ATTRIBUTE))
            self.assertTrue(os.path.isfile(logic.writeHtmlReport()))
            self.delayDisplay("Test passed: %s" % logic.lastMessage)
        finally:
            logic.disconnect()

    def test_AblationMonitoring(self):
        """The panel's Logic with a probe transform moved towards a canal: WARN, then STOP (the phantom of
        slicer-module/tests/test_live_ablation.py: lesion r = 10 mm at the origin, canal r = 3 mm at y = -26,
        a 15 mm spherical zone centred on the tip)."""
        host = os.environ.get("LESIONLINK_HOST", "localhost")
        port = int(os.environ.get("LESIONLINK_PORT", DEFAULT_PORT))
        logic = LesionLinkLogic()
        try:
            logic.connect(host, port)
        except (ConnectionError, LesionLinkError, OSError) as e:
            self.skipTest("no LesionLink server at %s:%d: %s" % (host, port, e))
        try:
            if not logic.ablationSupported():
                self.skipTest("the server does not answer the ablation commands")
            c = np.arange(60) - 29.5
            z, y, x = np.meshgrid(c, c, c, indexing="ij")
            ijkToRas = np.array([[1, 0, 0, -29.5], [0, 1, 0, -29.5], [0, 0, 1, -29.5], [0, 0, 0, 1]], dtype=float)
            lesion = slicer.util.addVolumeFromArray((x ** 2 + y ** 2 + z ** 2 <= 100).astype(np.uint8), ijkToRAS=ijkToRas,
                                                    name="Lesion", nodeClassName="vtkMRMLLabelMapVolumeNode")
            canal = slicer.util.addVolumeFromArray(((x ** 2 + (y + 26) ** 2 <= 9) * 3).astype(np.uint8), ijkToRAS=ijkToRas,
                                                   name="Canal", nodeClassName="vtkMRMLLabelMapVolumeNode")
            probe = slicer.mrmlScene.AddNewNodeByClass("vtkMRMLLinearTransformNode", "NeedleToReference")
            updates = []
            logic.ablationCallback = updates.append
            logic.startAblation(probe, None, 0, 0, lesion, canal, zone=(15, 15, 15, 0))
            self.assertEqual(self._nextUpdate(updates).status, "WARN")
            probe.SetMatrixTransformToParent(slicer.util.vtkMatrixFromArray(np.array(
                [[1, 0, 0, 0], [0, 1, 0, -7], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=float)))
            stop = self._nextUpdate(updates)
            self.assertEqual(stop.status, "STOP")
            self.assertLess(stop.coverage_percent, 100)
            self.assertIsNotNone(slicer.mrmlScene.GetFirstNodeByName("AblationZone"))
            self.delayDisplay("Test passed: " + stop.summary().splitlines()[0])
        finally:
            logic.disconnect()

    @staticmethod
    def _nextUpdate(updates, timeout=30):
        """Processes events until the Logic's timer delivered a new update."""
        seen, deadline = len(updates), time.monotonic() + timeout
        while len(updates) == seen:
            if time.monotonic() > deadline:
                raise AssertionError("no ablation update within %d s" % timeout)
            slicer.app.processEvents()
            time.sleep(0.02)
        return updates[-1]

    @staticmethod
    def _syntheticCase(modelChannels, shape=(24, 40, 40)):
        """One volume per channel: noise and a bright sphere, on an oblique 1.2 x 1.0 x 3 mm grid."""
        k, j, i = np.indices(shape)
        ball = ((i - 20) ** 2 + (j - 18) ** 2 + ((k - 12) * 3) ** 2) < 36
        rng = np.random.default_rng(0)
        angle = np.radians(10)
        ijkToRas = np.array([[1.2, 0, 0, -24], [0, np.cos(angle), -3 * np.sin(angle), -20],
                             [0, np.sin(angle), 3 * np.cos(angle), -36], [0, 0, 0, 1]])
        volumes = {}
        for channel in modelChannels:
            array = (rng.normal(100, 10, shape) + 300 * ball).astype(np.int16)
            volumes[channel] = slicer.util.addVolumeFromArray(array, ijkToRAS=ijkToRas, name="Synthetic_" + channel)
        return volumes
