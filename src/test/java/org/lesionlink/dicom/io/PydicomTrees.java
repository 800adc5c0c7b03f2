package org.lesionlink.dicom.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lesionlink.dicom.data.Attributes;
import org.lesionlink.dicom.data.Element;
import org.lesionlink.dicom.data.Fragments;
import org.lesionlink.dicom.data.Sequence;
import org.lesionlink.dicom.data.Tag;
import org.lesionlink.dicom.data.VR;
import org.lesionlink.testing.Peers;

/**
 * Element trees as pydicom sees them ({@code peers/pydicom_tree.py}), and their comparison with LesionLink's
 * {@link Attributes}: tag by tag, VR, value bytes (little endian), decoded strings and numbers, sequence
 * structure and encapsulated fragments.
 */
final class PydicomTrees {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PydicomTrees() {
    }

    /** Runs pydicom once over all {@code files}; the result maps each path (as given) to its tree. */
    static Map<String, JsonNode> dump(List<Path> files) throws IOException {
        Peers.requirePythonModule("pydicom");
        List<String> args = new ArrayList<>();
        for (Path f : files) {
            args.add(f.toString());
        }
        JsonNode root = JSON.readTree(Peers.runPythonScript("peers/pydicom_tree.py", args, 300));
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Options for differences that are expected and explained, not bugs. */
    record Tolerance(boolean padding, boolean ignoreGroupLengths, boolean skipCharsetText) {
        static final Tolerance EXACT = new Tolerance(false, false, false);
        /** After LesionLink rewrote a file: values padded to even length, data set group lengths dropped. */
        static final Tolerance REWRITTEN = new Tolerance(true, true, false);
        /**
         * ISO 2022 code extensions with multi-byte sets (Japanese, Korean, escape sequences inside values) are
         * not decoded by LesionLink: decoded text is not compared, the bytes still are.
         */
        static final Tolerance NO_ISO_2022 = new Tolerance(false, false, true);
    }

    /** Differences between pydicom's {@code elements} and {@code a}, as readable lines; empty when equal. */
    static List<String> compare(JsonNode elements, Attributes a, Tolerance tol) {
        List<String> problems = new ArrayList<>();
        compare(elements, a, "", tol, problems);
        return problems;
    }

    /** Differences between two pydicom trees (e.g. before and after a LesionLink round trip). */
    static List<String> compareTrees(JsonNode expected, JsonNode actual, Tolerance tol) {
        List<String> problems = new ArrayList<>();
        compareTrees(expected, actual, "", tol, problems);
        return problems;
    }

    private static void compare(JsonNode elements, Attributes a, String path, Tolerance tol, List<String> problems) {
        Map<Integer, JsonNode> py = new TreeMap<>(Integer::compareUnsigned);
        for (JsonNode e : elements) {
            py.put(Tag.parse(e.get("tag").asText()), e);
        }
        for (Element e : a.elements()) {
            if (!py.containsKey(e.tag()) && !(tol.ignoreGroupLengths && Tag.isGroupLength(e.tag()))) {
                problems.add(path + Tag.toString(e.tag()) + ": only in LesionLink");
            }
        }
        for (Map.Entry<Integer, JsonNode> en : py.entrySet()) {
            int tag = en.getKey();
            JsonNode p = en.getValue();
            String where = path + Tag.toString(tag);
            Element e = a.get(tag);
            if (e == null) {
                if (!(tol.ignoreGroupLengths && Tag.isGroupLength(tag))) {
                    problems.add(where + ": only in pydicom");
                }
                continue;
            }
            String pvr = p.get("vr").asText();
            if (tol.skipCharsetText && e.vr().usesSpecificCharacterSet()) {
                p = ((com.fasterxml.jackson.databind.node.ObjectNode) p.deepCopy()).without("strings");
            }
            boolean privateGuess = Tag.isPrivate(tag) && !Tag.isPrivateCreator(tag) && e.vr() == VR.UN && !p.has("items");
            if (privateGuess) {
                // pydicom gives known private elements a VR from its private dictionary; LesionLink has none
                // and keeps them UN. The value bytes are still compared.
                p = ((com.fasterxml.jackson.databind.node.ObjectNode) p.deepCopy()).without(java.util.List.of("strings", "numbers"));
            } else if (!pvr.equals(e.vr().name())) {
                problems.add(where + ": VR pydicom " + pvr + " vs LesionLink " + e.vr());
            }
            if (p.has("items")) {
                Sequence s = e.sequence();
                if (s == null) {
                    problems.add(where + ": pydicom has a sequence, LesionLink " + e);
                    continue;
                }
                if (s.size() != p.get("items").size()) {
                    problems.add(where + ": " + p.get("items").size() + " items in pydicom vs " + s.size());
                    continue;
                }
                for (int i = 0; i < s.size(); i++) {
                    compare(p.get("items").get(i), s.get(i), where + "[" + (i + 1) + "]/", tol, problems);
                }
            } else if (p.has("fragments")) {
                Fragments f = e.fragments();
                if (f == null || f.size() != p.get("fragments").size()) {
                    problems.add(where + ": fragments differ: pydicom " + p.get("fragments").size() + " vs " + (f == null ? e : f.lengths()));
                    continue;
                }
                for (int i = 0; i < f.size(); i++) {
                    byte[] b = new byte[f.item(i).remaining()];
                    f.item(i).get(b);
                    if (!sha256(b).equals(p.get("fragments").get(i).get("sha256").asText())) {
                        problems.add(where + ": fragment " + i + " differs");
                    }
                }
            } else {
                compareValue(p, e, a, where, tol, problems);
            }
        }
    }

    private static void compareValue(JsonNode p, Element e, Attributes a, String where, Tolerance tol, List<String> problems) {
        byte[] b = e.bytes();
        if (p.has("hex") || p.has("sha256")) {
            int size = p.get("size").asInt();
            boolean same = p.has("hex") ? HexFormat.of().formatHex(b).equals(p.get("hex").asText())
                    : sha256(b).equals(p.get("sha256").asText());
            if (!same) {
                problems.add(where + ": value bytes differ (pydicom " + size + " bytes, LesionLink " + b.length + ")"
                        + (p.has("hex") ? " " + p.get("hex").asText() + " vs " + HexFormat.of().formatHex(b) : ""));
            }
        }
        if (p.has("strings")) {
            String[] s = a.getStrings(e.tag());
            List<String> mine = new ArrayList<>();
            if (s != null) {
                for (String x : s) {
                    mine.add(x.strip());
                }
            }
            List<String> theirs = new ArrayList<>();
            p.get("strings").forEach(x -> theirs.add(x.asText().strip()));
            if (e.vr() == VR.PN) {
                // pydicom drops empty trailing component groups ("A^B=C^D=" -> "A^B=C^D"); PS3.5 6.2.1 lets
                // trailing delimiters be omitted, so both mean the same name.
                mine.replaceAll(x -> x.replaceAll("[=^]+$", ""));
                theirs.replaceAll(x -> x.replaceAll("[=^]+$", ""));
            }
            // pydicom reads an empty value as VM 0; a value of only padding as well
            if (!(mine.equals(theirs) || (theirs.isEmpty() && mine.stream().allMatch(String::isEmpty))
                    || (mine.isEmpty() && theirs.stream().allMatch(String::isEmpty)))) {
                problems.add(where + ": strings pydicom " + theirs + " vs LesionLink " + mine);
            }
        }
        if (p.has("numbers") && e.vr() != VR.AT) {
            double[] d = a.getDoubles(e.tag());
            JsonNode n = p.get("numbers");
            if (d == null || d.length != n.size()) {
                problems.add(where + ": numbers pydicom " + n + " vs LesionLink " + java.util.Arrays.toString(d));
            } else {
                for (int i = 0; i < d.length; i++) {
                    JsonNode x = n.get(i);
                    double v = x.isTextual() ? Double.parseDouble(x.asText()) : x.asDouble();
                    if (!(Double.compare(v, d[i]) == 0 || v == d[i])) {
                        problems.add(where + ": number " + i + " pydicom " + x + " vs LesionLink " + d[i]);
                    }
                }
            }
        } else if (p.has("numbers")) {
            long[] l = a.getLongs(e.tag());
            JsonNode n = p.get("numbers");
            for (int i = 0; i < n.size(); i++) {
                if (l == null || l.length != n.size() || l[i] != n.get(i).asLong()) {
                    problems.add(where + ": AT pydicom " + n + " vs LesionLink " + java.util.Arrays.toString(l));
                    break;
                }
            }
        }
    }

    private static void compareTrees(JsonNode x, JsonNode y, String path, Tolerance tol, List<String> problems) {
        Map<String, JsonNode> mx = byTag(x);
        Map<String, JsonNode> my = byTag(y);
        for (String t : my.keySet()) {
            if (!mx.containsKey(t)) {
                problems.add(path + t + ": only after the round trip");
            }
        }
        for (Map.Entry<String, JsonNode> en : mx.entrySet()) {
            String t = en.getKey();
            JsonNode a = en.getValue();
            JsonNode b = my.get(t);
            boolean groupLength = t.endsWith("0000");
            if (b == null) {
                if (!(tol.ignoreGroupLengths && groupLength)) {
                    problems.add(path + t + ": lost in the round trip");
                }
                continue;
            }
            if (!a.get("vr").equals(b.get("vr"))) {
                problems.add(path + t + ": VR " + a.get("vr") + " became " + b.get("vr"));
            }
            if (a.has("items")) {
                if (!b.has("items") || a.get("items").size() != b.get("items").size()) {
                    problems.add(path + t + ": sequence structure changed");
                    continue;
                }
                for (int i = 0; i < a.get("items").size(); i++) {
                    compareTrees(a.get("items").get(i), b.get("items").get(i), path + t + "[" + (i + 1) + "]/", tol, problems);
                }
                continue;
            }
            for (String field : new String[] {"fragments", "strings", "numbers"}) {
                if (a.has(field) && !a.get(field).equals(b.get(field))) {
                    problems.add(path + t + ": " + field + " " + a.get(field) + " became " + b.get(field));
                }
            }
            if (a.has("hex") && !a.get("hex").equals(b.get("hex"))) {
                String ha = a.get("hex").asText();
                String hb = b.has("hex") ? b.get("hex").asText() : "";
                boolean padded = tol.padding && ha.length() % 4 == 2 && hb.length() == ha.length() + 2 && hb.startsWith(ha);
                if (!padded) {
                    problems.add(path + t + ": bytes " + ha + " became " + hb);
                }
            }
            if (a.has("sha256") && !a.get("sha256").equals(b.get("sha256"))
                    && !(tol.padding && a.get("size").asInt() % 2 == 1 && b.get("size").asInt() == a.get("size").asInt() + 1)) {
                problems.add(path + t + ": bulk value changed");
            }
        }
    }

    private static Map<String, JsonNode> byTag(JsonNode elements) {
        Map<String, JsonNode> m = new TreeMap<>();
        for (JsonNode e : elements) {
            m.put(e.get("tag").asText(), e);
        }
        return m;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
