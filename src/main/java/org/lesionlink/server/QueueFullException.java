package org.lesionlink.server;

/** The job queue is at capacity: the job was refused (and the client told), never dropped silently. */
public final class QueueFullException extends Exception {
    public QueueFullException(String message) {
        super(message);
    }
}
