package org.lesionlink.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lesionlink.server.ServerFixtures.next;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lesionlink.igtl.IgtlClient;
import org.lesionlink.igtl.message.Envelope;
import org.lesionlink.igtl.message.StringMessage;

/** serve starts without models (a warning) and GetModels answers an empty list; no engine is touched. */
@Timeout(60)
class ServeEmptyModelsTest {
    @TempDir
    Path tmp;

    @Test
    void startsWithNoModels() throws Exception {
        try (LesionLinkServer server = LesionLinkServer.start(ServerFixtures.config(tmp.resolve("storage"), tmp.resolve("no-models")));
                IgtlClient client = IgtlClient.connect("127.0.0.1", server.igtlPort())) {
            client.send(StringMessage.of(Envelope.v1("CMD_1"), "GetModels")).get();
            JsonNode r = new ObjectMapper().readTree(
                    next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_1"), Duration.ofSeconds(20)).text());
            assertEquals("SUCCESS", r.get("status").asText());
            assertEquals(0, r.get("models").size());
            client.send(StringMessage.of(Envelope.v1("CMD_2"), "Segment")).get();
            JsonNode s = new ObjectMapper().readTree(
                    next(client, StringMessage.class, m -> m.envelope().deviceName().equals("ACK_2"), Duration.ofSeconds(20)).text());
            assertEquals("no models installed", s.get("error").asText());
        }
    }
}
