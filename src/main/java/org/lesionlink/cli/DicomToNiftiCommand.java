package org.lesionlink.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.lesionlink.dicom.volume.AssembledSeries;
import org.lesionlink.dicom.volume.ChannelRules;
import org.lesionlink.dicom.volume.ChannelSelection;
import org.lesionlink.dicom.volume.ChannelSelector;
import org.lesionlink.dicom.volume.ChannelStack;
import org.lesionlink.dicom.volume.DicomScanner;
import org.lesionlink.dicom.volume.SeriesResult;
import org.lesionlink.dicom.volume.VolumeAssembler;
import org.lesionlink.image.Geometry;
import org.lesionlink.image.Volume;
import org.lesionlink.io.nifti.NiftiWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lesionlink dicom-to-nifti}: scans a folder of DICOM files, assembles a volume per series and writes NIfTI,
 * one file per series, or one per model channel when channels or rules are given. Prints what was found, what was
 * refused and why.
 */
@Command(name = "dicom-to-nifti", mixinStandardHelpOptions = true,
        description = {"Assemble the DICOM series under a folder into volumes and write them as NIfTI.",
            "Without --channels/--rules: one file per series, named <SeriesNumber>_<SeriesDescription>.nii.gz.",
            "With them: the series picked for each channel, resampled onto the reference channel's grid, as <channel>.nii.gz.",
            "Without --output only the summary is printed."})
final class DicomToNiftiCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Folder searched recursively (or one file); .gz files are inflated.")
    Path input;

    @Option(names = "--output", paramLabel = "DIR", description = "Where to write the NIfTI files (created if needed).")
    Path output;

    @Option(names = "--rules", paramLabel = "FILE", description = "Channel selection rules (JSON).")
    Path rules;

    @Option(names = "--channels", split = ",", paramLabel = "NAME[,NAME...]",
            description = "Channels to select, e.g. t1c,flair: built-in rules for t1, t1c, t2, flair, ct, or a subset of --rules.")
    List<String> channels;

    @Option(names = "--study", paramLabel = "UID", description = "Use only this StudyInstanceUID (needed for channels when the folder holds several).")
    String study;

    @Option(names = "--split-mixed", description = "Split series with several orientations or sizes into stacks instead of refusing them.")
    boolean splitMixed;

    @Option(names = "--assume-coregistered", description = "Combine channels from different frames of reference by scanner coordinates.")
    boolean assumeCoregistered;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DicomScanner.Result scan = DicomScanner.scan(input);
        out.printf(Locale.ROOT, "%s: %d DICOM instances, %d files skipped%n", input, scan.instances().size(), scan.skipped().size());
        for (int i = 0; i < scan.skipped().size(); i++) {
            if (i == 10) {
                out.println("  skipped ... and " + (scan.skipped().size() - 10) + " more");
                break;
            }
            out.println("  skipped " + scan.skipped().get(i).file() + ": " + scan.skipped().get(i).reason());
        }
        VolumeAssembler assembler = new VolumeAssembler(VolumeAssembler.Options.DEFAULT.withSplitMixed(splitMixed));
        List<SeriesResult> results = new ArrayList<>();
        for (SeriesResult r : assembler.assembleAll(scan.instances())) {
            if (study == null || study.equals(r.info().studyInstanceUid())) {
                results.add(r);
            }
        }
        boolean byChannel = rules != null || (channels != null && !channels.isEmpty());
        if (output != null) {
            Files.createDirectories(output);
        }
        Set<String> names = new HashSet<>();
        int assembled = 0;
        for (SeriesResult r : results) {
            out.println("series " + r.info().label() + " " + r.info().id());
            if (r.isAssembled()) {
                assembled++;
                AssembledSeries a = r.volume();
                String line = "  " + describe(a.volume());
                if (output != null && !byChannel) {
                    Path f = output.resolve(uniqueName(r, names));
                    new NiftiWriter().write(a.volume(), f);
                    line += " -> " + f;
                }
                out.println(line);
                for (String n : a.notes()) {
                    out.println("  note: " + n);
                }
            } else {
                out.println("  refused (" + r.refusal().reason() + "): " + r.refusal().message());
            }
        }
        out.printf(Locale.ROOT, "%d of %d series assembled%n", assembled, results.size());
        if (byChannel) {
            ChannelRules r = rules != null ? ChannelRules.read(rules) : ChannelRules.defaults(channels);
            if (rules != null && channels != null && !channels.isEmpty()) {
                r = r.only(channels);
            }
            if (assumeCoregistered) {
                r = new ChannelRules(r.channels(), r.reference(), r.exclude(), r.tieBreak(), true, r.interpolation());
            }
            Set<String> studies = new TreeSet<>();
            results.forEach(x -> studies.add(x.info().studyInstanceUid()));
            if (studies.size() > 1) {
                throw new IllegalArgumentException("the input holds " + studies.size() + " studies; choose one with --study: " + studies);
            }
            ChannelSelection selection = ChannelSelector.select(results, r);
            out.println("channels:");
            for (ChannelSelection.Pick p : selection.picks()) {
                out.println("  " + p.channel() + ": " + (p.series() == null ? "none" : p.series().info().label()) + " - " + p.why());
            }
            ChannelStack stack = ChannelStack.of(selection);
            for (String n : stack.notes()) {
                out.println("  note: " + n);
            }
            out.println("  grid of " + stack.reference() + ": " + describe(stack.volume()));
            if (output != null) {
                for (int c = 0; c < stack.channels().size(); c++) {
                    Path f = output.resolve(stack.channels().get(c) + ".nii.gz");
                    new NiftiWriter().write(stack.volume().channel(c), f);
                    out.println("  " + stack.channels().get(c) + " -> " + f);
                }
            }
        }
        out.flush();
        return assembled == 0 ? Main.EXIT_FAILURE : 0;
    }

    private static String describe(Volume v) throws IOException {
        Geometry g = v.geometry();
        return String.format(Locale.ROOT, "%d x %d x %d, spacing %.4g x %.4g x %.4g mm, %s%s", g.dim(0), g.dim(1), g.dim(2),
                g.spacing(0), g.spacing(1), g.spacing(2), v.type().id(),
                v.rescale().isIdentity() ? "" : " (real = " + num(v.rescale().slope()) + " * stored + " + num(v.rescale().intercept()) + ")");
    }

    private static String num(double v) {
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(8)).stripTrailingZeros().toPlainString();
    }

    private static String uniqueName(SeriesResult r, Set<String> used) {
        String desc = r.info().seriesDescription().replaceAll("[^A-Za-z0-9+-]+", "_").replaceAll("^_+|_+$", "");
        String base = (r.info().seriesNumber() == null ? "series" : Integer.toString(r.info().seriesNumber()))
                + (desc.isEmpty() ? "" : "_" + desc);
        String name = base;
        for (int i = 2; !used.add(name); i++) {
            name = base + "_" + i;
        }
        return name + ".nii.gz";
    }
}
