package org.lesionlink.inference;

/**
 * An input case that cannot be segmented: wrong channel names, a file that is empty, not finite, 4D, or
 * outside the field of view of the others. The message names the problem and, where there is one, the file.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
