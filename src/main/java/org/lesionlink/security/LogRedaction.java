package org.lesionlink.security;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * Logback conversion word {@code %phi(...)}: the enclosed text (message and stack trace) with every DICOM UID
 * replaced by its {@link Pseudonyms#forLogs() pseudonym}. A safety net under the explicit pseudonyms the server
 * logs: exception messages and file names (the storage layout is named after UIDs) carry UIDs too. Patient names and
 * IDs are never logged by LesionLink in the first place; free text cannot be scrubbed of names reliably.
 */
public final class LogRedaction extends CompositeConverter<ILoggingEvent> {

    @Override
    protected String transform(ILoggingEvent event, String in) {
        return Pseudonyms.forLogs().scrub(in);
    }
}
