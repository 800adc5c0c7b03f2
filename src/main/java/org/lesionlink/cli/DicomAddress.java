package org.lesionlink.cli;

import org.lesionlink.dicom.net.AssociationSettings;
import picocli.CommandLine;

/** A remote application entity written {@code AET@HOST:PORT}, as the DICOM commands take it. */
record DicomAddress(String aeTitle, String host, int port) {

    static DicomAddress parse(String s) {
        int at = s.lastIndexOf('@');
        int colon = s.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == s.length() - 1) {
            throw new CommandLine.TypeConversionException("expected AET@HOST:PORT, not '" + s + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("bad port in '" + s + "'");
        }
        if (port < 1 || port > 65535) {
            throw new CommandLine.TypeConversionException("port outside 1..65535 in '" + s + "'");
        }
        String host = s.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new DicomAddress(AssociationSettings.checkAeTitle(s.substring(0, at)), host, port);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return aeTitle + "@" + host + ":" + port;
    }
}
