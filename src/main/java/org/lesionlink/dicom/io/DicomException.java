package org.lesionlink.dicom.io;

import java.io.IOException;

/**
 * DICOM content that cannot be read or written as asked: malformed or truncated encoding, a length beyond what
 * the input holds, an unsupported transfer syntax. The message names the source (file name or stream
 * description) first, then, where known, the element tag and byte offset, so it can be shown as it is.
 */
public class DicomException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    public DicomException(String source, long offset, String problem) {
        this(source, offset, problem, null);
    }

    public DicomException(String source, long offset, String problem, Throwable cause) {
        super(source + (offset >= 0 ? " at byte " + offset : "") + ": " + problem, cause);
        this.source = source;
        this.offset = offset;
    }

    /** The file or stream the problem is in. */
    public String source() {
        return source;
    }

    /** Byte offset of the offending element header in the (inflated) input, or -1 when not tied to one. */
    public long offset() {
        return offset;
    }
}
