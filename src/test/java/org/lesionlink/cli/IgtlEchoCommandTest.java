package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.CoordinateSystem;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.Extent;
import org.lesionlink.igtl.message.ImageMessage;
import org.lesionlink.igtl.message.ScalarType;
import org.lesionlink.igtl.message.StatusCode;
import org.lesionlink.igtl.message.StatusMessage;
import org.lesionlink.igtl.message.StringMessage;
import org.lesionlink.igtl.message.TransformMatrix;
import org.lesionlink.igtl.message.TransformMessage;
import org.lesionlink.igtl.message.Vec3;
import picocli.CommandLine;

class IgtlEchoCommandTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** {@code lesionlink igtl-echo ARGS} on its own thread, its output readable while it runs. */
    private static final class Running implements AutoCloseable {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final AtomicInteger exit = new AtomicInteger(-1);
        final Thread thread;

        Running(String... args) {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> exit.set(cl.execute(args)), "igtl-echo-under-test");
            thread.start();
        }

        int port() throws InterruptedException {
            Pattern p = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = p.matcher(out.toString());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                if (!thread.isAlive()) {
                    fail("igtl-echo ended: " + out + err);
                }
                Thread.sleep(10);
            }
            throw new AssertionError("igtl-echo did not report its port: " + out + err);
        }

        /** Stops it as Ctrl-C would (the wait is interrupted) and returns the exit code. */
        int stop() throws InterruptedException {
            thread.interrupt();
            thread.join(PATIENCE.toMillis());
            assertFalse(thread.isAlive(), "igtl-echo did not stop");
            return exit.get();
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                stop();
            }
        }
    }

    private static ImageMessage volume(Envelope env) {
        Extent size = new Extent(40, 30, 5);
        ByteBuffer px = ByteBuffer.allocate(40 * 30 * 5 * 2);
        new Random(7).nextBytes(px.array());
        return new ImageMessage(env, ScalarType.INT16, 1, ByteOrder.LITTLE_ENDIAN, CoordinateSystem.LPS, size,
                new Vec3(0.9f, 0.1f, 0), new Vec3(-0.1f, 0.9f, 0), new Vec3(0, 0, 2.5f), new Vec3(10, -20, 30),
                Extent.ZERO, size, px);
    }

    @Test
    void echoesImageStringAndStatusUnderTheEchoNameUntilStopped() throws Exception {
        try (Running echo = new Running("igtl-echo", "--port", "0", "--bind", "127.0.0.1")) {
            int port = echo.port();
            try (IgtlClient c = IgtlClient.connect("127.0.0.1", port)) {
                ImageMessage sent = volume(new Envelope(1, "CT", 0x6b012c7911fc8f4fL, 0, Map.of()));
                c.send(sent);
                ImageMessage back = c.receive(ImageMessage.class, PATIENCE);
                assertEquals(sent.withEnvelope(sent.envelope().withDeviceName("CT_echo")), back,
                        "same geometry, type, endianness, pixels and timestamp");

                c.send(new TransformMessage(Envelope.v1("Probe"), TransformMatrix.IDENTITY)); // not echoed
                c.send(StringMessage.of(Envelope.v1("ExactlyTwentyCharsXX"), "Hello \u2713"));
                StringMessage s = c.receive(StringMessage.class, PATIENCE);
                assertEquals("ExactlyTwentyCh_echo", s.deviceName(), "cut so that it fits 20 characters");
                assertEquals("Hello \u2713", s.text());

                c.send(StatusMessage.of(Envelope.v1("Scanner"), StatusCode.OK, "ready"));
                StatusMessage st;
                do { // skip the server's keep-alives (empty name)
                    st = c.receive(StatusMessage.class, PATIENCE);
                } while (st.deviceName().isEmpty());
                assertEquals("Scanner_echo", st.deviceName());
                assertEquals("ready", st.message());
            }
            assertEquals(0, echo.stop());
            String out = echo.out.toString();
            assertTrue(out.contains("stopped; 1 connection(s); echoed 1 IMAGE (0.0 MB of pixels), 1 STRING, 1 STATUS;"
                    + " ignored 1 other message(s)"), out);
        }
    }

    @Test
    void aVersionTwoPeerGetsItsMetadataBack() throws Exception {
        try (Running echo = new Running("igtl-echo", "--port", "0", "--bind", "127.0.0.1", "--suffix", "", "--workers", "0")) {
            int port = echo.port();
            try (IgtlClient c = IgtlClient.builder().assumePeerHeaderVersion(2)
                    .connect(new java.net.InetSocketAddress("127.0.0.1", port))) {
                ImageMessage sent = volume(new Envelope(2, "MR", 0, 42, Map.of("Modality", "MR", "Patient", "Doe^Jane")));
                c.send(sent);
                assertEquals(sent, c.receive(ImageMessage.class, PATIENCE), "--suffix \"\" keeps the name");
            }
        }
    }

    @Test
    void durationStopsByItselfAndBadOptionsAreReported() {
        CliRun run = CliRun.of("igtl-echo", "--port", "0", "--bind", "127.0.0.1", "--duration", "0.3");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("stopped; 0 connection(s)"), run.out());
        CliRun bad = CliRun.of("igtl-echo", "--port", "0", "--suffix", "_twenty-one-characters");
        assertEquals(Main.EXIT_FAILURE, bad.exitCode());
        assertTrue(bad.err().contains("--suffix"), bad.err());
        CliRun negative = CliRun.of("igtl-echo", "--port", "0", "--workers", "-1");
        assertEquals(Main.EXIT_FAILURE, negative.exitCode());
        assertTrue(negative.err().contains("--workers"), negative.err());
    }
}
