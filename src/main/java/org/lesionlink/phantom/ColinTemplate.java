package org.lesionlink.phantom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The Colin27 MRI template files the brain phantom is built on, as Debian's {@code mricron-data} installs
 * them in {@link #STANDARD_DIR}:
 * <ul>
 *   <li>{@code ch2.nii.gz}: the whole head, T1, 1 mm (skull, scalp and brain);
 *   <li>{@code ch2bet.nii.gz}: the same brain extracted (zero outside the brain): the brain mask;
 *   <li>{@code ch2better.nii.gz} (optional): a 0.5 mm grey/white-matter image of the brain with CSF and
 *       everything outside the brain set to zero. Despite its name it is <em>not</em> a head image.
 * </ul>
 *
 * @param head the whole-head T1
 * @param brain the brain-extracted T1 (nonzero = brain)
 * @param greyWhite the 0.5 mm grey/white image, or {@code null} to classify tissues from {@code head}
 */
public record ColinTemplate(Path head, Path brain, Path greyWhite) {

    public static final Path STANDARD_DIR = Path.of("/usr/share/mricron/templates");
    public static final String HEAD = "ch2.nii.gz";
    public static final String BRAIN = "ch2bet.nii.gz";
    public static final String GREY_WHITE = "ch2better.nii.gz";

    public ColinTemplate {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(brain, "brain");
    }

    public Optional<Path> greyWhiteImage() {
        return Optional.ofNullable(greyWhite);
    }

    /** The template in {@link #STANDARD_DIR}. */
    public static ColinTemplate standard() {
        return locate(STANDARD_DIR);
    }

    /**
     * The template in a directory holding {@code ch2.nii.gz} and {@code ch2bet.nii.gz} (and optionally
     * {@code ch2better.nii.gz}), or given by the path of its head image, whose directory then holds the rest.
     *
     * @throws IllegalArgumentException naming the missing file
     */
    public static ColinTemplate locate(Path dirOrHead) {
        Path dir;
        Path head;
        if (Files.isDirectory(dirOrHead)) {
            dir = dirOrHead;
            head = dir.resolve(HEAD);
        } else {
            head = dirOrHead;
            dir = dirOrHead.toAbsolutePath().getParent();
        }
        Path brain = dir.resolve(BRAIN);
        for (Path p : new Path[] {head, brain}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("Colin27 template not found: " + p + " does not exist (Debian's "
                        + "mricron-data installs it in " + STANDARD_DIR + "; or give --template DIR holding " + HEAD
                        + " and " + BRAIN + ")");
            }
        }
        Path gw = dir.resolve(GREY_WHITE);
        return new ColinTemplate(head, brain, Files.isRegularFile(gw) ? gw : null);
    }
}
