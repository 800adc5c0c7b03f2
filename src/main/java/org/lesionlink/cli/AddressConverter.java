package org.lesionlink.cli;

import picocli.CommandLine;

/** picocli converter for {@code AET@HOST:PORT}. */
final class AddressConverter implements CommandLine.ITypeConverter<DicomAddress> {
    @Override
    public DicomAddress convert(String value) {
        return DicomAddress.parse(value);
    }
}
