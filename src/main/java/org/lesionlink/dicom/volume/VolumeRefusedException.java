package org.lesionlink.dicom.volume;

/** Thrown by {@link VolumeAssembler#assemble} when a series cannot become a volume; carries the {@link Refusal}. */
public final class VolumeRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Refusal refusal;

    public VolumeRefusedException(Refusal refusal) {
        super(refusal.toString());
        this.refusal = refusal;
    }

    VolumeRefusedException(Refusal.Reason reason, String message) {
        this(new Refusal(reason, message));
    }

    public Refusal refusal() {
        return refusal;
    }

    public Refusal.Reason reason() {
        return refusal.reason();
    }
}
