package org.lesionlink.dicom.net.dimse;

import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.VR;

/**
 * Builders for DIMSE-C command sets, PS3.7 section 9.3 (group 0000; encoded in implicit VR LE by
 * {@code DicomWriter.encodeCommand}).
 */
public final class Dimse {

    /** Command Data Set Type value meaning "no data set follows". */
    public static final int NO_DATA_SET = 0x0101;
    /** What LesionLink writes when a data set follows (as dcmtk and Orthanc do). */
    public static final int DATA_SET_PRESENT = 0x0001;

    public static final int PRIORITY_MEDIUM = 0;
    public static final int PRIORITY_HIGH = 1;
    public static final int PRIORITY_LOW = 2;

    private Dimse() {
    }

    public static Attributes cEchoRq(int messageId, String sopClassUid) {
        Attributes c = request(CommandField.C_ECHO_RQ, messageId, sopClassUid);
        c.setInt(Tag.CommandDataSetType, VR.US, NO_DATA_SET);
        return c;
    }

    public static Attributes cStoreRq(int messageId, String sopClassUid, String sopInstanceUid, int priority) {
        Attributes c = request(CommandField.C_STORE_RQ, messageId, sopClassUid);
        c.setInt(Tag.Priority, VR.US, priority);
        c.setInt(Tag.CommandDataSetType, VR.US, DATA_SET_PRESENT);
        c.setString(Tag.AffectedSOPInstanceUID, VR.UI, sopInstanceUid);
        return c;
    }

    public static Attributes cFindRq(int messageId, String sopClassUid, int priority) {
        Attributes c = request(CommandField.C_FIND_RQ, messageId, sopClassUid);
        c.setInt(Tag.Priority, VR.US, priority);
        c.setInt(Tag.CommandDataSetType, VR.US, DATA_SET_PRESENT);
        return c;
    }

    public static Attributes cMoveRq(int messageId, String sopClassUid, int priority, String moveDestination) {
        Attributes c = request(CommandField.C_MOVE_RQ, messageId, sopClassUid);
        c.setInt(Tag.Priority, VR.US, priority);
        c.setInt(Tag.CommandDataSetType, VR.US, DATA_SET_PRESENT);
        c.setString(Tag.MoveDestination, VR.AE, moveDestination);
        return c;
    }

    public static Attributes cCancelRq(int messageIdBeingRespondedTo) {
        Attributes c = new Attributes();
        c.setInt(Tag.CommandField, VR.US, CommandField.C_CANCEL_RQ);
        c.setInt(Tag.MessageIDBeingRespondedTo, VR.US, messageIdBeingRespondedTo);
        c.setInt(Tag.CommandDataSetType, VR.US, NO_DATA_SET);
        return c;
    }

    /**
     * The response to {@code rq}: the same class (and instance, if the request named one), MessageIDBeingRespondedTo,
     * no data set, the status.
     */
    public static Attributes response(Attributes rq, int status) {
        Attributes c = new Attributes();
        String cuid = rq.getString(Tag.AffectedSOPClassUID);
        if (cuid != null) {
            c.setString(Tag.AffectedSOPClassUID, VR.UI, cuid);
        }
        c.setInt(Tag.CommandField, VR.US, rq.getInt(Tag.CommandField, 0) | 0x8000);
        c.setInt(Tag.MessageIDBeingRespondedTo, VR.US, rq.getInt(Tag.MessageID, 0));
        c.setInt(Tag.CommandDataSetType, VR.US, NO_DATA_SET);
        c.setInt(Tag.Status, VR.US, status);
        String iuid = rq.getString(Tag.AffectedSOPInstanceUID);
        if (iuid != null) {
            c.setString(Tag.AffectedSOPInstanceUID, VR.UI, iuid);
        }
        return c;
    }

    public static int commandField(Attributes command) {
        return command.getInt(Tag.CommandField, -1);
    }

    public static int status(Attributes command) {
        return command.getInt(Tag.Status, -1);
    }

    public static boolean hasDataSet(Attributes command) {
        return command.getInt(Tag.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET;
    }

    private static Attributes request(int field, int messageId, String sopClassUid) {
        Attributes c = new Attributes();
        c.setString(Tag.AffectedSOPClassUID, VR.UI, sopClassUid);
        c.setInt(Tag.CommandField, VR.US, field);
        c.setInt(Tag.MessageID, VR.US, messageId);
        return c;
    }
}
