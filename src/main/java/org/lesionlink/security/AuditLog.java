package org.lesionlink.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one JSON object per line, appended to its own file, written before the call returns (flushed to
 * the operating system; not fsynced per line, so a power loss can lose the newest lines, a process crash cannot).
 * Each line has {@code time} (ISO-8601 UTC), {@code event} and the caller's fields. Callers pass pseudonyms, never
 * patient identifiers; as a second line of defence every string value is {@link Pseudonyms#scrub scrubbed} of UIDs.
 * A write failure is logged and does not stop the service: losing the audit trail is reported, not fatal.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final OutputStream out;
    private final Pseudonyms pseudonyms;
    private boolean failed;

    private AuditLog(Path file, OutputStream out, Pseudonyms pseudonyms) {
        this.file = file;
        this.out = out;
        this.pseudonyms = pseudonyms;
    }

    /** Appends to {@code file} (created with its folders). */
    public static AuditLog open(Path file, Pseudonyms pseudonyms) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return new AuditLog(file, out, pseudonyms);
    }

    /** An audit log that records nothing (the configuration turned it off). */
    public static AuditLog disabled(Pseudonyms pseudonyms) {
        return new AuditLog(null, null, pseudonyms);
    }

    /** The file, or null when disabled. */
    public Path file() {
        return file;
    }

    public Pseudonyms pseudonyms() {
        return pseudonyms;
    }

    /** Records one event; {@code fields} alternate name and value (null values are left out). */
    public void record(String event, Object... fields) {
        if (out == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("event", event);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object v = fields[i + 1];
            if (v != null) {
                line.put(String.valueOf(fields[i]), v instanceof String s ? pseudonyms.scrub(s) : v);
            }
        }
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.error("audit: cannot encode event {}: {}", event, e.toString());
            return;
        }
        synchronized (this) {
            try {
                out.write(bytes);
                out.flush();
                failed = false;
            } catch (IOException e) {
                if (!failed) { // once per outage, not once per event
                    log.error("audit log {}: write failed, events are being lost: {}", file, e.toString());
                }
                failed = true;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("audit log {}: {}", file, e.toString());
            }
        }
    }
}
