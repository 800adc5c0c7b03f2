package org.lesionlink.dicom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of DICOM unique identifiers, PS3.6 Annex A (Table A-1 and A-2), loaded from the generated
 * resource {@code uids.tsv}. Used to name UIDs in dumps and to check the {@link UID} constants.
 */
public final class UidDictionary {

    /** One registered UID. {@code type} is e.g. "SOP Class", "Transfer Syntax", "Coding Scheme". */
    public record Entry(String uid, String keyword, String name, String type, boolean retired) {
    }

    private static final UidDictionary STANDARD = load();

    private final Map<String, Entry> byUid;
    private final Map<String, Entry> byKeyword;

    private UidDictionary(Map<String, Entry> byUid, Map<String, Entry> byKeyword) {
        this.byUid = byUid;
        this.byKeyword = byKeyword;
    }

    public static UidDictionary standard() {
        return STANDARD;
    }

    public Optional<Entry> lookup(String uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    public Optional<Entry> lookupKeyword(String keyword) {
        return Optional.ofNullable(byKeyword.get(keyword));
    }

    /** The registered name of {@code uid}, or {@code null}. */
    public String nameOf(String uid) {
        Entry e = byUid.get(uid);
        return e == null ? null : e.name();
    }

    public int size() {
        return byUid.size();
    }

    private static UidDictionary load() {
        Map<String, Entry> byUid = new HashMap<>();
        Map<String, Entry> byKeyword = new HashMap<>();
        try (InputStream in = UidDictionary.class.getResourceAsStream("uids.tsv")) {
            if (in == null) {
                throw new IllegalStateException("DICOM UID dictionary resource uids.tsv is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                Entry e = new Entry(f[0], f[1], f[2], f[3], f[4].equals("R"));
                byUid.put(e.uid(), e);
                if (!e.keyword().isEmpty()) {
                    byKeyword.putIfAbsent(e.keyword(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new UidDictionary(Map.copyOf(byUid), Map.copyOf(byKeyword));
    }
}
