package org.lesionlink.phantom;

/**
 * BraTS-METS label values of the brain phantom's {@code seg.nii.gz}: 1 non-enhancing tumour core
 * (necrosis), 2 surrounding non-enhancing FLAIR hyperintensity (edema), 3 enhancing tumour; 0 elsewhere.
 */
public enum BratsLabel {
    NETC(1), SNFH(2), ET(3);

    private final int value;

    BratsLabel(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
