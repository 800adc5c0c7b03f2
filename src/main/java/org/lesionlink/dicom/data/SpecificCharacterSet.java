package org.lesionlink.dicom.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The character repertoire of a data set's text values, from (0008,0005) Specific Character Set, PS3.3
 * section C.12.1.1.2 and PS3.5 section 6.1.
 *
 * <p>Supported: the default repertoire (ISO 646, read as ASCII; bytes above 0x7F are kept as ISO 8859-1
 * characters instead of failing, as other toolkits do), the single-byte ISO 8859 sets ISO_IR 100, 101, 109, 110,
 * 144, 127, 126, 138, 148, 203, TIS 620 (ISO_IR 166), JIS X 0201 (ISO_IR 13), UTF-8 (ISO_IR 192), GB18030 and GBK.
 * With code extensions (ISO 2022 terms, several values) only the first value's set is used and escape sequences
 * are not interpreted; such values decode correctly only when they stay within that set. Instances are immutable.
 */
public final class SpecificCharacterSet {

    /** The default repertoire. */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[0], StandardCharsets.ISO_8859_1);
    /** ISO_IR 192: Unicode in UTF-8. */
    public static final SpecificCharacterSet UTF_8 = new SpecificCharacterSet(new String[] {"ISO_IR 192"}, StandardCharsets.UTF_8);

    private static final Map<String, String> CHARSETS = Map.ofEntries(
            Map.entry("ISO_IR 6", "ISO-8859-1"), Map.entry("ISO 2022 IR 6", "ISO-8859-1"),
            Map.entry("ISO_IR 100", "ISO-8859-1"), Map.entry("ISO 2022 IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"), Map.entry("ISO 2022 IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"), Map.entry("ISO 2022 IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"), Map.entry("ISO 2022 IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 144", "ISO-8859-5"), Map.entry("ISO 2022 IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"), Map.entry("ISO 2022 IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 126", "ISO-8859-7"), Map.entry("ISO 2022 IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"), Map.entry("ISO 2022 IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 148", "ISO-8859-9"), Map.entry("ISO 2022 IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 203", "ISO-8859-15"), Map.entry("ISO 2022 IR 203", "ISO-8859-15"),
            Map.entry("ISO_IR 166", "TIS-620"), Map.entry("ISO 2022 IR 166", "TIS-620"),
            Map.entry("ISO_IR 13", "JIS_X0201"), Map.entry("ISO 2022 IR 13", "JIS_X0201"),
            Map.entry("ISO_IR 192", "UTF-8"), Map.entry("GB18030", "GB18030"), Map.entry("GBK", "GBK"));

    private final String[] terms;
    private final Charset charset;

    private SpecificCharacterSet(String[] terms, Charset charset) {
        this.terms = terms;
        this.charset = charset;
    }

    /**
     * From the values of (0008,0005). An empty first value means the default repertoire (PS3.3 C.12.1.1.2,
     * where code extensions start with an empty value); unknown terms fall back to the default repertoire.
     */
    public static SpecificCharacterSet of(String... values) {
        if (values == null || values.length == 0) {
            return DEFAULT;
        }
        String first = null;
        for (String v : values) {
            String t = v == null ? "" : v.strip().toUpperCase(Locale.ROOT);
            if (!t.isEmpty()) {
                first = t;
                break;
            }
        }
        if (first == null) {
            return DEFAULT;
        }
        String name = CHARSETS.get(first);
        Charset cs = name != null && Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.ISO_8859_1;
        return new SpecificCharacterSet(values.clone(), cs);
    }

    /** The (0008,0005) values this was made from; empty for the default repertoire. */
    public String[] terms() {
        return terms.clone();
    }

    /** The Java charset text values are decoded and encoded with. */
    public Charset charset() {
        return charset;
    }

    public String decode(byte[] b, int off, int len) {
        return new String(b, off, len, charset);
    }

    public byte[] encode(String s) {
        return s.getBytes(charset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecificCharacterSet s && s.charset.equals(charset) && Arrays.equals(s.terms, terms);
    }

    @Override
    public int hashCode() {
        return charset.hashCode() * 31 + Arrays.hashCode(terms);
    }

    @Override
    public String toString() {
        return terms.length == 0 ? "default repertoire" : String.join("\\", terms) + " (" + charset.name() + ")";
    }
}
