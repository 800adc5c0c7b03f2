package org.lesionlink.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.lesionlink.dicom.data.UID;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.AssociationSettings;
import org.lesionlink.dicom.net.DicomClient;
import org.lesionlink.dicom.net.dimse.DimseResponse;
import org.lesionlink.dicom.net.dimse.Status;
import org.lesionlink.dicom.net.pdu.PresentationContextRq;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lesionlink echo}: C-ECHO SCU (Verification), to check that a DICOM node answers. */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Send C-ECHO (DICOM Verification) to AET@HOST:PORT; exit 0 when it answers with success.")
final class EchoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "AET@HOST:PORT", converter = AddressConverter.class,
            description = "The called application entity.")
    DicomAddress remote;

    @Option(names = "--calling-ae", defaultValue = "LESIONLINK", paramLabel = "AET",
            description = "Our AE title (default LESIONLINK).")
    String callingAe;

    @Option(names = "--count", defaultValue = "1", paramLabel = "N", description = "C-ECHOs on the association (default 1).")
    int count;

    @picocli.CommandLine.Mixin
    ClientTlsOptions tls = new ClientTlsOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (DicomClient client = new DicomClient(AssociationSettings.of(callingAe), tls.context())) {
            long t0 = System.nanoTime();
            Association as = client.open(remote.host(), remote.port(), remote.aeTitle(),
                    List.of(new PresentationContextRq(1, UID.Verification, UID.ImplicitVRLittleEndian)));
            int failures = 0;
            for (int i = 0; i < count; i++) {
                long t1 = System.nanoTime();
                DimseResponse r = as.cecho();
                out.printf("C-ECHO %s: status %s, %.1f ms%n", remote, Status.toString(r.status()),
                        (System.nanoTime() - t1) / 1e6);
                if (r.status() != Status.SUCCESS) {
                    failures++;
                }
            }
            as.release();
            out.printf("association with %s released after %.1f ms%n", remote, (System.nanoTime() - t0) / 1e6);
            out.flush();
            return failures == 0 ? 0 : Main.EXIT_FAILURE;
        }
    }
}
