package org.lesionlink.dicom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of DICOM data elements, PS3.6 sections 6 to 9, and command elements, PS3.7 sections E.1 and E.2:
 * tag, VR, VM, keyword and name. Loaded once from the generated resource {@code elements.tsv} (see its header and
 * {@code scripts/generate-dicom-dictionary.py} for the source edition). Used for implicit VR data sets, where
 * the VR is not in the stream, and for readable dumps.
 *
 * <p>Private data elements (odd groups) are not in the registry; {@link #vrOf} still answers for them: private
 * creator elements (gggg,0010-00FF) are LO and group lengths UL, PS3.5 section 7.8.1 and 7.2.
 */
public final class ElementDictionary {

    /**
     * One registry entry. {@code vrs} has more than one VR where the standard lists alternatives ("US or SS",
     * "OB or OW"); the choice then depends on the data set (PS3.5 Annex A.1 for implicit VR).
     */
    public record Entry(int tag, List<VR> vrs, String vm, String keyword, String name, boolean retired) {
        /** The first listed VR, or UN for the item and delimitation tags, which have none. */
        public VR vr() {
            return vrs.isEmpty() ? VR.UN : vrs.get(0);
        }
    }

    private record Repeating(int mask, int value, Entry entry) {
    }

    private static final ElementDictionary STANDARD = load("elements.tsv");

    private final Map<Integer, Entry> byTag;
    private final Map<String, Entry> byKeyword;
    private final List<Repeating> repeating;

    private ElementDictionary(Map<Integer, Entry> byTag, Map<String, Entry> byKeyword, List<Repeating> repeating) {
        this.byTag = byTag;
        this.byKeyword = byKeyword;
        this.repeating = repeating;
    }

    /** The standard dictionary. */
    public static ElementDictionary standard() {
        return STANDARD;
    }

    /** The entry for a tag, including repeating groups such as (60xx,3000) OverlayData. */
    public Optional<Entry> lookup(int tag) {
        Entry e = byTag.get(tag);
        if (e == null) {
            for (Repeating r : repeating) {
                if ((tag & r.mask) == r.value) {
                    return Optional.of(r.entry);
                }
            }
        }
        return Optional.ofNullable(e);
    }

    /** The entry for a keyword such as {@code "PatientName"}. */
    public Optional<Entry> lookup(String keyword) {
        return Optional.ofNullable(byKeyword.get(keyword));
    }

    /**
     * The VR to assume when the stream does not say (implicit VR): the registry's first VR; LO for private
     * creators, UL for group lengths, UN for unknown and other private elements.
     */
    public VR vrOf(int tag) {
        if (Tag.element(tag) == 0) {
            return VR.UL;
        }
        if (Tag.isPrivateCreator(tag)) {
            return VR.LO;
        }
        if (Tag.isPrivate(tag)) {
            return VR.UN;
        }
        return lookup(tag).map(Entry::vr).orElse(VR.UN);
    }

    /** The keyword, or {@code ""} for unknown and private elements. */
    public String keywordOf(int tag) {
        if (Tag.isPrivateCreator(tag)) {
            return "PrivateCreator";
        }
        if (Tag.isPrivate(tag)) {
            return "";
        }
        return lookup(tag).map(Entry::keyword).orElse("");
    }

    /** Number of entries, repeating-group patterns included. */
    public int size() {
        return byTag.size() + repeating.size();
    }

    private static ElementDictionary load(String resource) {
        Map<Integer, Entry> byTag = new HashMap<>(8192);
        Map<String, Entry> byKeyword = new HashMap<>(8192);
        List<Repeating> repeating = new ArrayList<>();
        try (InputStream in = ElementDictionary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("DICOM dictionary resource " + resource + " is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String hex = f[0];
                List<VR> vrs = new ArrayList<>();
                if (!f[1].equals("-")) {
                    for (String v : f[1].split("/")) {
                        vrs.add(VR.valueOf(v));
                    }
                }
                int value = (int) Long.parseLong(hex.replace('x', '0'), 16);
                Entry e = new Entry(value, List.copyOf(vrs), f[2], f[3], f[4], f[5].equals("R"));
                if (hex.indexOf('x') >= 0) {
                    int mask = 0;
                    for (int i = 0; i < 8; i++) {
                        mask = (mask << 4) | (hex.charAt(i) == 'x' ? 0 : 0xF);
                    }
                    repeating.add(new Repeating(mask, value, e));
                } else {
                    byTag.put(value, e);
                }
                byKeyword.putIfAbsent(e.keyword(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ElementDictionary(Map.copyOf(byTag), Map.copyOf(byKeyword), List.copyOf(repeating));
    }
}
