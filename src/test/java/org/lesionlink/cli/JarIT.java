package org.lesionlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lesionlink.testing.Peers;

/** The packaged jar as a user runs it: {@code java -jar target/lesionlink.jar ...} in its own JVM. */
class JarIT {

    private static final Path JAR = Path.of(System.getProperty("lesionlink.jar", "target/lesionlink.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void helpListsCommands() throws IOException {
        Peers.Result r = Peers.run(List.of(JAVA.toString(), "-jar", JAR.toString(), "--help"), 60);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("info") && r.stdout().contains("resample"), r.stdout());
    }

    @Test
    void quickStartCommandPrintsJson() throws IOException {
        Path fixture = Peers.testResource("fixtures/colin27-2mm/ch2.nii.gz");
        Peers.Result r = Peers.run(List.of(JAVA.toString(), "-jar", JAR.toString(), "info", "--json", fixture.toString()), 60);
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode info = new ObjectMapper().readTree(r.stdout());
        assertEquals(91, info.get("dims").get(0).asInt());
        assertEquals("uint8", info.get("datatype").asText());
        assertEquals(4, info.get("ijkToRas").size());
    }

    /** {@code igtl-echo} echoes an IMAGE and stops cleanly on SIGINT (Ctrl-C), reporting what it did. */
    @Test
    void igtlEchoStopsCleanlyOnCtrlC() throws Exception {
        // env --default-signal=INT (coreutils >= 8.31): a build started in the background passes SIGINT on as
        // ignored, and the JVM would never see the Ctrl-C this test sends.
        Process p = new ProcessBuilder("env", "--default-signal=INT", JAVA.toString(), "-jar", JAR.toString(), "igtl-echo",
                "--port", "0", "--bind", "127.0.0.1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String first = out.readLine();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(first));
            assertTrue(m.find(), first);
            try (org.lesionlink.igtl.IgtlClient c = org.lesionlink.igtl.IgtlClient.connect("127.0.0.1", Integer.parseInt(m.group(1)))) {
                c.send(org.lesionlink.igtl.message.StringMessage.of(org.lesionlink.igtl.message.Envelope.v1("Ping"), "hello"));
                var back = c.receive(org.lesionlink.igtl.message.StringMessage.class, java.time.Duration.ofSeconds(20));
                assertEquals("Ping_echo", back.deviceName());
            }
            Peers.Result kill = Peers.run(List.of("kill", "-INT", Long.toString(p.pid())), 10);
            assertEquals(0, kill.exitCode(), kill.stderr());
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "igtl-echo did not stop on SIGINT");
            String rest = String.join("\n", out.lines().toList());
            assertTrue(rest.contains("stopped; 1 connection(s); echoed 0 IMAGE (0.0 MB of pixels), 1 STRING"), rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
