package org.lesionlink.dicom.volume;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link ChannelSelector}: for each channel the series picked and why, and for every series of the
 * study what happened to it.
 *
 * @param picks one per channel of the rules, in their order; {@link Pick#series} is null for an optional channel
 *     that found nothing
 * @param series one line per series of the study: its label, its outcome (assembled or refused), its
 *     classification, and whether it was excluded or picked
 */
public record ChannelSelection(ChannelRules rules, List<Pick> picks, List<String> series) {

    /** The series chosen for one channel. */
    public record Pick(String channel, SeriesResult series, String why, List<String> candidates) {
        public Pick {
            candidates = List.copyOf(candidates);
        }
    }

    public ChannelSelection {
        picks = List.copyOf(picks);
        series = List.copyOf(series);
    }

    public Optional<Pick> pick(String channel) {
        return picks.stream().filter(p -> p.channel().equals(channel)).findFirst();
    }

    /** A report for people: each channel's series and why, then the series of the study. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        for (Pick p : picks) {
            sb.append(p.channel()).append(": ");
            if (p.series() == null) {
                sb.append("none (optional): ").append(p.why()).append('\n');
            } else {
                sb.append(p.series().info().label()).append(" - ").append(p.why()).append('\n');
            }
        }
        sb.append("series of the study:\n");
        for (String s : series) {
            sb.append("  ").append(s).append('\n');
        }
        return sb.toString();
    }
}
