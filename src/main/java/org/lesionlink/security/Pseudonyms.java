package org.lesionlink.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes of DICOM UIDs for logs and the audit log: {@code uid:} and the first 16 hex digits (64 bits) of
 * HMAC-SHA256 under a secret key. The same UID always gives the same pseudonym under one key, so log lines about a
 * study can be correlated; without the key a UID cannot be confirmed by hashing guesses (UIDs of one site share long
 * prefixes and are guessable). The key lives in a file of its own (created with owner-only permissions on first
 * use) so that pseudonyms stay stable across restarts; whoever holds it and a UID can recompute the pseudonym.
 */
public final class Pseudonyms {

    /**
     * A UID in free text, not part of a longer number: 5 or more numeric components starting 0, 1 or 2 (PS3.5 section
     * 9; five keeps IPv4 addresses and version numbers out), or a UUID-derived {@code 2.25.<integer>} (PS3.5 B.2),
     * which has only three.
     */
    private static final Pattern UID = Pattern.compile(
            "(?<![0-9.])(?:2\\.25\\.[1-9][0-9]*(?:\\.(?:0|[1-9][0-9]*))*|[0-2](?:\\.(?:0|[1-9][0-9]*)){4,})(?!\\.?[0-9])");
    /** UIDs the standard defines (SOP classes, transfer syntaxes): not about anyone, kept readable. */
    private static final String STANDARD_ROOT = "1.2.840.10008.";

    private static volatile Pseudonyms forLogs = random();

    private final SecretKeySpec key;

    private Pseudonyms(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** A fresh random key: pseudonyms valid for this process only. */
    public static Pseudonyms random() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new Pseudonyms(k);
    }

    /**
     * The key in {@code file} (64 hex digits), created with a random key and permissions {@code rw-------} when it
     * does not exist.
     *
     * @throws IOException when the file cannot be read or written, or does not hold a 256-bit hex key
     */
    public static Pseudonyms loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".key", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's own permissions protect it
                }
                Files.writeString(tmp, HexFormat.of().formatHex(k) + "\n", StandardOpenOption.SYNC);
                try {
                    Files.createLink(file, tmp); // atomic: never replaces a key another process just wrote
                } catch (FileAlreadyExistsException e) {
                    // lost a race; read the winner's key below
                } catch (UnsupportedOperationException e) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new IOException(file + ": expected a 256-bit key as 64 hex digits");
        }
        return new Pseudonyms(HexFormat.of().parseHex(hex));
    }

    /** The pseudonyms {@link LogRedaction} uses (a random key until the server installs its own). */
    public static Pseudonyms forLogs() {
        return forLogs;
    }

    public static void useForLogs(Pseudonyms p) {
        forLogs = java.util.Objects.requireNonNull(p);
    }

    /** {@code uid:} and 16 hex digits, or null for null. */
    public String uid(String uid) {
        if (uid == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] h = mac.doFinal(uid.strip().getBytes(StandardCharsets.US_ASCII));
            return "uid:" + HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
        }
    }

    /** {@code text} with every UID not of the standard's own root replaced by its pseudonym. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher m = UID.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            String u = m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(u.startsWith(STANDARD_ROOT) ? u : uid(u)));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }
}
