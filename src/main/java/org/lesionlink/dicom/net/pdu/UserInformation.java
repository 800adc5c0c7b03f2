package org.lesionlink.dicom.net.pdu;

import java.util.List;
import java.util.Objects;

/**
 * User Information item (0x50, PS3.8 section 9.3.2.3 and PS3.7 Annex D.3.3).
 *
 * @param maxLength Maximum Length sub-item (0x51): the largest P-DATA-TF PDU length (bytes after the 6-byte header)
 *     that the sender of this item will receive; 0 means no limit; -1 when the sub-item was absent
 * @param implementationClassUid 0x52, mandatory in RQ and AC (may be empty only in what a peer sent)
 * @param implementationVersionName 0x55, or {@code null}
 * @param maxOpsInvoked 0x53 Asynchronous Operations Window, or -1 when absent (then 1 each way)
 * @param maxOpsPerformed 0x53, second value, or -1 when absent
 * @param roleSelections 0x54 items in received order
 * @param others every other sub-item (extended negotiation, user identity, unknown), carried and not interpreted
 */
public record UserInformation(long maxLength, String implementationClassUid, String implementationVersionName,
        int maxOpsInvoked, int maxOpsPerformed, List<RoleSelection> roleSelections, List<SubItem> others) {

    public static final int MAX_LENGTH = 0x51;
    public static final int IMPLEMENTATION_CLASS_UID = 0x52;
    public static final int ASYNC_OPERATIONS_WINDOW = 0x53;
    public static final int ROLE_SELECTION = 0x54;
    public static final int IMPLEMENTATION_VERSION_NAME = 0x55;

    public UserInformation {
        Objects.requireNonNull(implementationClassUid, "implementationClassUid");
        roleSelections = List.copyOf(roleSelections);
        others = List.copyOf(others);
    }

    /** Only the sub-items every RQ/AC carries: maximum length, implementation class UID and version name. */
    public UserInformation(long maxLength, String implementationClassUid, String implementationVersionName) {
        this(maxLength, implementationClassUid, implementationVersionName, -1, -1, List.of(), List.of());
    }
}
