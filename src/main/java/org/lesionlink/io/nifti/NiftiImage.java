package org.lesionlink.io.nifti;

import java.util.Objects;
import org.lesionlink.image.Volume;

/**
 * What {@link NiftiReader#read} returns: the header as stored and the voxels as LesionLink keeps them.
 *
 * @param header the file's header
 * @param volume the voxels, geometry from {@link NiftiHeader#geometry()} and rescale from
 *     {@link NiftiHeader#rescale()}
 */
public record NiftiImage(NiftiHeader header, Volume volume) {
    public NiftiImage {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(volume, "volume");
    }
}
