package org.lesionlink.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UID pseudonyms (keyed, stable across restarts, scrubbed from text) and the JSON-lines audit log. */
class PseudonymsAuditTest {

    private static final String STUDY = "1.2.826.0.1.3680043.8.498.12345678901234567890";

    @TempDir
    Path tmp;

    @Test
    void pseudonymIsAnHmacUnderTheKeyFileAndStableAcrossLoads() throws Exception {
        Path keyFile = tmp.resolve("keys/pseudonym.key");
        Pseudonyms a = Pseudonyms.loadOrCreate(keyFile);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        Pseudonyms again = Pseudonyms.loadOrCreate(keyFile);
        assertEquals(a.uid(STUDY), again.uid(STUDY), "same key file, same pseudonym (correlation across restarts)");
        // independently computed: HMAC-SHA256 under the file's key, first 8 bytes in hex
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(Files.readString(keyFile).strip()), "HmacSHA256"));
        String expected = "uid:" + HexFormat.of().formatHex(mac.doFinal(STUDY.getBytes()), 0, 8);
        assertEquals(expected, a.uid(STUDY));
        assertNotEquals(a.uid(STUDY), Pseudonyms.random().uid(STUDY), "another key, another pseudonym");
        assertNotEquals(a.uid(STUDY), a.uid(STUDY + "1"));
        Files.writeString(tmp.resolve("bad.key"), "not a key\n");
        IOException e = assertThrows(IOException.class, () -> Pseudonyms.loadOrCreate(tmp.resolve("bad.key")));
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
    }

    @Test
    void scrubReplacesInstanceUidsButKeepsStandardUidsAddressesAndVersions() {
        Pseudonyms p = Pseudonyms.random();
        String text = "stored /data/incoming/" + STUDY + "/2.25.1234567/" + STUDY + ".9.dcm from 10.1.2.3:104 "
                + "as 1.2.840.10008.5.1.4.1.1.4 (dcmtk 3.6.7), job 42";
        String s = p.scrub(text);
        assertFalse(s.contains(STUDY), s);
        assertFalse(s.contains("2.25.1234567"), s);
        assertTrue(s.contains("/data/incoming/" + p.uid(STUDY) + "/" + p.uid("2.25.1234567") + "/" + p.uid(STUDY + ".9")
                + ".dcm"), s);
        assertTrue(s.contains("10.1.2.3:104"), s);
        assertTrue(s.contains("1.2.840.10008.5.1.4.1.1.4"), s);
        assertTrue(s.contains("3.6.7"), s);
        assertEquals("no uids here", p.scrub("no uids here"));
    }

    @Test
    void auditLogWritesOneJsonObjectPerLineAndScrubsUids() throws Exception {
        Path file = tmp.resolve("audit/audit.jsonl");
        Pseudonyms p = Pseudonyms.random();
        Instant before = Instant.now();
        try (AuditLog log = AuditLog.open(file, p)) {
            log.record("dicom-association-refused", "remote", "10.0.0.9:5555", "callingAe", "INTRUDER", "tls", true,
                    "reason", "rejected-permanent, service user: calling AE title not recognized");
            log.record("dicom-study-received", "study", p.uid(STUDY), "instances", 16, "nothing", null);
            log.record("job-finished", "error", "cannot read " + STUDY + "/x.dcm");
        }
        try (AuditLog log = AuditLog.open(file, p)) { // appends
            log.record("server-stopped");
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("dicom-association-refused", first.get("event").asText());
        assertFalse(Instant.parse(first.get("time").asText()).isBefore(before.minusSeconds(1)));
        assertTrue(first.get("tls").asBoolean());
        assertEquals("INTRUDER", first.get("callingAe").asText());
        JsonNode second = json.readTree(lines.get(1));
        assertEquals(16, second.get("instances").asInt());
        assertEquals(p.uid(STUDY), second.get("study").asText());
        assertFalse(second.has("nothing"));
        assertEquals("cannot read " + p.uid(STUDY) + "/x.dcm", json.readTree(lines.get(2)).get("error").asText());
        assertEquals("server-stopped", json.readTree(lines.get(3)).get("event").asText());
        AuditLog off = AuditLog.disabled(p);
        off.record("anything");
        assertEquals(null, off.file());
    }
}
