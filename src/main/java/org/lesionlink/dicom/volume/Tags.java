package org.lesionlink.dicom.volume;

import org.lesionlink.dicom.data.ElementDictionary;

/**
 * Tags this package needs beyond the constants in {@link org.lesionlink.dicom.data.Tag}, resolved by keyword from
 * the generated PS3.6 dictionary when the class loads (a misspelt keyword fails at once, not at run time).
 */
final class Tags {

    private Tags() {
    }

    static final int ProtocolName = of("ProtocolName");
    static final int SequenceName = of("SequenceName");
    static final int ContrastBolusAgent = of("ContrastBolusAgent");
    static final int ContrastBolusAgentSequence = of("ContrastBolusAgentSequence");
    static final int RepetitionTime = of("RepetitionTime");
    static final int EchoTime = of("EchoTime");
    static final int InversionTime = of("InversionTime");
    static final int InversionTimes = of("InversionTimes");
    static final int EffectiveEchoTime = of("EffectiveEchoTime");
    static final int EchoNumbers = of("EchoNumbers");
    static final int TemporalPositionIdentifier = of("TemporalPositionIdentifier");
    static final int TriggerTime = of("TriggerTime");
    static final int DiffusionBValue = of("DiffusionBValue");
    static final int MRTimingAndRelatedParametersSequence = of("MRTimingAndRelatedParametersSequence");
    static final int MREchoSequence = of("MREchoSequence");
    static final int MRModifierSequence = of("MRModifierSequence");
    static final int PixelValueTransformationSequence = of("PixelValueTransformationSequence");
    static final int FrameContentSequence = of("FrameContentSequence");
    static final int StackID = of("StackID");
    static final int TemporalPositionIndex = of("TemporalPositionIndex");
    static final int FloatPixelData = of("FloatPixelData");
    static final int DoubleFloatPixelData = of("DoubleFloatPixelData");
    static final int DirectoryRecordSequence = of("DirectoryRecordSequence");
    static final int ImagerPixelSpacing = of("ImagerPixelSpacing");
    static final int MagneticFieldStrength = of("MagneticFieldStrength");

    private static int of(String keyword) {
        return ElementDictionary.standard().lookup(keyword)
                .orElseThrow(() -> new IllegalStateException("no such keyword in the dictionary: " + keyword)).tag();
    }
}
