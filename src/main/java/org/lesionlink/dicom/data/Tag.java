package org.lesionlink.dicom.data;

/**
 * Data element tags, PS3.5 section 7.1: a 16-bit group and a 16-bit element number packed into one {@code int}
 * as {@code group << 16 | element}, with constants named by the standard's keywords (PS3.6 section 6, PS3.7 E.1).
 *
 * <p>Only the tags LesionLink's code refers to have constants; {@link ElementDictionary} knows all of them.
 * The constants were written from the generated dictionary, and {@code TagTest} checks each against it.
 * Tags compare as unsigned numbers ({@link #compare}), which is the order of elements in a data set (PS3.5
 * section 7.1).
 */
@SuppressWarnings("checkstyle:ConstantName") // keywords as in the standard, like dcm4che's Tag class
public final class Tag {

    private Tag() {
    }

    public static int of(int group, int element) {
        return (group << 16) | (element & 0xFFFF);
    }

    public static int group(int tag) {
        return tag >>> 16;
    }

    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** Data set order: unsigned comparison of the packed tags. */
    public static int compare(int a, int b) {
        return Integer.compareUnsigned(a, b);
    }

    /** Odd groups are private, PS3.5 section 7.8.1 (except the illegal groups 0001, 0003, 0005, 0007 and FFFF). */
    public static boolean isPrivate(int tag) {
        return (group(tag) & 1) == 1;
    }

    /** Private Creator Data Element (gggg,0010-00FF) of an odd group, PS3.5 section 7.8.1. */
    public static boolean isPrivateCreator(int tag) {
        int e = element(tag);
        return isPrivate(tag) && e >= 0x10 && e <= 0xFF;
    }

    /** Group length (gggg,0000), PS3.5 section 7.2. */
    public static boolean isGroupLength(int tag) {
        return element(tag) == 0;
    }

    /** The item and delimitation tags of group FFFE, PS3.5 section 7.5. */
    public static boolean isItemOrDelimiter(int tag) {
        return tag == Item || tag == ItemDelimitationItem || tag == SequenceDelimitationItem;
    }

    /** {@code (gggg,eeee)} in upper-case hex, as dcmdump and the standard print tags. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", group(tag), element(tag));
    }

    /** Parses {@code "GGGGEEEE"} or {@code "(GGGG,EEEE)"}. */
    public static int parse(String s) {
        String h = s.replace("(", "").replace(")", "").replace(",", "").strip();
        if (h.length() != 8) {
            throw new IllegalArgumentException("not a tag: " + s);
        }
        return (int) Long.parseLong(h, 16);
    }

    /** (0000,0000) Command Group Length UL, VM 1. */
    public static final int CommandGroupLength = 0x00000000;

    /** (0000,0002) Affected SOP Class UID UI, VM 1. */
    public static final int AffectedSOPClassUID = 0x00000002;

    /** (0000,0003) Requested SOP Class UID UI, VM 1. */
    public static final int RequestedSOPClassUID = 0x00000003;

    /** (0000,0100) Command Field US, VM 1. */
    public static final int CommandField = 0x00000100;

    /** (0000,0110) Message ID US, VM 1. */
    public static final int MessageID = 0x00000110;

    /** (0000,0120) Message ID Being Responded To US, VM 1. */
    public static final int MessageIDBeingRespondedTo = 0x00000120;

    /** (0000,0600) Move Destination AE, VM 1. */
    public static final int MoveDestination = 0x00000600;

    /** (0000,0700) Priority US, VM 1. */
    public static final int Priority = 0x00000700;

    /** (0000,0800) Command Data Set Type US, VM 1. */
    public static final int CommandDataSetType = 0x00000800;

    /** (0000,0900) Status US, VM 1. */
    public static final int Status = 0x00000900;

    /** (0000,0901) Offending Element AT, VM 1-n. */
    public static final int OffendingElement = 0x00000901;

    /** (0000,0902) Error Comment LO, VM 1. */
    public static final int ErrorComment = 0x00000902;

    /** (0000,0903) Error ID US, VM 1. */
    public static final int ErrorID = 0x00000903;

    /** (0000,1000) Affected SOP Instance UID UI, VM 1. */
    public static final int AffectedSOPInstanceUID = 0x00001000;

    /** (0000,1001) Requested SOP Instance UID UI, VM 1. */
    public static final int RequestedSOPInstanceUID = 0x00001001;

    /** (0000,1020) Number of Remaining Sub-operations US, VM 1. */
    public static final int NumberOfRemainingSuboperations = 0x00001020;

    /** (0000,1021) Number of Completed Sub-operations US, VM 1. */
    public static final int NumberOfCompletedSuboperations = 0x00001021;

    /** (0000,1022) Number of Failed Sub-operations US, VM 1. */
    public static final int NumberOfFailedSuboperations = 0x00001022;

    /** (0000,1023) Number of Warning Sub-operations US, VM 1. */
    public static final int NumberOfWarningSuboperations = 0x00001023;

    /** (0000,1030) Move Originator Application Entity Title AE, VM 1. */
    public static final int MoveOriginatorApplicationEntityTitle = 0x00001030;

    /** (0000,1031) Move Originator Message ID US, VM 1. */
    public static final int MoveOriginatorMessageID = 0x00001031;

    /** (0002,0000) File Meta Information Group Length UL, VM 1. */
    public static final int FileMetaInformationGroupLength = 0x00020000;

    /** (0002,0001) File Meta Information Version OB, VM 1. */
    public static final int FileMetaInformationVersion = 0x00020001;

    /** (0002,0002) Media Storage SOP Class UID UI, VM 1. */
    public static final int MediaStorageSOPClassUID = 0x00020002;

    /** (0002,0003) Media Storage SOP Instance UID UI, VM 1. */
    public static final int MediaStorageSOPInstanceUID = 0x00020003;

    /** (0002,0010) Transfer Syntax UID UI, VM 1. */
    public static final int TransferSyntaxUID = 0x00020010;

    /** (0002,0012) Implementation Class UID UI, VM 1. */
    public static final int ImplementationClassUID = 0x00020012;

    /** (0002,0013) Implementation Version Name SH, VM 1. */
    public static final int ImplementationVersionName = 0x00020013;

    /** (0002,0016) Source Application Entity Title AE, VM 1. */
    public static final int SourceApplicationEntityTitle = 0x00020016;

    /** (0008,0005) Specific Character Set CS, VM 1-n. */
    public static final int SpecificCharacterSet = 0x00080005;

    /** (0008,0008) Image Type CS, VM 2-n. */
    public static final int ImageType = 0x00080008;

    /** (0008,0012) Instance Creation Date DA, VM 1. */
    public static final int InstanceCreationDate = 0x00080012;

    /** (0008,0013) Instance Creation Time TM, VM 1. */
    public static final int InstanceCreationTime = 0x00080013;

    /** (0008,0016) SOP Class UID UI, VM 1. */
    public static final int SOPClassUID = 0x00080016;

    /** (0008,0018) SOP Instance UID UI, VM 1. */
    public static final int SOPInstanceUID = 0x00080018;

    /** (0008,0020) Study Date DA, VM 1. */
    public static final int StudyDate = 0x00080020;

    /** (0008,0021) Series Date DA, VM 1. */
    public static final int SeriesDate = 0x00080021;

    /** (0008,0022) Acquisition Date DA, VM 1. */
    public static final int AcquisitionDate = 0x00080022;

    /** (0008,0023) Content Date DA, VM 1. */
    public static final int ContentDate = 0x00080023;

    /** (0008,0030) Study Time TM, VM 1. */
    public static final int StudyTime = 0x00080030;

    /** (0008,0031) Series Time TM, VM 1. */
    public static final int SeriesTime = 0x00080031;

    /** (0008,0032) Acquisition Time TM, VM 1. */
    public static final int AcquisitionTime = 0x00080032;

    /** (0008,0033) Content Time TM, VM 1. */
    public static final int ContentTime = 0x00080033;

    /** (0008,0050) Accession Number SH, VM 1. */
    public static final int AccessionNumber = 0x00080050;

    /** (0008,0052) Query/Retrieve Level CS, VM 1. */
    public static final int QueryRetrieveLevel = 0x00080052;

    /** (0008,0060) Modality CS, VM 1. */
    public static final int Modality = 0x00080060;

    /** (0008,0070) Manufacturer LO, VM 1. */
    public static final int Manufacturer = 0x00080070;

    /** (0008,0080) Institution Name LO, VM 1. */
    public static final int InstitutionName = 0x00080080;

    /** (0008,0090) Referring Physician's Name PN, VM 1. */
    public static final int ReferringPhysicianName = 0x00080090;

    /** (0008,0201) Timezone Offset From UTC SH, VM 1. */
    public static final int TimezoneOffsetFromUTC = 0x00080201;

    /** (0008,1010) Station Name SH, VM 1. */
    public static final int StationName = 0x00081010;

    /** (0008,1030) Study Description LO, VM 1. */
    public static final int StudyDescription = 0x00081030;

    /** (0008,103E) Series Description LO, VM 1. */
    public static final int SeriesDescription = 0x0008103E;

    /** (0008,1090) Manufacturer's Model Name LO, VM 1. */
    public static final int ManufacturerModelName = 0x00081090;

    /** (0008,1140) Referenced Image Sequence SQ, VM 1. */
    public static final int ReferencedImageSequence = 0x00081140;

    /** (0008,1115) Referenced Series Sequence SQ, VM 1. */
    public static final int ReferencedSeriesSequence = 0x00081115;

    /** (0008,114A) Referenced Instance Sequence SQ, VM 1. */
    public static final int ReferencedInstanceSequence = 0x0008114A;

    /** (0008,1150) Referenced SOP Class UID UI, VM 1. */
    public static final int ReferencedSOPClassUID = 0x00081150;

    /** (0008,1155) Referenced SOP Instance UID UI, VM 1. */
    public static final int ReferencedSOPInstanceUID = 0x00081155;

    /** (0008,2111) Derivation Description ST, VM 1. */
    public static final int DerivationDescription = 0x00082111;

    /** (0008,2112) Source Image Sequence SQ, VM 1. */
    public static final int SourceImageSequence = 0x00082112;

    /** (0008,9215) Derivation Code Sequence SQ, VM 1. */
    public static final int DerivationCodeSequence = 0x00089215;

    /** (0008,0100) Code Value SH, VM 1. */
    public static final int CodeValue = 0x00080100;

    /** (0008,0102) Coding Scheme Designator SH, VM 1. */
    public static final int CodingSchemeDesignator = 0x00080102;

    /** (0008,0103) Coding Scheme Version SH, VM 1. */
    public static final int CodingSchemeVersion = 0x00080103;

    /** (0008,0104) Code Meaning LO, VM 1. */
    public static final int CodeMeaning = 0x00080104;

    /** (0040,A170) Purpose of Reference Code Sequence SQ, VM 1. */
    public static final int PurposeOfReferenceCodeSequence = 0x0040A170;

    /** (0008,0058) Failed SOP Instance UID List UI, VM 1-n. */
    public static final int FailedSOPInstanceUIDList = 0x00080058;

    /** (0010,0010) Patient's Name PN, VM 1. */
    public static final int PatientName = 0x00100010;

    /** (0010,0020) Patient ID LO, VM 1. */
    public static final int PatientID = 0x00100020;

    /** (0010,0030) Patient's Birth Date DA, VM 1. */
    public static final int PatientBirthDate = 0x00100030;

    /** (0010,0040) Patient's Sex CS, VM 1. */
    public static final int PatientSex = 0x00100040;

    /** (0010,1010) Patient's Age AS, VM 1. */
    public static final int PatientAge = 0x00101010;

    /** (0010,1030) Patient's Weight DS, VM 1. */
    public static final int PatientWeight = 0x00101030;

    /** (0018,0015) Body Part Examined CS, VM 1. */
    public static final int BodyPartExamined = 0x00180015;

    /** (0018,0050) Slice Thickness DS, VM 1. */
    public static final int SliceThickness = 0x00180050;

    /** (0018,0088) Spacing Between Slices DS, VM 1. */
    public static final int SpacingBetweenSlices = 0x00180088;

    /** (0018,1000) Device Serial Number LO, VM 1. */
    public static final int DeviceSerialNumber = 0x00181000;

    /** (0018,1020) Software Versions LO, VM 1-n. */
    public static final int SoftwareVersions = 0x00181020;

    /** (0020,000D) Study Instance UID UI, VM 1. */
    public static final int StudyInstanceUID = 0x0020000D;

    /** (0020,000E) Series Instance UID UI, VM 1. */
    public static final int SeriesInstanceUID = 0x0020000E;

    /** (0020,0010) Study ID SH, VM 1. */
    public static final int StudyID = 0x00200010;

    /** (0020,0011) Series Number IS, VM 1. */
    public static final int SeriesNumber = 0x00200011;

    /** (0020,0012) Acquisition Number IS, VM 1. */
    public static final int AcquisitionNumber = 0x00200012;

    /** (0020,0013) Instance Number IS, VM 1. */
    public static final int InstanceNumber = 0x00200013;

    /** (0020,0032) Image Position (Patient) DS, VM 3. */
    public static final int ImagePositionPatient = 0x00200032;

    /** (0020,0037) Image Orientation (Patient) DS, VM 6. */
    public static final int ImageOrientationPatient = 0x00200037;

    /** (0020,0052) Frame of Reference UID UI, VM 1. */
    public static final int FrameOfReferenceUID = 0x00200052;

    /** (0020,1040) Position Reference Indicator LO, VM 1. */
    public static final int PositionReferenceIndicator = 0x00201040;

    /** (0020,1041) Slice Location DS, VM 1. */
    public static final int SliceLocation = 0x00201041;

    /** (0020,0060) Laterality CS, VM 1. */
    public static final int Laterality = 0x00200060;

    /** (0028,0002) Samples per Pixel US, VM 1. */
    public static final int SamplesPerPixel = 0x00280002;

    /** (0028,0004) Photometric Interpretation CS, VM 1. */
    public static final int PhotometricInterpretation = 0x00280004;

    /** (0028,0008) Number of Frames IS, VM 1. */
    public static final int NumberOfFrames = 0x00280008;

    /** (0028,0010) Rows US, VM 1. */
    public static final int Rows = 0x00280010;

    /** (0028,0011) Columns US, VM 1. */
    public static final int Columns = 0x00280011;

    /** (0028,0030) Pixel Spacing DS, VM 2. */
    public static final int PixelSpacing = 0x00280030;

    /** (0028,0100) Bits Allocated US, VM 1. */
    public static final int BitsAllocated = 0x00280100;

    /** (0028,0101) Bits Stored US, VM 1. */
    public static final int BitsStored = 0x00280101;

    /** (0028,0102) High Bit US, VM 1. */
    public static final int HighBit = 0x00280102;

    /** (0028,0103) Pixel Representation US, VM 1. */
    public static final int PixelRepresentation = 0x00280103;

    /** (0028,2110) Lossy Image Compression CS, VM 1. */
    public static final int LossyImageCompression = 0x00282110;

    /** (0028,1052) Rescale Intercept DS, VM 1. */
    public static final int RescaleIntercept = 0x00281052;

    /** (0028,1053) Rescale Slope DS, VM 1. */
    public static final int RescaleSlope = 0x00281053;

    /** (0028,1054) Rescale Type LO, VM 1. */
    public static final int RescaleType = 0x00281054;

    /** (0028,1050) Window Center DS, VM 1-n. */
    public static final int WindowCenter = 0x00281050;

    /** (0028,1051) Window Width DS, VM 1-n. */
    public static final int WindowWidth = 0x00281051;

    /** (0070,0080) Content Label CS, VM 1. */
    public static final int ContentLabel = 0x00700080;

    /** (0070,0081) Content Description LO, VM 1. */
    public static final int ContentDescription = 0x00700081;

    /** (0070,0084) Content Creator's Name PN, VM 1. */
    public static final int ContentCreatorName = 0x00700084;

    /** (0062,0001) Segmentation Type CS, VM 1. */
    public static final int SegmentationType = 0x00620001;

    /** (0062,0002) Segment Sequence SQ, VM 1. */
    public static final int SegmentSequence = 0x00620002;

    /** (0062,0003) Segmented Property Category Code Sequence SQ, VM 1. */
    public static final int SegmentedPropertyCategoryCodeSequence = 0x00620003;

    /** (0062,0004) Segment Number US, VM 1. */
    public static final int SegmentNumber = 0x00620004;

    /** (0062,0005) Segment Label LO, VM 1. */
    public static final int SegmentLabel = 0x00620005;

    /** (0062,0006) Segment Description ST, VM 1. */
    public static final int SegmentDescription = 0x00620006;

    /** (0062,0007) Segmentation Algorithm Identification Sequence SQ, VM 1. */
    public static final int SegmentationAlgorithmIdentificationSequence = 0x00620007;

    /** (0062,0008) Segment Algorithm Type CS, VM 1. */
    public static final int SegmentAlgorithmType = 0x00620008;

    /** (0062,0009) Segment Algorithm Name LO, VM 1-n. */
    public static final int SegmentAlgorithmName = 0x00620009;

    /** (0062,000A) Segment Identification Sequence SQ, VM 1. */
    public static final int SegmentIdentificationSequence = 0x0062000A;

    /** (0062,000B) Referenced Segment Number US, VM 1-n. */
    public static final int ReferencedSegmentNumber = 0x0062000B;

    /** (0062,000D) Recommended Display CIELab Value US, VM 3. */
    public static final int RecommendedDisplayCIELabValue = 0x0062000D;

    /** (0062,000F) Segmented Property Type Code Sequence SQ, VM 1. */
    public static final int SegmentedPropertyTypeCodeSequence = 0x0062000F;

    /** (0062,0011) Segmented Property Type Modifier Code Sequence SQ, VM 1. */
    public static final int SegmentedPropertyTypeModifierCodeSequence = 0x00620011;

    /** (0062,0013) Segments Overlap CS, VM 1. */
    public static final int SegmentsOverlap = 0x00620013;

    /** (0008,2218) Anatomic Region Sequence SQ, VM 1. */
    public static final int AnatomicRegionSequence = 0x00082218;

    /** (0066,002F) Algorithm Family Code Sequence SQ, VM 1. */
    public static final int AlgorithmFamilyCodeSequence = 0x0066002F;

    /** (0066,0030) Algorithm Name Code Sequence SQ, VM 1. */
    public static final int AlgorithmNameCodeSequence = 0x00660030;

    /** (0066,0031) Algorithm Version LO, VM 1. */
    public static final int AlgorithmVersion = 0x00660031;

    /** (0066,0032) Algorithm Parameters LT, VM 1. */
    public static final int AlgorithmParameters = 0x00660032;

    /** (0066,0036) Algorithm Name LO, VM 1. */
    public static final int AlgorithmName = 0x00660036;

    /** (5200,9229) Shared Functional Groups Sequence SQ, VM 1. */
    public static final int SharedFunctionalGroupsSequence = 0x52009229;

    /** (5200,9230) Per-frame Functional Groups Sequence SQ, VM 1. */
    public static final int PerFrameFunctionalGroupsSequence = 0x52009230;

    /** (0020,9116) Plane Orientation Sequence SQ, VM 1. */
    public static final int PlaneOrientationSequence = 0x00209116;

    /** (0028,9110) Pixel Measures Sequence SQ, VM 1. */
    public static final int PixelMeasuresSequence = 0x00289110;

    /** (0020,9113) Plane Position Sequence SQ, VM 1. */
    public static final int PlanePositionSequence = 0x00209113;

    /** (0020,9111) Frame Content Sequence SQ, VM 1. */
    public static final int FrameContentSequence = 0x00209111;

    /** (0020,9157) Dimension Index Values UL, VM 1-n. */
    public static final int DimensionIndexValues = 0x00209157;

    /** (0008,9124) Derivation Image Sequence SQ, VM 1. */
    public static final int DerivationImageSequence = 0x00089124;

    /** (0020,9221) Dimension Organization Sequence SQ, VM 1. */
    public static final int DimensionOrganizationSequence = 0x00209221;

    /** (0020,9164) Dimension Organization UID UI, VM 1. */
    public static final int DimensionOrganizationUID = 0x00209164;

    /** (0020,9222) Dimension Index Sequence SQ, VM 1. */
    public static final int DimensionIndexSequence = 0x00209222;

    /** (0020,9165) Dimension Index Pointer AT, VM 1. */
    public static final int DimensionIndexPointer = 0x00209165;

    /** (0020,9167) Functional Group Pointer AT, VM 1. */
    public static final int FunctionalGroupPointer = 0x00209167;

    /** (0020,9421) Dimension Description Label LO, VM 1. */
    public static final int DimensionDescriptionLabel = 0x00209421;

    /** (0020,9311) Dimension Organization Type CS, VM 1. */
    public static final int DimensionOrganizationType = 0x00209311;

    /** (7FE0,0010) Pixel Data OB/OW, VM 1. */
    public static final int PixelData = 0x7FE00010;

    /** (FFFC,FFFC) Data Set Trailing Padding OB, VM 1. */
    public static final int DataSetTrailingPadding = 0xFFFCFFFC;

    /** (FFFE,E000) Item -, VM 1. */
    public static final int Item = 0xFFFEE000;

    /** (FFFE,E00D) Item Delimitation Item -, VM 1. */
    public static final int ItemDelimitationItem = 0xFFFEE00D;

    /** (FFFE,E0DD) Sequence Delimitation Item -, VM 1. */
    public static final int SequenceDelimitationItem = 0xFFFEE0DD;
}
