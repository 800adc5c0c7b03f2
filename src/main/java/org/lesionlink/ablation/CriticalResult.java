package org.lesionlink.ablation;

/**
 * Distances between the zone, the applicator tip(s) and a critical structure.
 *
 * @param structure the structure's name
 * @param zoneDistanceMm smallest distance from the zone surface to a structure voxel centre outside the
 *     zone; 0 when the zone contains structure voxel centres
 * @param tipDistanceMm smallest distance from a tip to a structure voxel centre; 0 when a tip lies in a
 *     structure voxel
 * @param closestStructurePoint the structure voxel centre nearest to the zone
 * @param overlapVoxels structure voxels whose centre lies inside the zone
 * @param overlapMl their volume
 * @param status OK, WARN or STOP for the smaller of the two distances (STOP on any overlap)
 */
public record CriticalResult(String structure, double zoneDistanceMm, double tipDistanceMm, Point3 closestStructurePoint,
                             int overlapVoxels, double overlapMl, SafetyStatus status) {
}
