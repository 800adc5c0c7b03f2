package org.lesionlink.training.data;

/**
 * A training sample: channels and labels of one patch, index {@code i + si (j + sj k)} (i fastest, the
 * network's (C, k, j, i) order).
 */
public record Patch(int[] size, float[][] channels, byte[] labels) {

    public int voxels() {
        return size[0] * size[1] * size[2];
    }
}
