package org.lesionlink.dicom.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.io.DicomReader;
import org.lesionlink.dicom.net.dimse.CEchoScp;
import org.lesionlink.dicom.net.dimse.CStoreScp;
import org.lesionlink.dicom.net.dimse.DicomServiceRegistry;
import org.lesionlink.dicom.net.dimse.StoredInstance;

/** Shared helpers of the network tests: a loopback SCP on a free port storing into a temp directory. */
public final class NetTesting {

    public static final Path PYDICOM_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private NetTesting() {
    }

    /** A running storage SCP and what it stored. */
    public record Scp(DicomServer server, Path storage, List<StoredInstance> stored) implements AutoCloseable {
        public int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    public static Scp startScp(String aeTitle, Path storage, AcceptorPolicy policy) throws IOException {
        List<StoredInstance> stored = new CopyOnWriteArrayList<>();
        java.util.Set<String> classes = new java.util.HashSet<>(policy.presentationContexts().sopClasses());
        classes.remove(org.lesionlink.dicom.data.UID.Verification);
        CStoreScp store = new CStoreScp(storage, classes, stored::add);
        DicomServiceRegistry registry = new DicomServiceRegistry().register(new CEchoScp()).register(store)
                .setStorageFallback(store);
        DicomServerConfig cfg = DicomServerConfig.of(aeTitle, 0).withBindAddress("127.0.0.1").withPolicy(policy);
        return new Scp(DicomServer.start(cfg, registry), storage, stored);
    }

    public static Scp startScp(String aeTitle, Path storage) throws IOException {
        return startScp(aeTitle, storage, AcceptorPolicy.defaults());
    }

    /** A TCP port free right now on loopback (for peers that must be told a port before they start). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Every regular file under {@code dir} (recursively), temp files included. */
    public static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
        }
    }

    /** The data set of a file (meta information dropped). */
    public static Attributes dataset(Path file) throws IOException {
        return new DicomReader().read(file).dataset();
    }

    /**
     * The data set of a file in one canonical encoding (explicit VR LE, group lengths dropped, undefined-length
     * sequences): equal bytes mean equal content, whatever transfer syntax each file used. Data Set Trailing
     * Padding (FFFC,FFFC) is dropped: it has no content, and dcmtk's storescu does not send it (MR_small has some).
     */
    public static byte[] canonical(Path file) throws IOException {
        Attributes ds = dataset(file);
        ds.remove(0xFFFCFFFC);
        return org.lesionlink.dicom.io.DicomWriter.encode(ds,
                org.lesionlink.dicom.data.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    public static Set<String> storedSopInstances(List<StoredInstance> stored) {
        Set<String> s = new java.util.TreeSet<>();
        stored.forEach(i -> s.add(i.sopInstanceUid()));
        return s;
    }
}
