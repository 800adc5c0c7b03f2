package org.lesionlink.dicom.volume;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.lesionlink.image.Interpolation;

/**
 * Which series of a study feed which model input channel, as JSON (a model package or the server configuration can
 * carry it; {@link ChannelSelector} applies it). Every key is optional except {@code channels[].name}:
 *
 * <pre>{@code
 * {
 *   "channels": [
 *     {"name": "t1c",   "sequence": "t1c", "include": ["t1.*(post|gd|\\+c)", "mprage.*gd"], "exclude": ["sub"]},
 *     {"name": "flair", "sequence": "flair", "required": false},
 *     {"name": "t2"}
 *   ],
 *   "reference": "t1c",
 *   "exclude": {"imageTypes": ["LOCALIZER"], "derived": true, "descriptions": ["localizer", "scout"], "minSlices": 5},
 *   "tieBreak": ["mostSlices", "thinnestSlices", "latestSeries"],
 *   "assumeCoregistered": false,
 *   "interpolation": "linear"
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code name}: the model input. {@code sequence}: t1, t1c, t2, flair, ct, or absent for "anything"; it
 *       defaults to the name when the name is one of those.</li>
 *   <li>{@code include}/{@code exclude}: regular expressions searched (case-insensitive, anywhere) in
 *       SeriesDescription, ProtocolName and SequenceName. When {@code include} is absent the built-in patterns of
 *       the sequence are used ({@link #defaultInclude}); {@code []} means "no patterns, heuristics only".</li>
 *   <li>{@code heuristics} (default true): when no series matches the patterns, fall back on
 *       {@link SequenceClassifier}. {@code required} (default true): a missing channel is an error; an optional one
 *       is left out of the selection.</li>
 *   <li>{@code reference}: the channel whose grid the others are resampled onto (default: the first channel).</li>
 *   <li>{@code exclude}: series never used for any channel: ImageType values (default LOCALIZER), DERIVED or
 *       SECONDARY images (default true), descriptions (default localizer, scout, survey, pilot, 3-plane, "loc"),
 *       fewer than {@code minSlices} slices (default 5).</li>
 *   <li>{@code tieBreak}: order of criteria among several candidates (default most slices, then thinnest slice
 *       spacing, then the highest SeriesNumber, i.e. the latest); the SeriesInstanceUID settles the rest.</li>
 *   <li>{@code assumeCoregistered} (default false): allow channels from different FrameOfReferenceUIDs, resampled by
 *       their scanner coordinates as if they were co-registered.</li>
 *   <li>{@code interpolation}: linear (default) or bspline, for resampling onto the reference grid.</li>
 * </ul>
 * Unknown keys are errors, so a typo does not silently change the selection.
 */
public record ChannelRules(List<Channel> channels, String reference, Exclusions exclude, List<TieBreak> tieBreak,
        Boolean assumeCoregistered, String interpolation) {

    /** The sequences the built-in patterns and {@link SequenceClassifier} know. */
    public static final Set<String> SEQUENCES = Set.of("t1", "t1c", "t2", "flair", "ct");

    /** Tie-break criteria among several candidate series. */
    public enum TieBreak {
        MOST_SLICES("mostSlices"), THINNEST_SLICES("thinnestSlices"), LATEST_SERIES("latestSeries");

        private final String json;

        TieBreak(String json) {
            this.json = json;
        }

        @JsonValue
        public String json() {
            return json;
        }

        @JsonCreator
        public static TieBreak of(String s) {
            for (TieBreak t : values()) {
                if (t.json.equalsIgnoreCase(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("tieBreak: unknown criterion '" + s + "' (mostSlices, thinnestSlices, latestSeries)");
        }
    }

    /** One model input channel. */
    public record Channel(String name, String sequence, List<String> include, List<String> exclude, Boolean required,
            Boolean heuristics) {

        public Channel {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("channels[].name is required");
            }
            if (sequence == null && SEQUENCES.contains(name.toLowerCase(Locale.ROOT))) {
                sequence = name.toLowerCase(Locale.ROOT);
            }
            if (sequence != null) {
                sequence = sequence.toLowerCase(Locale.ROOT);
                if (!SEQUENCES.contains(sequence)) {
                    throw new IllegalArgumentException("channels[" + name + "].sequence: '" + sequence + "' is not one of " + SEQUENCES);
                }
            }
            include = include == null ? (sequence == null ? List.of() : defaultInclude(sequence)) : List.copyOf(include);
            exclude = exclude == null ? (sequence == null ? List.of() : defaultExclude(sequence)) : List.copyOf(exclude);
            required = required == null || required;
            heuristics = heuristics == null || heuristics;
            for (String p : include) {
                compile(p, "channels[" + name + "].include");
            }
            for (String p : exclude) {
                compile(p, "channels[" + name + "].exclude");
            }
        }

        /** A channel of a known sequence with the built-in patterns, required, heuristics on. */
        public static Channel of(String name) {
            return new Channel(name, null, null, null, null, null);
        }

        List<Pattern> includePatterns() {
            return include.stream().map(p -> compile(p, name)).toList();
        }

        List<Pattern> excludePatterns() {
            return exclude.stream().map(p -> compile(p, name)).toList();
        }
    }

    /** Series that are never candidates. */
    public record Exclusions(List<String> imageTypes, Boolean derived, List<String> descriptions, Integer minSlices) {
        public static final Exclusions DEFAULT = new Exclusions(null, null, null, null);

        public Exclusions {
            imageTypes = imageTypes == null ? List.of("LOCALIZER") : imageTypes.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
            derived = derived == null || derived;
            descriptions = descriptions == null
                    ? List.of("localizer", "localiser", "scout", "survey", "pilot", "3.?plane", "tri.?plane", "(^|[^a-z])loc($|[^a-z])")
                    : List.copyOf(descriptions);
            minSlices = minSlices == null ? 5 : minSlices;
            if (minSlices < 1) {
                throw new IllegalArgumentException("exclude.minSlices must be >= 1, got " + minSlices);
            }
            for (String p : descriptions) {
                compile(p, "exclude.descriptions");
            }
        }

        List<Pattern> descriptionPatterns() {
            return descriptions.stream().map(p -> compile(p, "exclude.descriptions")).toList();
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public ChannelRules {
        if (channels == null || channels.isEmpty()) {
            throw new IllegalArgumentException("channels: at least one channel is needed");
        }
        channels = List.copyOf(channels);
        Set<String> names = new HashSet<>();
        for (Channel c : channels) {
            if (c == null || !names.add(c.name())) {
                throw new IllegalArgumentException("channels: missing or duplicate channel name " + (c == null ? "" : c.name()));
            }
        }
        if (reference == null) {
            reference = channels.get(0).name();
        } else if (!names.contains(reference)) {
            throw new IllegalArgumentException("reference: '" + reference + "' is not one of the channels " + names);
        }
        exclude = exclude == null ? Exclusions.DEFAULT : exclude;
        tieBreak = tieBreak == null ? List.of(TieBreak.MOST_SLICES, TieBreak.THINNEST_SLICES, TieBreak.LATEST_SERIES) : List.copyOf(tieBreak);
        assumeCoregistered = assumeCoregistered != null && assumeCoregistered;
        interpolation = interpolation == null ? "linear" : interpolation.toLowerCase(Locale.ROOT);
        if (!interpolation.equals("linear") && !interpolation.equals("bspline")) {
            throw new IllegalArgumentException("interpolation: 'linear' or 'bspline', got '" + interpolation + "'");
        }
    }

    /** Built-in channels (with default patterns and exclusions) for names such as {@code t1c,flair}. */
    public static ChannelRules defaults(List<String> names) {
        List<Channel> cs = new ArrayList<>();
        for (String n : names) {
            cs.add(Channel.of(n.strip()));
        }
        return new ChannelRules(cs, null, null, null, null, null);
    }

    /** Parses rules from JSON text; problems are {@link IllegalArgumentException}s naming the key. */
    public static ChannelRules parse(String json) {
        try {
            return JSON.readValue(json, ChannelRules.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("channel rules: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
    }

    public static ChannelRules read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** These rules restricted to, and ordered as, {@code names} (the reference moves to the first if it is dropped). */
    public ChannelRules only(List<String> names) {
        List<Channel> cs = new ArrayList<>();
        for (String n : names) {
            cs.add(channels.stream().filter(c -> c.name().equals(n.strip())).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("channel '" + n.strip() + "' is not in the rules (" + channels.stream().map(Channel::name).toList() + ")")));
        }
        String ref = cs.stream().anyMatch(c -> c.name().equals(reference)) ? reference : null;
        return new ChannelRules(cs, ref, exclude, tieBreak, assumeCoregistered, interpolation);
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<String, List<String>> INCLUDE = Map.of(
            "t1", List.of("t1", "mprage", "mp-rage", "spgr", "bravo", "tfl", "vibe"),
            "t1c", List.of("t1c", "t1.*(post(?!er)|\\+ ?c\\b|gd|gad|contrast|(^|[^a-z])ce($|[^a-z]))",
                    "(post(?!er)|\\+ ?c\\b|gd|gad|contrast).*(t1|mprage|mp-rage|spgr|bravo|tfl|vibe)",
                    "(mprage|mp-rage|spgr|bravo|tfl|vibe).*(post(?!er)|\\+ ?c\\b|gd|gad|contrast)"),
            "t2", List.of("t2"),
            "flair", List.of("flair", "dark.?fluid", "tirm"),
            "ct", List.of());
    private static final Map<String, List<String>> EXCLUDE = Map.of(
            "t1", List.of("t1c", "post(?!er)", "\\+ ?c\\b", "(^|[^a-z])(gd|gad|gado)", "contrast", "(^|[^a-z])ce($|[^a-z])",
                    "flair", "sub", "map"),
            "t1c", List.of("sub", "map", "flair"),
            "t2", List.of("flair", "dark.?fluid", "tirm", "t2\\*", "t2star", "swi", "dwi", "diff", "adc", "map"),
            "flair", List.of("sub", "map"),
            "ct", List.of());

    /** The built-in include patterns of a sequence (t1, t1c, t2, flair; none for ct, where Modality decides). */
    public static List<String> defaultInclude(String sequence) {
        return INCLUDE.getOrDefault(sequence, List.of());
    }

    /** The built-in exclude patterns of a sequence (e.g. contrast words for t1, "flair" for t2). */
    public static List<String> defaultExclude(String sequence) {
        return EXCLUDE.getOrDefault(sequence, List.of());
    }

    public Interpolation interpolationMethod() {
        return interpolation.equals("bspline") ? Interpolation.BSPLINE : Interpolation.LINEAR;
    }

    static Pattern compile(String regex, String where) {
        try {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": bad regular expression '" + regex + "': " + e.getDescription());
        }
    }
}
