package org.lesionlink.phantom;

/**
 * Label values of the spine phantom's {@code seg.nii.gz}: 1 metastasis (lytic or sclerotic), 2 vertebra
 * (bone of bodies and posterior elements), 3 spinal canal (CSF and cord); 0 elsewhere, discs included.
 * A metastasis overrides the vertebra or canal it lies in.
 */
public enum SpineLabel {
    LESION(1), VERTEBRA(2), CANAL(3);

    private final int value;

    SpineLabel(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
