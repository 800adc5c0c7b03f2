package org.lesionlink.dicom.volume;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Sequence;
import org.lesionlink.dicom.data.Tag;

/**
 * What series selection needs to know about a series, taken from the header of one of its instances (the first
 * given) plus counts over all of them. Text attributes are {@code ""} when absent; numbers are {@code NaN} or
 * {@code null} when absent.
 *
 * <p>For enhanced multi-frame MR the acquisition parameters live in functional groups: TR is read from
 * MRTimingAndRelatedParametersSequence, TE from MREchoSequence (EffectiveEchoTime), TI from MRModifierSequence
 * (InversionTimes), shared groups first, then the first frame's, when the classic attributes are absent.
 *
 * @param id the series key: SeriesInstanceUID, with {@code #n} appended for the n-th stack of a split series
 * @param sliceCount frames in total (one per single-frame instance)
 * @param contrastAgent ContrastBolusAgent (or the first ContrastBolusAgentSequence item's CodeMeaning); {@code ""}
 *     when absent, empty or a "none"-like value
 * @param repetitionTime ms, or NaN
 * @param echoTime ms, or NaN
 * @param inversionTime ms, or NaN
 * @param sliceThickness mm, or NaN
 * @param orientation AXIAL, SAGITTAL, CORONAL (prefixed OBLIQUE_ when more than 10 degrees off), MIXED, or ""
 */
public record SeriesInfo(
        String id,
        String studyInstanceUid,
        String seriesInstanceUid,
        Integer seriesNumber,
        String modality,
        String seriesDescription,
        String protocolName,
        String sequenceName,
        List<String> imageType,
        String contrastAgent,
        double repetitionTime,
        double echoTime,
        double inversionTime,
        double sliceThickness,
        String frameOfReferenceUid,
        String sopClassUid,
        int instanceCount,
        int sliceCount,
        String orientation) {

    public SeriesInfo {
        imageType = List.copyOf(imageType);
    }

    /** The info of a series (or one stack of it) made of {@code instances}; {@code id} names it. */
    static SeriesInfo of(String id, List<DicomInstance> instances, int sliceCount, String orientation) {
        Attributes a = instances.get(0).header();
        Attributes shared = a.getNestedDataset(Tag.SharedFunctionalGroupsSequence);
        Attributes frame1 = a.getNestedDataset(Tag.PerFrameFunctionalGroupsSequence);
        String[] it = a.getStrings(Tag.ImageType);
        String seriesNumber = a.getString(Tag.SeriesNumber);
        return new SeriesInfo(id,
                text(a, Tag.StudyInstanceUID),
                text(a, Tag.SeriesInstanceUID),
                parseInt(seriesNumber),
                text(a, Tag.Modality).toUpperCase(Locale.ROOT),
                text(a, Tag.SeriesDescription),
                text(a, Tags.ProtocolName),
                text(a, Tags.SequenceName),
                it == null ? List.of() : Arrays.stream(it).map(s -> s.toUpperCase(Locale.ROOT)).toList(),
                contrastAgent(a),
                number(a, shared, frame1, Tags.RepetitionTime, Tags.MRTimingAndRelatedParametersSequence, Tags.RepetitionTime),
                number(a, shared, frame1, Tags.EchoTime, Tags.MREchoSequence, Tags.EffectiveEchoTime),
                number(a, shared, frame1, Tags.InversionTime, Tags.MRModifierSequence, Tags.InversionTimes),
                number(a, shared, frame1, Tag.SliceThickness, Tag.PixelMeasuresSequence, Tag.SliceThickness),
                text(a, Tag.FrameOfReferenceUID),
                text(a, Tag.SOPClassUID),
                instances.size(),
                sliceCount,
                orientation);
    }

    /** Whether ImageType holds {@code value} (upper case), e.g. LOCALIZER. */
    public boolean hasImageType(String value) {
        return imageType.contains(value);
    }

    /** ImageType value 1 is DERIVED, or value 2 is SECONDARY. */
    public boolean isDerivedOrSecondary() {
        return (!imageType.isEmpty() && imageType.get(0).equals("DERIVED"))
                || (imageType.size() > 1 && imageType.get(1).equals("SECONDARY"));
    }

    /** Description, protocol and sequence name joined with " | ", for matching and messages. */
    public String texts() {
        return String.join(" | ", seriesDescription, protocolName, sequenceName);
    }

    /** One line for reports: number, modality, description, slices. */
    public String label() {
        return "#" + (seriesNumber == null ? "?" : seriesNumber) + " " + modality + " \"" + seriesDescription + "\" ("
                + sliceCount + (sliceCount == 1 ? " slice" : " slices") + (orientation.isEmpty() ? "" : ", " + orientation.toLowerCase(Locale.ROOT)) + ")";
    }

    private static String text(Attributes a, int tag) {
        String s = a.getString(tag);
        return s == null ? "" : s.strip();
    }

    private static Integer parseInt(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.strip().startsWith("+") ? s.strip().substring(1) : s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String contrastAgent(Attributes a) {
        String agent = text(a, Tags.ContrastBolusAgent);
        if (agent.isEmpty()) {
            Attributes item = a.getNestedDataset(Tags.ContrastBolusAgentSequence);
            if (item != null) {
                agent = text(item, Tag.CodeMeaning);
                if (agent.isEmpty()) {
                    agent = text(item, Tag.CodeValue);
                }
            }
        }
        String lower = agent.toLowerCase(Locale.ROOT);
        if (lower.matches("none|no|n/?a|-+|0|nil|without")) {
            return "";
        }
        return agent;
    }

    /** A number from the classic attribute, else from a functional group (shared, then the first frame's). */
    private static double number(Attributes a, Attributes shared, Attributes frame1, int classicTag, int groupTag, int innerTag) {
        double v = first(a, classicTag);
        if (!Double.isNaN(v)) {
            return v;
        }
        for (Attributes fg : new Attributes[] {shared, frame1}) {
            if (fg == null) {
                continue;
            }
            Sequence s = fg.getSequence(groupTag);
            if (s != null && !s.isEmpty()) {
                v = first(s.get(0), innerTag);
                if (!Double.isNaN(v)) {
                    return v;
                }
            }
        }
        return Double.NaN;
    }

    private static double first(Attributes a, int tag) {
        try {
            double[] d = a.getDoubles(tag);
            return d == null || d.length == 0 ? Double.NaN : d[0];
        } catch (RuntimeException e) { // a malformed DS/IS value counts as absent
            return Double.NaN;
        }
    }
}
