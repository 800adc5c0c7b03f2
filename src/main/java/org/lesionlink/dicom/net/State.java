package org.lesionlink.dicom.net;

/** The states of the DICOM Upper Layer protocol machine, PS3.8 section 9.2.1 (Table 9-1), with the standard's names. */
public enum State {
    Sta1("Idle"),
    Sta2("Transport connection open (Awaiting A-ASSOCIATE-RQ PDU)"),
    Sta3("Awaiting local A-ASSOCIATE response primitive (from local user)"),
    Sta4("Awaiting transport connection opening to complete (from local transport service)"),
    Sta5("Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU"),
    Sta6("Association established and ready for data transfer"),
    Sta7("Awaiting A-RELEASE-RP PDU"),
    Sta8("Awaiting local A-RELEASE response primitive (from local user)"),
    Sta9("Release collision requestor side; awaiting A-RELEASE response (from local user)"),
    Sta10("Release collision acceptor side; awaiting A-RELEASE-RP PDU"),
    Sta11("Release collision requestor side; awaiting A-RELEASE-RP PDU"),
    Sta12("Release collision acceptor side; awaiting A-RELEASE response primitive (from local user)"),
    Sta13("Awaiting Transport Connection Close Indication (Association no longer exists)");

    private final String description;

    State(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
