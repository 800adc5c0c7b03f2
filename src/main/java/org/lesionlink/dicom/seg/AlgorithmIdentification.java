package org.lesionlink.dicom.seg;

import java.util.Objects;

/**
 * How the segments were made: SegmentAlgorithmType (0062,0008) and SegmentAlgorithmName (0062,0009) of the
 * Segment Description Macro, and the Segmentation Algorithm Identification Sequence (0062,0007) with the
 * Algorithm Identification Macro of PS3.3 section 10.16 (family, name, version).
 *
 * @param type AUTOMATIC, SEMIAUTOMATIC or MANUAL (PS3.3 C.8.20.2.3)
 * @param family AlgorithmFamilyCodeSequence, CID 7162, e.g. {@link Code#ARTIFICIAL_INTELLIGENCE}
 * @param name AlgorithmName and SegmentAlgorithmName (LO, at most 64 characters)
 * @param version AlgorithmVersion (LO)
 */
public record AlgorithmIdentification(Type type, Code family, String name, String version) {

    /** Enumerated values of Segment Algorithm Type. */
    public enum Type { AUTOMATIC, SEMIAUTOMATIC, MANUAL }

    public AlgorithmIdentification {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (name.isBlank() || name.length() > 64 || version.isBlank() || version.length() > 64) {
            throw new IllegalArgumentException("algorithm name and version must be 1..64 characters");
        }
    }
}
