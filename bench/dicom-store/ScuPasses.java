import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.lesionlink.dicom.net.Association;
import org.lesionlink.dicom.net.AssociationSettings;
import org.lesionlink.dicom.net.DicomClient;
import org.lesionlink.dicom.net.dimse.Status;
import org.lesionlink.dicom.net.dimse.StoreScu;

/**
 * LesionLink's C-STORE SCU in a JVM that is already running, as {@code serve} sends its SEGs: one {@link DicomClient}
 * for the whole run; for every line read on standard input it sends every file under DIR on a new association (probe
 * of the files, A-ASSOCIATE, the pipelined {@link StoreScu#storeAll}, A-RELEASE, all timed) and prints one line:
 * {@code pass K: OK of N stored in S s: R instances/s}. bench/dicom-store/run.sh drives it as a co-process, so its
 * passes alternate with storescu's in the same run.
 *
 * <pre>java -cp target/lesionlink.jar bench/dicom-store/ScuPasses.java AET@HOST:PORT DIR [CALLING_AE]</pre>
 */
public class ScuPasses {

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].matches("[^@]+@[^:]+:\\d+")) {
            System.err.println("usage: ScuPasses AET@HOST:PORT DIR [CALLING_AE]");
            System.exit(2);
        }
        String called = args[0].substring(0, args[0].indexOf('@'));
        String host = args[0].substring(args[0].indexOf('@') + 1, args[0].lastIndexOf(':'));
        int port = Integer.parseInt(args[0].substring(args[0].lastIndexOf(':') + 1));
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(args[1]))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        String calling = args.length > 2 ? args[2] : "LESIONLINK";
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try (DicomClient client = new DicomClient(AssociationSettings.of(calling))) {
            int pass = 0;
            while (in.readLine() != null) {
                pass++;
                long t0 = System.nanoTime();
                List<StoreScu.Instance> instances = new ArrayList<>(files.size());
                for (Path f : files) {
                    instances.add(StoreScu.probe(f));
                }
                Association as = client.open(host, port, called, StoreScu.presentationContexts(instances));
                AtomicInteger ok = new AtomicInteger();
                StoreScu.storeAll(as, instances, o -> {
                    if (o.response() != null && Status.isSuccess(o.response().status())) {
                        ok.incrementAndGet();
                    }
                }).get();
                as.release();
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("pass %d: %d of %d stored in %.3f s: %.1f instances/s%n", pass, ok.get(),
                        instances.size(), s, instances.size() / s);
                System.out.flush();
            }
        }
    }
}
