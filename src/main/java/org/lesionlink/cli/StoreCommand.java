package org.lesionlink.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.AssociationSettings;
import org.lesionlink.dicom.net.DicomClient;
import org.lesionlink.dicom.net.dimse.DimseResponse;
import org.lesionlink.dicom.net.dimse.Status;
import org.lesionlink.dicom.net.dimse.StoreScu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lesionlink store}: C-STORE SCU for DICOM files and directories (recursively), on one association. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Send DICOM files (C-STORE) to AET@HOST:PORT; directories are searched recursively. "
                + "Exit 0 when every instance was stored with success or a warning.")
final class StoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "AET@HOST:PORT", converter = AddressConverter.class,
            description = "The called application entity (the storage SCP).")
    DicomAddress remote;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE|DIR", description = "DICOM files or directories.")
    List<Path> inputs;

    @Option(names = "--calling-ae", defaultValue = "LESIONLINK", paramLabel = "AET",
            description = "Our AE title (default LESIONLINK).")
    String callingAe;

    @Option(names = "--max-pdu", defaultValue = "65536", paramLabel = "BYTES",
            description = "Maximum PDU length we receive (4096..16777216, default 65536).")
    int maxPdu;

    @picocli.CommandLine.Mixin
    ClientTlsOptions tls = new ClientTlsOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // What does not depend on the files (Netty's start, the data dictionary the responses are read with: ~0.5 s
        // of a cold JVM) runs on another thread while this one probes the files.
        AssociationSettings settings = AssociationSettings.of(callingAe).withMaxPduLength(maxPdu);
        io.netty.handler.ssl.SslContext tlsContext = tls.context();
        java.util.concurrent.CompletableFuture<DicomClient> starting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    DicomClient c = new DicomClient(settings, tlsContext);
                    org.lesionlink.dicom.data.ElementDictionary.standard();
                    return c;
                });
        try {
            return call(starting, out, err);
        } finally {
            starting.whenComplete((c, e) -> {
                if (c != null) {
                    c.close();
                }
            });
        }
    }

    private int call(java.util.concurrent.CompletableFuture<DicomClient> starting, PrintWriter out, PrintWriter err)
            throws Exception {
        List<StoreScu.Instance> instances = new ArrayList<>();
        int skipped = 0;
        for (Path f : files()) {
            try {
                instances.add(StoreScu.probe(f));
            } catch (IOException e) {
                err.println("skipping " + f + ": " + e.getMessage());
                skipped++;
            }
        }
        if (instances.isEmpty()) {
            throw new IOException("no DICOM instances to send" + (skipped > 0 ? " (" + skipped + " files skipped)" : ""));
        }
        int ok = 0;
        int warnings = 0;
        int failed = 0;
        long bytes = 0;
        long t0 = System.nanoTime();
        DicomClient client;
        try {
            client = starting.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        {
            Association as = client.open(remote.host(), remote.port(), remote.aeTitle(),
                    StoreScu.presentationContexts(instances));
            List<StoreScu.Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
            IOException ended = null;
            try {
                StoreScu.storeAll(as, instances, outcomes::add).get();
            } catch (java.util.concurrent.ExecutionException e) {
                ended = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            for (StoreScu.Outcome o : outcomes) {
                DimseResponse r = o.response();
                if (r == null) {
                    err.println("not sent " + o.instance().file() + ": " + o.error().getMessage());
                    failed++;
                    continue;
                }
                if (Status.isSuccess(r.status())) {
                    ok++;
                } else if (Status.isWarning(r.status())) {
                    warnings++;
                    err.println("warning " + Status.toString(r.status()) + " for " + o.instance().file());
                } else {
                    failed++;
                    err.println("failed " + r + " for " + o.instance().file());
                }
                bytes += Files.size(o.instance().file());
            }
            if (ended != null) {
                throw ended;
            }
            as.release();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        out.printf("stored %d of %d instances to %s (%d warnings, %d failed, %d skipped) in %.2f s: %.1f instances/s, %.1f MB/s%n",
                ok + warnings, instances.size(), remote, warnings, failed, skipped, s, instances.size() / s, bytes / s / 1e6);
        out.flush();
        err.flush();
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new java.nio.file.NoSuchFileException(p.toString());
            }
        }
        return files;
    }
}
