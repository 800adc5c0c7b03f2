package org.lesionlink.io.nifti;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A NIfTI file that cannot be read or written as asked: bad or unsupported content, or a size over the
 * configured limits. The message always starts with the file and then says what is wrong with it, so it
 * can be shown to a user as it is.
 */
public class NiftiException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public NiftiException(Path file, String problem) {
        this(file, problem, null);
    }

    public NiftiException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
