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
 * <p>An empty key is allowed: the wire format can carry it (KEY_SIZE 0) and the reference library accepts
 * it, so a received message with one is delivered rather than dropped.
 *
 * <p>Metadata limits are those of the wire format, checked here so that a message that cannot be sent
 * fails when it is built, not as a corrupt message: at most {@value #MAX_METADATA_ENTRIES} entries
 * ({@code META_HEADER_SIZE = 2 + 8 n} is a uint16), keys at most 65535 bytes in UTF-8 ({@code KEY_SIZE}
 * is a uint16), keys and values together at most 2<sup>32</sup>-1 bytes ({@code META_SIZE} is a uint32;
 * values are sent as US-ASCII or UTF-8, so their size is their UTF-8 length).
 *
 * @param headerVersion 1 or 2
 * @param deviceName at most 20 single-byte characters; may be empty
 * @param timestamp raw unsigned 64-bit wire value, see {@code IgtlTimestamp}; 0 = not set
 * @param messageId unsigned 32-bit MSG_ID of the extended header
 * @param metadata key/value pairs, within the limits above
 */
public record Envelope(int headerVersion, String deviceName, long timestamp, long messageId, Map<String, String> metadata) {

    /** The most metadata entries a message can carry: {@code 2 + 8 n} must fit META_HEADER_SIZE (uint16). */
    public static final int MAX_METADATA_ENTRIES = (0xFFFF - 2) / 8;
    /** The longest metadata key in UTF-8 bytes (KEY_SIZE is a uint16). */
    public static final int MAX_METADATA_KEY_BYTES = 0xFFFF;
    /** The most key and value bytes of all entries together (META_SIZE is a uint32). */
    public static final long MAX_METADATA_BYTES = 0xFFFF_FFFFL;

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
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException(metadata.size() + " metadata entries, at most " + MAX_METADATA_ENTRIES
                    + " fit (META_HEADER_SIZE = 2 + 8 n is a uint16)");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        long bytes = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String k = Objects.requireNonNull(e.getKey(), "metadata key");
            String v = Objects.requireNonNull(e.getValue(), "metadata value of " + k);
            long keyBytes = Wire.utf8Length(k);
            if (keyBytes > MAX_METADATA_KEY_BYTES) {
                throw new IllegalArgumentException("metadata key of " + keyBytes + " UTF-8 bytes, at most "
                        + MAX_METADATA_KEY_BYTES + " fit (KEY_SIZE is a uint16): '" + Wire.abbreviate(k) + "'");
            }
            bytes += keyBytes + Wire.utf8Length(v);
            if (bytes > MAX_METADATA_BYTES) {
                throw new IllegalArgumentException("metadata keys and values exceed " + MAX_METADATA_BYTES
                        + " bytes (META_SIZE is a uint32), at key '" + Wire.abbreviate(k) + "'");
            }
            copy.put(k, v);
        }
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
