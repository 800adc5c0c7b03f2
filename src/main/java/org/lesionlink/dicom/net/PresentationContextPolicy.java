package org.lesionlink.dicom.net;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.data.UidDictionary;
import org.lesionlink.dicom.net.pdu.PresentationContextAc;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;

/**
 * Which presentation contexts an acceptor takes (PS3.8 section 9.3.3.2, spec notes 1.3): a context whose abstract
 * syntax is supported gets the first transfer syntax of <em>our</em> preference order that the requestor proposed
 * (result 0), or result 4 when none; an unsupported abstract syntax gets result 3. Several contexts for the same
 * SOP class are each answered on their own (Orthanc and dcmtk propose two per class).
 *
 * @param sopClasses SOP classes accepted (Verification and the storage classes LesionLink takes)
 * @param acceptAnyStorage also accept every standard Storage SOP class of PS3.6 Annex A ("... Storage" under
 *     1.2.840.10008.5.1.4.1.1), as a PACS forwarding a whole study needs
 * @param transferSyntaxes accepted transfer syntaxes, most preferred first
 */
public record PresentationContextPolicy(Set<String> sopClasses, boolean acceptAnyStorage, List<String> transferSyntaxes) {

    /** Enhanced CT Image Storage (not among the UID constants of the data package). */
    public static final String ENHANCED_CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1";

    /** Uncompressed transfer syntaxes in LesionLink's order of preference: Explicit LE, Implicit LE, Explicit BE. */
    public static final List<String> UNCOMPRESSED = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian,
            UID.ExplicitVRBigEndian);

    /** The storage classes LesionLink takes by default. */
    public static final Set<String> DEFAULT_STORAGE = Set.of(UID.MRImageStorage, UID.EnhancedMRImageStorage,
            UID.CTImageStorage, ENHANCED_CT_IMAGE_STORAGE, UID.SegmentationStorage);

    public PresentationContextPolicy {
        sopClasses = Set.copyOf(sopClasses);
        transferSyntaxes = List.copyOf(transferSyntaxes);
    }

    /** Verification plus the default storage classes, uncompressed syntaxes. */
    public static PresentationContextPolicy defaults() {
        Set<String> s = new LinkedHashSet<>();
        s.add(UID.Verification);
        s.addAll(DEFAULT_STORAGE);
        return new PresentationContextPolicy(s, false, UNCOMPRESSED);
    }

    public PresentationContextPolicy withAcceptAnyStorage(boolean any) {
        return new PresentationContextPolicy(sopClasses, any, transferSyntaxes);
    }

    public boolean supports(String abstractSyntax) {
        return sopClasses.contains(abstractSyntax) || (acceptAnyStorage && isStorageSopClass(abstractSyntax));
    }

    /** The answer to one proposed context. */
    public PresentationContextAc negotiate(PresentationContextRq rq) {
        if (!supports(rq.abstractSyntax())) {
            return new PresentationContextAc(rq.id(), PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                    UID.ImplicitVRLittleEndian);
        }
        for (String ts : transferSyntaxes) {
            if (rq.transferSyntaxes().contains(ts)) {
                return new PresentationContextAc(rq.id(), PresentationContextAc.ACCEPTANCE, ts);
            }
        }
        return new PresentationContextAc(rq.id(), PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                UID.ImplicitVRLittleEndian);
    }

    /** Whether {@code uid} is a standard Storage SOP class (PS3.6 Annex A, PS3.4 Annex B). */
    public static boolean isStorageSopClass(String uid) {
        return uid.startsWith("1.2.840.10008.5.1.4.1.1.") && UidDictionary.standard().lookup(uid)
                .map(e -> e.type().equals("SOP Class") && e.name().contains("Storage")).orElse(false);
    }
}
