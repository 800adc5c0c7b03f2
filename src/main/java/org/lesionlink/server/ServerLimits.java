package org.lesionlink.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Set;
import org.lesionlink.dicom.net.AssociationSettings;
import org.lesionlink.dicom.net.DicomServerConfig;
import org.lesionlink.igtl.IgtlFrameDecoder;

/**
 * The {@code limits} section of {@code serve}'s configuration: what one peer, connection or study may take. Each
 * limit is enforced where the data arrives, with a status naming it, and nothing already accepted is dropped:
 *
 * <ul>
 *   <li>{@code igtlMaxMessageBytes}: a larger OpenIGTLink body is answered with STATUS 11 (not enough resource)
 *       and skipped as it streams past, unbuffered; the connection stays open;</li>
 *   <li>{@code igtlMaxConnections}: one more client gets STATUS 6 (busy) and is closed;</li>
 *   <li>{@code igtlIdleTimeoutSeconds}: a client that sent nothing for this long is closed (0 = off, the default:
 *       3D Slicer sends nothing while its user does nothing and no keep-alives either);</li>
 *   <li>{@code dicomMaxPduBytes}: the Maximum Length LesionLink advertises (PS3.8 D.1); a larger P-DATA-TF is a
 *       protocol violation answered with A-ABORT;</li>
 *   <li>{@code dicomMaxAssociations}: one more A-ASSOCIATE-RQ is rejected, transient, source "service provider
 *       (presentation)", reason 2 "local limit exceeded" (PS3.8 Table 9-21);</li>
 *   <li>{@code dicomIdleTimeoutSeconds}: an association with no traffic for this long is aborted (0 = off);</li>
 *   <li>{@code dicomMaxDataSetBytes}: a larger data set in one C-STORE is discarded as it arrives and answered
 *       with 0xA700 (out of resources);</li>
 *   <li>{@code maxInstancesPerStudy}, {@code maxStudyBytes}: an instance that would take its study over either
 *       is refused with C-STORE status 0xA700 and an Error Comment naming the limit.</li>
 * </ul>
 * The job queue's length is {@link ServerConfig#queueCapacity()} (a full queue refuses with STATUS 11, and a
 * complete DICOM study waits and is retried).
 */
public record ServerLimits(
        long igtlMaxMessageBytes,
        int igtlMaxConnections,
        double igtlIdleTimeoutSeconds,
        int dicomMaxPduBytes,
        int dicomMaxAssociations,
        double dicomIdleTimeoutSeconds,
        long dicomMaxDataSetBytes,
        int maxInstancesPerStudy,
        long maxStudyBytes) {

    private static final Set<String> KEYS = Set.of("igtlMaxMessageBytes", "igtlMaxConnections", "igtlIdleTimeoutSeconds",
            "dicomMaxPduBytes", "dicomMaxAssociations", "dicomIdleTimeoutSeconds", "dicomMaxDataSetBytes",
            "maxInstancesPerStudy", "maxStudyBytes");

    public ServerLimits {
        check(igtlMaxMessageBytes >= 0 && igtlMaxMessageBytes <= IgtlFrameDecoder.MAX_SUPPORTED_BODY_SIZE,
                "igtlMaxMessageBytes", "must be 0.." + IgtlFrameDecoder.MAX_SUPPORTED_BODY_SIZE + ", got " + igtlMaxMessageBytes);
        check(igtlMaxConnections >= 1, "igtlMaxConnections", "must be at least 1, got " + igtlMaxConnections);
        seconds("igtlIdleTimeoutSeconds", igtlIdleTimeoutSeconds);
        check(dicomMaxPduBytes >= 4096 && dicomMaxPduBytes <= (16 << 20), "dicomMaxPduBytes",
                "must be 4096..16777216, got " + dicomMaxPduBytes);
        check(dicomMaxAssociations >= 1, "dicomMaxAssociations", "must be at least 1, got " + dicomMaxAssociations);
        seconds("dicomIdleTimeoutSeconds", dicomIdleTimeoutSeconds);
        check(dicomMaxDataSetBytes >= 1 && dicomMaxDataSetBytes <= AssociationSettings.MAX_DATA_SET_LENGTH,
                "dicomMaxDataSetBytes", "must be 1.." + AssociationSettings.MAX_DATA_SET_LENGTH + ", got " + dicomMaxDataSetBytes);
        check(maxInstancesPerStudy >= 1, "maxInstancesPerStudy", "must be at least 1, got " + maxInstancesPerStudy);
        check(maxStudyBytes >= 1, "maxStudyBytes", "must be at least 1, got " + maxStudyBytes);
    }

    /**
     * OpenIGTLink: a 512<sup>3</sup> float32 volume plus 1 MiB per message, 16 clients, no idle timeout. DICOM: 64 KiB
     * PDUs, 16 associations, 60 s idle, 2 GiB per data set. Studies: 20,000 instances and 8 GiB (a thin-slice
     * whole-spine CT with several series stays well under both).
     */
    public static ServerLimits defaults() {
        return new ServerLimits(IgtlFrameDecoder.DEFAULT_MAX_BODY_SIZE, 16, 0, AssociationSettings.DEFAULT_MAX_PDU_LENGTH,
                16, DicomServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds(), AssociationSettings.MAX_DATA_SET_LENGTH, 20_000,
                8L << 30);
    }

    public Duration igtlIdleTimeout() {
        return Duration.ofMillis(Math.round(igtlIdleTimeoutSeconds * 1000));
    }

    public Duration dicomIdleTimeout() {
        return Duration.ofMillis(Math.round(dicomIdleTimeoutSeconds * 1000));
    }

    /** The {@code limits} object of a configuration file; keys not given keep {@link #defaults()}. */
    static ServerLimits fromJson(JsonNode node) {
        ObjectNode o = ConfigJson.object(node, "limits");
        ConfigJson.keys(o, "limits", KEYS);
        ServerLimits d = defaults();
        return new ServerLimits(
                ConfigJson.longInteger(o, "limits.igtlMaxMessageBytes", d.igtlMaxMessageBytes()),
                ConfigJson.integer(o, "limits.igtlMaxConnections", d.igtlMaxConnections()),
                ConfigJson.number(o, "limits.igtlIdleTimeoutSeconds", d.igtlIdleTimeoutSeconds()),
                ConfigJson.integer(o, "limits.dicomMaxPduBytes", d.dicomMaxPduBytes()),
                ConfigJson.integer(o, "limits.dicomMaxAssociations", d.dicomMaxAssociations()),
                ConfigJson.number(o, "limits.dicomIdleTimeoutSeconds", d.dicomIdleTimeoutSeconds()),
                ConfigJson.longInteger(o, "limits.dicomMaxDataSetBytes", d.dicomMaxDataSetBytes()),
                ConfigJson.integer(o, "limits.maxInstancesPerStudy", d.maxInstancesPerStudy()),
                ConfigJson.longInteger(o, "limits.maxStudyBytes", d.maxStudyBytes()));
    }

    private static void seconds(String key, double s) {
        check(s >= 0 && s <= 86_400 && !Double.isNaN(s), key, "must be 0 (off) to 86400 seconds, got " + s);
    }

    private static void check(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("limits." + key + ": " + message);
        }
    }
}
