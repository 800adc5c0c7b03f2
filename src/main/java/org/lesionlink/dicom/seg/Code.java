package org.lesionlink.dicom.seg;

import java.util.Objects;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.VR;

/**
 * A coded concept, the Basic Code Sequence Macro of PS3.3 section 8.8 (Table 8.8-1a): value, coding scheme
 * designator and meaning. The constants use SNOMED CT ({@code SCT}; PS3.16 section 8) and DICOM ({@code DCM})
 * codes with the meanings the DICOM context groups give them (checked against pydicom 2.3's CID tables).
 */
public record Code(String value, String scheme, String meaning) {

    /** CID 7150 Segmentation Property Categories. */
    public static final Code MORPHOLOGICALLY_ABNORMAL_STRUCTURE = new Code("49755003", "SCT", "Morphologically Abnormal Structure");
    /** CID 7150. */
    public static final Code ANATOMICAL_STRUCTURE = new Code("123037004", "SCT", "Anatomical Structure");
    /**
     * CID 7151/7159: a metastasis. SNOMED's own term is "Neoplasm, metastatic (morphologic abnormality)"; the
     * DICOM context groups list it as "Neoplasm, Secondary".
     */
    public static final Code NEOPLASM_SECONDARY = new Code("14799000", "SCT", "Neoplasm, Secondary");
    /** CID 7151. */
    public static final Code EDEMA = new Code("79654002", "SCT", "Edema");
    /** CID 7151. */
    public static final Code NECROSIS = new Code("6574001", "SCT", "Necrosis");
    /** CID 7151 / anatomic region. */
    public static final Code BRAIN = new Code("12738006", "SCT", "Brain");
    /** CID 7162 Surface Processing Algorithm Families (also used for segmentation algorithms). */
    public static final Code ARTIFICIAL_INTELLIGENCE = new Code("123110", "DCM", "Artificial Intelligence");
    /** CID 7203 Image Derivation: the derivation code of every SEG frame. */
    public static final Code SEGMENTATION = new Code("113076", "DCM", "Segmentation");
    /** CID 7202 Source Image Purposes of Reference. */
    public static final Code SOURCE_IMAGE_FOR_IMAGE_PROCESSING_OPERATION =
            new Code("121322", "DCM", "Source image for image processing operation");

    public Code {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(meaning, "meaning");
        if (value.isEmpty() || value.length() > 16) {
            throw new IllegalArgumentException("CodeValue must be 1..16 characters (SH), got \"" + value + "\"");
        }
    }

    /** The code as a sequence item. */
    public Attributes toItem() {
        Attributes a = new Attributes();
        a.setString(Tag.CodeValue, VR.SH, value);
        a.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        a.setString(Tag.CodeMeaning, VR.LO, meaning);
        return a;
    }

    /** Sets {@code tag} to a one-item sequence holding this code. */
    public void putInto(Attributes a, int tag) {
        a.newSequence(tag).add(toItem());
    }

    /** The code in the first item of the sequence at {@code tag}, or {@code null}. */
    public static Code from(Attributes a, int tag) {
        Attributes item = a.getNestedDataset(tag);
        if (item == null) {
            return null;
        }
        return new Code(item.getString(Tag.CodeValue, ""), item.getString(Tag.CodingSchemeDesignator, ""),
                item.getString(Tag.CodeMeaning, ""));
    }
}
