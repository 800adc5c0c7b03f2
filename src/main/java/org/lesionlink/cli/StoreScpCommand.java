package org.lesionlink.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lesionlink.dicom.net.AcceptorPolicy;
import org.lesionlink.dicom.net.AssociationSettings;
import org.lesionlink.dicom.net.DicomServer;
import org.lesionlink.dicom.net.DicomServerConfig;
import org.lesionlink.dicom.net.PresentationContextPolicy;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;
import org.lesionlink.dicom.net.dimse.StorageJournal;
import org.lesionlink.dicom.net.dimse.StudyLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lesionlink storescp}: a standalone Verification and Storage SCP writing durable files. */
@Command(name = "storescp", mixinStandardHelpOptions = true,
        description = "Run a DICOM storage SCP (and C-ECHO) until stopped; instances are stored as "
                + "DIR/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm, each on disk before success is answered.")
final class StoreScpCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, paramLabel = "N", description = "TCP port (0 picks a free one).")
    int port;

    @Option(names = "--ae-title", defaultValue = "LESIONLINK", paramLabel = "AET", description = "Our AE title (default LESIONLINK).")
    String aeTitle;

    @Option(names = "--storage", required = true, paramLabel = "DIR", description = "Storage directory (created if missing).")
    Path storage;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDR", description = "Address to listen on (default all).")
    String bind;

    @Option(names = "--check-called-ae", description = "Reject associations whose called AE title is not ours.")
    boolean checkCalledAe;

    @Option(names = "--any-storage", description = "Accept every standard Storage SOP class, not only MR, Enhanced MR, CT, "
            + "Enhanced CT and Segmentation.")
    boolean anyStorage;

    @Option(names = "--max-pdu", defaultValue = "65536", paramLabel = "BYTES",
            description = "Maximum PDU length we receive (4096..16777216, default 65536).")
    int maxPdu;

    @Option(names = "--max-associations", defaultValue = "16", paramLabel = "N",
            description = "Associations served at the same time (default 16).")
    int maxAssociations;

    @Option(names = "--no-journal", description = "Make each instance durable by itself (fdatasync of the file, "
            + "rename, fsync of its directory) instead of through the write-ahead journal in DIR/.journal, e.g. to "
            + "let several processes store into DIR. (A DIR on tmpfs or ramfs never gets a journal: nothing to flush.)")
    boolean noJournal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The running server (for tests, which stop it by closing it). */
    volatile DicomServer server;
    final CountDownLatch started = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PresentationContextPolicy contexts = PresentationContextPolicy.defaults().withAcceptAnyStorage(anyStorage);
        AcceptorPolicy policy = AcceptorPolicy.defaults().withCheckCalledAe(checkCalledAe)
                .withPresentationContexts(contexts).withMaxAssociations(maxAssociations);
        StorageJournal journal = noJournal || !StorageJournal.worthwhile(storage) ? null
                : StorageJournal.open(storage.resolve(".journal"), storage);
        if (journal != null && journal.replayed() > 0) {
            out.println("replayed " + journal.replayed() + " instance(s) from the journal of the last run");
        }
        // println, not printf: a format string parsed per instance was a measurable part of the SCP's CPU
        CStoreScp store = new CStoreScp(storage, PresentationContextPolicy.DEFAULT_STORAGE, i ->
                out.println("stored " + i.file() + " from " + i.callingAeTitle()), StudyLimits.NONE, journal);
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp()).register(store)
                .setStorageFallback(store);
        DicomServerConfig cfg = DicomServerConfig.of(aeTitle, port).withBindAddress(bind).withPolicy(policy)
                .withSettings(AssociationSettings.of(aeTitle).withMaxPduLength(maxPdu));
        DicomServer s;
        try {
            s = DicomServer.start(cfg, registry);
        } catch (IOException | RuntimeException e) {
            if (journal != null) {
                journal.close();
            }
            throw e;
        }
        server = s;
        Runnable stop = () -> {
            s.close();
            if (journal != null) {
                journal.close(); // a checkpoint: nothing left to replay
            }
        };
        Thread hook = new Thread(stop, "storescp-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("storescp %s listening on %s:%d, storing into %s%n", cfg.settings().aeTitle(), bind, s.port(),
                store.storage());
        out.flush();
        started.countDown();
        try {
            s.awaitClose();
        } finally {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        return 0;
    }
}
