/**
 * Ablation decision support (issue #11): predicted ablation zones, coverage and margins, distances to
 * critical structures, and MR thermometry with thermal dose. <b>Decision support only, NOT a treatment
 * planning system</b> ({@link org.lesionlink.ablation.AblationResult#DISCLAIMER}, shown in every output).
 *
 * <h2>Zones</h2>
 * A {@link org.lesionlink.ablation.DeviceTable} maps device, power and time to a
 * {@link org.lesionlink.ablation.ZoneSpec} (rigid ellipsoid semi-axes and centre offset behind the tip, with
 * provenance; bilinear interpolation on the device's grid, never extrapolation). A
 * {@link org.lesionlink.ablation.ProbePose} (tip, direction, roll; RAS mm) places it as an
 * {@link org.lesionlink.ablation.Ellipsoid}; several ablations form an
 * {@link org.lesionlink.ablation.AblationZone} (their union), which rasterizes to a labelmap and triangulates
 * to a {@link org.lesionlink.ablation.Mesh} (float points, int triangles: POLYDATA-ready).
 *
 * <h2>Metrics</h2>
 * {@link org.lesionlink.ablation.TargetLesion} and {@link org.lesionlink.ablation.CriticalStructure} are
 * prepared once per plan; {@link org.lesionlink.ablation.AblationMetrics} then computes coverage, the minimal
 * ablative margin (exact point-to-ellipsoid distances at the lesion surface voxels), surface fractions and
 * OK/WARN/STOP distances per pose in about a millisecond. {@link org.lesionlink.ablation.AblationMonitor} is
 * the stateful wrapper the server calls per tracker update (stale poses flagged, not used);
 * {@link org.lesionlink.ablation.VoxelMargins} is the distance-transform path for segmented zones and the
 * reference the analytic path is checked against. {@link org.lesionlink.ablation.AblationJson} renders
 * results for the CLI and the server.
 *
 * <h2>Thermometry</h2>
 * {@link org.lesionlink.ablation.ThermometrySession} turns phase frames into temperature (PRF shift, drift
 * correction), CEM43 ({@link org.lesionlink.ablation.ThermalDose}) and Arrhenius damage
 * ({@link org.lesionlink.ablation.ArrheniusModel}) maps with alarms, one {@link org.lesionlink.ablation.ThermalFrame}
 * per frame.
 *
 * <p>All coordinates are RAS millimetres and voxel centres ({@link org.lesionlink.image.Geometry}); this
 * package depends on {@code image} only (and Jackson for the device table), never on the server.
 */
package org.lesionlink.ablation;
