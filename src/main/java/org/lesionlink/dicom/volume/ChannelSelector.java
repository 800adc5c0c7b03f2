package org.lesionlink.dicom.volume;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@link ChannelRules} to the series of one study.
 *
 * <p>For each channel, in the order of the rules:
 * <ol>
 *   <li>Eligible series: assembled into a volume, not excluded (ImageType, DERIVED/SECONDARY, description, too few
 *       slices), not already picked for an earlier channel, and of the right modality (MR for t1/t1c/t2/flair, CT
 *       for ct).</li>
 *   <li>Candidates by name: an include pattern is found in SeriesDescription, ProtocolName or SequenceName and no
 *       exclude pattern is. For a t1 channel, series with a ContrastBolusAgent are dropped too (named "T1" but
 *       given contrast).</li>
 *   <li>When no series matches by name and heuristics are on: candidates are the series that
 *       {@link SequenceClassifier} classifies as the channel's sequence.</li>
 *   <li>Several candidates: the tie-break criteria in order (default most slices, thinnest slice spacing, highest
 *       SeriesNumber), then the SeriesInstanceUID.</li>
 * </ol>
 * A required channel without candidates fails with a {@link ChannelSelectionException} listing every series of the
 * study with its outcome. Instances are stateless.
 */
public final class ChannelSelector {

    private ChannelSelector() {
    }

    /**
     * @param results the series of one study (as {@link VolumeAssembler#assembleAll} returns them)
     * @throws IllegalArgumentException when the results span several studies
     */
    public static ChannelSelection select(List<SeriesResult> results, ChannelRules rules) throws ChannelSelectionException {
        TreeSet<String> studies = new TreeSet<>();
        for (SeriesResult r : results) {
            studies.add(r.info().studyInstanceUid());
        }
        if (studies.size() > 1) {
            throw new IllegalArgumentException("channel selection works on one study; these series belong to " + studies.size()
                    + " studies: " + studies);
        }
        Map<SeriesResult, String> excluded = new LinkedHashMap<>();
        Map<SeriesResult, SequenceClassifier.Classification> classes = new HashMap<>();
        for (SeriesResult r : results) {
            classes.put(r, SequenceClassifier.classify(r.info()));
            String why = exclusion(r, rules.exclude());
            if (why != null) {
                excluded.put(r, why);
            }
        }
        Set<SeriesResult> used = new HashSet<>();
        Map<SeriesResult, String> pickedFor = new HashMap<>();
        List<ChannelSelection.Pick> picks = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (ChannelRules.Channel ch : rules.channels()) {
            List<SeriesResult> eligible = new ArrayList<>();
            for (SeriesResult r : results) {
                if (!excluded.containsKey(r) && !used.contains(r) && modalityFits(ch, r.info())) {
                    eligible.add(r);
                }
            }
            Map<SeriesResult, String> candidates = new LinkedHashMap<>();
            List<String> dropped = new ArrayList<>();
            for (SeriesResult r : eligible) {
                String match = nameMatch(ch, r.info());
                if (match == null) {
                    continue;
                }
                if ("t1".equals(ch.sequence()) && !r.info().contrastAgent().isEmpty()) {
                    dropped.add(r.info().label() + " matched " + match + " but has ContrastBolusAgent \"" + r.info().contrastAgent() + "\"");
                    continue;
                }
                candidates.put(r, "matched " + match);
            }
            boolean byName = !candidates.isEmpty();
            if (!byName && ch.heuristics() && ch.sequence() != null) {
                for (SeriesResult r : eligible) {
                    SequenceClassifier.Classification c = classes.get(r);
                    if (c.sequence().equals(ch.sequence())) {
                        candidates.put(r, "no series matched the name patterns; classified as " + c.sequence() + " (" + c.why() + ")");
                    }
                }
            }
            if (candidates.isEmpty()) {
                String why = "no eligible series " + (ch.include().isEmpty() ? "" : "matches " + ch.include() + " ")
                        + (ch.heuristics() && ch.sequence() != null ? "or is classified as " + ch.sequence() : "")
                        + (dropped.isEmpty() ? "" : "; " + String.join("; ", dropped));
                if (ch.required()) {
                    failures.add(ch.name() + ": " + why);
                } else {
                    picks.add(new ChannelSelection.Pick(ch.name(), null, why, List.of()));
                }
                continue;
            }
            List<SeriesResult> ranked = new ArrayList<>(candidates.keySet());
            ranked.sort(comparator(rules.tieBreak()));
            SeriesResult chosen = ranked.get(0);
            String why = candidates.get(chosen);
            if (ranked.size() > 1) {
                why += "; " + ranked.size() + " candidates, chosen by " + decidingCriterion(rules.tieBreak(), chosen, ranked.get(1));
            }
            if (!dropped.isEmpty()) {
                why += "; not taken: " + String.join("; ", dropped);
            }
            used.add(chosen);
            pickedFor.put(chosen, ch.name());
            List<String> labels = ranked.stream().map(r -> r.info().label()).toList();
            picks.add(new ChannelSelection.Pick(ch.name(), chosen, why, labels));
        }
        List<String> lines = new ArrayList<>();
        for (SeriesResult r : results) {
            String outcome = r.isAssembled() ? "assembled" : "refused (" + r.refusal().reason() + ": " + r.refusal().message() + ")";
            String line = r.info().label() + ": " + outcome + "; classified " + classes.get(r).sequence()
                    + " (" + classes.get(r).why() + ")";
            if (excluded.containsKey(r)) {
                line += "; excluded: " + excluded.get(r);
            }
            if (pickedFor.containsKey(r)) {
                line += "; picked for " + pickedFor.get(r);
            }
            lines.add(line);
        }
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder("no series for required channel" + (failures.size() > 1 ? "s " : " "));
            sb.append(String.join(", ", failures.stream().map(f -> f.substring(0, f.indexOf(':'))).toList())).append('\n');
            for (String f : failures) {
                sb.append("  ").append(f).append('\n');
            }
            sb.append("series of study ").append(studies.isEmpty() ? "(none)" : studies.first()).append(":\n");
            if (lines.isEmpty()) {
                sb.append("  (no series)\n");
            }
            for (String l : lines) {
                sb.append("  ").append(l).append('\n');
            }
            throw new ChannelSelectionException(sb.toString().strip());
        }
        return new ChannelSelection(rules, picks, lines);
    }

    /** Why a series is never a candidate, or null. Refused series are excluded with their refusal. */
    static String exclusion(SeriesResult r, ChannelRules.Exclusions ex) {
        SeriesInfo s = r.info();
        if (!r.isAssembled()) {
            return "not assembled";
        }
        for (String t : ex.imageTypes()) {
            if (s.hasImageType(t)) {
                return "ImageType " + String.join("\\", s.imageType()) + " has " + t;
            }
        }
        if (ex.derived() && s.isDerivedOrSecondary()) {
            return "derived/secondary image (ImageType " + String.join("\\", s.imageType()) + ")";
        }
        for (Pattern p : ex.descriptionPatterns()) {
            Matcher m = p.matcher(s.texts());
            if (m.find()) {
                return "\"" + m.group().strip() + "\" in its names (localizer)";
            }
        }
        if (s.sliceCount() < ex.minSlices()) {
            return s.sliceCount() + " slices, fewer than " + ex.minSlices();
        }
        return null;
    }

    private static boolean modalityFits(ChannelRules.Channel ch, SeriesInfo s) {
        if (ch.sequence() == null) {
            return true;
        }
        return ch.sequence().equals("ct") ? s.modality().equals("CT") : s.modality().equals("MR");
    }

    /** "/regex/ in SeriesDescription "..."" for the first include pattern found, unless an exclude pattern is found. */
    private static String nameMatch(ChannelRules.Channel ch, SeriesInfo s) {
        for (Pattern p : ch.excludePatterns()) {
            if (p.matcher(s.texts()).find()) {
                return null;
            }
        }
        String[][] fields = {{"SeriesDescription", s.seriesDescription()}, {"ProtocolName", s.protocolName()},
            {"SequenceName", s.sequenceName()}};
        for (Pattern p : ch.includePatterns()) {
            for (String[] f : fields) {
                if (!f[1].isEmpty() && p.matcher(f[1]).find()) {
                    return "/" + p.pattern() + "/ in " + f[0] + " \"" + f[1] + "\"";
                }
            }
        }
        return null;
    }

    private static Comparator<SeriesResult> comparator(List<ChannelRules.TieBreak> order) {
        Comparator<SeriesResult> c = (a, b) -> 0;
        for (ChannelRules.TieBreak t : order) {
            c = c.thenComparing(criterion(t));
        }
        return c.thenComparing(r -> r.info().id());
    }

    private static Comparator<SeriesResult> criterion(ChannelRules.TieBreak t) {
        return switch (t) {
            case MOST_SLICES -> Comparator.comparingInt((SeriesResult r) -> r.info().sliceCount()).reversed();
            case THINNEST_SLICES -> Comparator.comparingDouble(ChannelSelector::sliceSpacing);
            case LATEST_SERIES -> Comparator.comparingInt((SeriesResult r) -> r.info().seriesNumber() == null
                    ? Integer.MIN_VALUE : r.info().seriesNumber()).reversed();
        };
    }

    private static double sliceSpacing(SeriesResult r) {
        return r.volume().volume().geometry().spacing(2);
    }

    private static String decidingCriterion(List<ChannelRules.TieBreak> order, SeriesResult a, SeriesResult b) {
        for (ChannelRules.TieBreak t : order) {
            if (criterion(t).compare(a, b) != 0) {
                return switch (t) {
                    case MOST_SLICES -> "most slices (" + a.info().sliceCount() + " vs " + b.info().sliceCount() + ")";
                    case THINNEST_SLICES -> "thinnest slices (" + SequenceClassifier.num(sliceSpacing(a)) + " vs "
                            + SequenceClassifier.num(sliceSpacing(b)) + " mm)";
                    case LATEST_SERIES -> "latest series (number " + a.info().seriesNumber() + " vs " + b.info().seriesNumber() + ")";
                };
            }
        }
        return "SeriesInstanceUID order (otherwise equal)";
    }
}
