package org.lesionlink.dicom.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A rule-based guess of what a series is, for channel selection when no name pattern matches (the role Raidionics
 * gives its MR sequence classifier; this is a handful of documented thresholds, not a trained model).
 *
 * <ol>
 *   <li>Modality CT: {@code ct}. Modality other than MR: {@code unknown}.</li>
 *   <li>Not an anatomical sequence by its texts (diffusion, ADC, perfusion, SWI, T2*, angiography, spectroscopy):
 *       {@code unknown}.</li>
 *   <li>Inversion time at least 1500 ms with TR at least 3000 ms (or TR absent): {@code flair}.</li>
 *   <li>TR at least 2000 ms and TE at least 60 ms: {@code t2}.</li>
 *   <li>TR under 1000 ms and TE under 20 ms (spin echo, spoiled gradient echo), or TI 300..1500 ms with TE under
 *       20 ms (MPRAGE-like): {@code t1}, or {@code t1c} with contrast evidence.</li>
 *   <li>Parameters absent or in between: the texts decide: "flair" / "dark fluid" is {@code flair}, "t2" is
 *       {@code t2}, "t1", "mprage", "spgr", "bravo", "tfl" is {@code t1}/{@code t1c}; else {@code unknown}.</li>
 * </ol>
 * Contrast evidence is a non-empty ContrastBolusAgent (see {@link SeriesInfo#contrastAgent}) or, in
 * SeriesDescription, ProtocolName or SequenceName, one of "post", "+c", "gd", "gad", "gado", "contrast", "ce",
 * "t1c". Texts are matched case-insensitively.
 */
public final class SequenceClassifier {

    /** The guess and the evidence behind it, in words. */
    public record Classification(String sequence, String why) {
    }

    public static final String UNKNOWN = "unknown";

    static final Pattern CONTRAST_TEXT = Pattern.compile(
            "post(?!er)|\\+ ?c\\b|(^|[^a-z])(gd|gad|gado)|contrast|kontrast|(^|[^a-z])ce($|[^a-z])|t1c", Pattern.CASE_INSENSITIVE);
    private static final Pattern NOT_ANATOMICAL = Pattern.compile(
            "dwi|diff|adc|trace|(^|[^a-z])b ?=?1000|perf|dsc|dce|asl|swi|swan|susc|t2\\*|t2star|hemo|angio|tof|mra|spectro|svs|csi",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FLAIR_TEXT = Pattern.compile("flair|dark.?fluid|tirm", Pattern.CASE_INSENSITIVE);
    private static final Pattern T2_TEXT = Pattern.compile("t2", Pattern.CASE_INSENSITIVE);
    private static final Pattern T1_TEXT = Pattern.compile("t1|mprage|mp-rage|spgr|bravo|tfl|vibe", Pattern.CASE_INSENSITIVE);

    private SequenceClassifier() {
    }

    public static Classification classify(SeriesInfo s) {
        if (s.modality().equals("CT")) {
            return new Classification("ct", "Modality CT");
        }
        if (!s.modality().equals("MR")) {
            return new Classification(UNKNOWN, "Modality " + (s.modality().isEmpty() ? "absent" : s.modality()));
        }
        String texts = s.texts();
        var notAnatomical = NOT_ANATOMICAL.matcher(texts);
        if (notAnatomical.find()) {
            return new Classification(UNKNOWN, "not an anatomical sequence (\"" + notAnatomical.group().strip() + "\" in its names)");
        }
        double tr = s.repetitionTime();
        double te = s.echoTime();
        double ti = s.inversionTime();
        String params = params(tr, te, ti);
        String contrast = contrastEvidence(s);
        if (ti >= 1500 && (Double.isNaN(tr) || tr >= 3000)) {
            return new Classification("flair", "long inversion time: " + params);
        }
        if (tr >= 2000 && te >= 60) {
            return new Classification("t2", "long TR and long TE: " + params);
        }
        if (te < 20 && (tr < 1000 || (ti >= 300 && ti < 1500))) {
            String why = (tr < 1000 ? "short TR and TE: " : "T1 inversion preparation: ") + params;
            return contrast == null ? new Classification("t1", why + ", no contrast agent")
                    : new Classification("t1c", why + ", " + contrast);
        }
        String by = params.isEmpty() ? "no TR/TE/TI; " : "TR/TE/TI (" + params + ") inconclusive; ";
        if (FLAIR_TEXT.matcher(texts).find()) {
            return new Classification("flair", by + "\"flair\" in its names");
        }
        if (T2_TEXT.matcher(texts).find()) {
            return new Classification("t2", by + "\"t2\" in its names");
        }
        if (T1_TEXT.matcher(texts).find()) {
            return contrast == null ? new Classification("t1", by + "a T1 name, no contrast agent")
                    : new Classification("t1c", by + "a T1 name, " + contrast);
        }
        return new Classification(UNKNOWN, by + "no telling name");
    }

    /** Words saying why the series counts as contrast-enhanced, or {@code null} when it does not. */
    static String contrastEvidence(SeriesInfo s) {
        if (!s.contrastAgent().isEmpty()) {
            return "ContrastBolusAgent \"" + s.contrastAgent() + "\"";
        }
        var m = CONTRAST_TEXT.matcher(s.texts());
        return m.find() ? "\"" + m.group().strip() + "\" in its names" : null;
    }

    private static String params(double tr, double te, double ti) {
        List<String> p = new ArrayList<>();
        if (!Double.isNaN(tr)) {
            p.add("TR " + num(tr) + " ms");
        }
        if (!Double.isNaN(te)) {
            p.add("TE " + num(te) + " ms");
        }
        if (!Double.isNaN(ti)) {
            p.add("TI " + num(ti) + " ms");
        }
        return String.join(", ", p);
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
    }
}
