package org.lesionlink.inference.post;

import java.util.Map;

/**
 * One connected lesion of a label map (26-connected non-zero voxels, all labels together).
 *
 * @param id 1.. in index order of the lesion's first voxel
 * @param voxels voxel count
 * @param volumeMl total volume in millilitres
 * @param labelVolumesMl volume per label name (labels absent from the lesion have 0), in model order
 * @param regionVolumesMl volume per region name (e.g. WT, TC, ET), in model order
 * @param longestDiameterMm the largest distance between two voxel centres of the lesion (attained on its
 *     surface), in mm; 0 for a single voxel
 * @param centroidRas mean RAS position of the lesion's voxel centres, mm
 */
public record Lesion(int id, long voxels, double volumeMl, Map<String, Double> labelVolumesMl,
        Map<String, Double> regionVolumesMl, double longestDiameterMm, double[] centroidRas) {

    public Lesion {
        labelVolumesMl = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labelVolumesMl));
        regionVolumesMl = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(regionVolumesMl));
        centroidRas = centroidRas.clone();
    }

    @Override
    public double[] centroidRas() {
        return centroidRas.clone();
    }
}
