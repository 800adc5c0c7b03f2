package org.lesionlink.dicom.volume;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lesionlink.image.DataType;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Resampler;
import org.lesionlink.image.Volume;

/**
 * Puts the selected series of a {@link ChannelSelection} on one grid, as the model input: a float32 volume with one
 * channel per rule channel (real values, rescale applied), on the grid of the reference channel.
 *
 * <p>Channels whose FrameOfReferenceUID equals the reference's are resampled onto its grid in physical space
 * ({@link Resampler}, linear or B-spline as the rules say; outside the source the value is 0); the reference itself
 * is copied. A channel in another frame of reference (or with none) is refused: scanner coordinates of two frames
 * of reference are unrelated (the patient may have moved, or it is another session), unless the rules say
 * {@code assumeCoregistered}, which resamples by scanner coordinates anyway and notes it. An optional channel that
 * found no series is filled with zeros, with a note.
 *
 * @param channels channel names in volume channel order
 * @param volume float32, one channel per name, on the reference grid
 * @param reference the name of the channel whose grid was used
 * @param notes what was resampled, filled or assumed
 */
public record ChannelStack(List<String> channels, Volume volume, String reference, List<String> notes) {

    public ChannelStack {
        channels = List.copyOf(channels);
        notes = List.copyOf(notes);
    }

    public static ChannelStack of(ChannelSelection selection) throws ChannelSelectionException {
        ChannelRules rules = selection.rules();
        ChannelSelection.Pick ref = selection.pick(rules.reference()).filter(p -> p.series() != null)
                .or(() -> selection.picks().stream().filter(p -> p.series() != null).findFirst())
                .orElseThrow(() -> new ChannelSelectionException("no channel found a series, so there is no reference grid"));
        AssembledSeries refSeries = ref.series().volume();
        Geometry grid = refSeries.volume().geometry();
        String refFor = refSeries.info().frameOfReferenceUid();
        List<String> notes = new ArrayList<>();
        if (!ref.channel().equals(rules.reference())) {
            notes.add("reference channel " + rules.reference() + " found no series; " + ref.channel() + " gives the grid");
        }
        Resampler resampler = Resampler.of(rules.interpolationMethod()).outputType(DataType.FLOAT32);
        List<String> names = new ArrayList<>();
        List<float[]> data = new ArrayList<>();
        for (ChannelSelection.Pick p : selection.picks()) {
            names.add(p.channel());
            if (p.series() == null) {
                data.add(new float[(int) grid.voxelCount()]);
                notes.add(p.channel() + ": no series, filled with zeros");
                continue;
            }
            AssembledSeries s = p.series().volume();
            String forUid = s.info().frameOfReferenceUid();
            if (p == ref) {
                data.add(s.volume().toFloats(0));
                continue;
            }
            if (forUid.isEmpty() || !forUid.equals(refFor)) {
                if (!rules.assumeCoregistered()) {
                    throw new ChannelSelectionException("channel " + p.channel() + " (" + s.info().label() + ") is in frame of reference "
                            + (forUid.isEmpty() ? "(none)" : forUid) + " but the reference channel " + ref.channel() + " ("
                            + refSeries.info().label() + ") is in " + (refFor.isEmpty() ? "(none)" : refFor)
                            + ": their coordinates are not known to match. Register them first, or set \"assumeCoregistered\": true"
                            + " if they are co-registered already");
                }
                notes.add(p.channel() + ": other frame of reference, resampled by scanner coordinates as assumeCoregistered says");
            }
            if (s.volume().geometry().sameGrid(grid, 1e-6)) {
                data.add(s.volume().toFloats(0));
                notes.add(p.channel() + ": already on the reference grid");
            } else {
                data.add(resampler.resample(s.volume(), grid).toFloats(0));
                notes.add(p.channel() + ": resampled (" + rules.interpolation() + ") from " + s.volume().geometry() + " onto the grid of " + ref.channel());
            }
        }
        Volume.Builder b = Volume.allocate(grid, DataType.FLOAT32, names.size());
        for (int c = 0; c < names.size(); c++) {
            FloatBuffer fb = b.channel(c).asFloatBuffer();
            fb.put(data.get(c));
        }
        return new ChannelStack(names, b.build(), ref.channel(), notes);
    }
}
