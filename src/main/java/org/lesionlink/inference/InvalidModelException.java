package org.lesionlink.inference;

/** A model package or descriptor that cannot be used; the message names the file and the bad key. */
public class InvalidModelException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
