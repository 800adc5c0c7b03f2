package org.lesionlink.igtl.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every message carries besides its content: the header fields that are not derived from the
 * content (device name, timestamp, header version), and the protocol v3 extended-header message ID and
 * metadata ("header.md", sections "Extended Header" and "Metadata").
 *
 * <p>Header version 1 (protocol v1/v2) has no extended header, so its message ID is 0 and its metadata
 * empty; constructing a version-1 envelope with either is an error, because the encoder could not send
 * them. {@link #withHeaderVersion(int) withHeaderVersion(1)} drops them explicitly. Metadata keeps its
 * insertion (or wire) order; receivers must not depend on it (upstream sends keys sorted).
 *
 * @param headerVersion 1 or 2
 * @param deviceName at most 20 single-byte characters; may be empty
 * @param timestamp raw unsigned 64-bit wire value, see {@code IgtlTimestamp}; 0 = not set
 * @param messageId unsigned 32-bit MSG_ID of the extended header
 * @param metadata key/value pairs; keys at most 65535 bytes in UTF-8
 */
public record Envelope(int headerVersion, String deviceName, long timestamp, long messageId, Map<String, String> metadata) {

    public Envelope {
        if (headerVersion != 1 && headerVersion != 2) {
            throw new IllegalArgumentException("header version must be 1 or 2, got " + headerVersion);
        }
        Wire.checkFixed("device name", deviceName, 20);
        Wire.checkUnsigned("message id", messageId, 0xFFFF_FFFFL);
        Objects.requireNonNull(metadata, "metadata");
        if (headerVersion == 1 && (messageId != 0 || !metadata.isEmpty())) {
            throw new IllegalArgumentException("header version 1 carries no message id or metadata (got id "
                    + messageId + ", " + metadata.size() + " metadata entries); use version 2");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            Objects.requireNonNull(k, "metadata key");
            Objects.requireNonNull(v, "metadata value of " + k);
            if (k.isEmpty() || k.length() > 0xFFFF) {
                throw new IllegalArgumentException("metadata key must have 1..65535 characters: '" + k + "'");
            }
            copy.put(k, v);
        });
        metadata = Collections.unmodifiableMap(copy);
    }

    /** A header-version-1 envelope with no timestamp. */
    public static Envelope v1(String deviceName) {
        return new Envelope(1, deviceName, 0, 0, Map.of());
    }

    /** A header-version-2 envelope with no timestamp and message ID 0. */
    public static Envelope v2(String deviceName, Map<String, String> metadata) {
        return new Envelope(2, deviceName, 0, 0, metadata);
    }

    public Envelope withDeviceName(String name) {
        return new Envelope(headerVersion, name, timestamp, messageId, metadata);
    }

    public Envelope withTimestamp(long wireTimestamp) {
        return new Envelope(headerVersion, deviceName, wireTimestamp, messageId, metadata);
    }

    public Envelope withMessageId(long id) {
        return new Envelope(headerVersion, deviceName, timestamp, id, metadata);
    }

    public Envelope withMetadata(Map<String, String> m) {
        return new Envelope(headerVersion, deviceName, timestamp, messageId, m);
    }

    /** The same envelope for another header version; going to 1 drops the message ID and metadata. */
    public Envelope withHeaderVersion(int version) {
        if (version == headerVersion) {
            return this;
        }
        return version == 1
                ? new Envelope(1, deviceName, timestamp, 0, Map.of())
                : new Envelope(version, deviceName, timestamp, messageId, metadata);
    }
}
