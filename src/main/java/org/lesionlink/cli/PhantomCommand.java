package org.lesionlink.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lesionlink.phantom.BrainParams;
import org.lesionlink.phantom.BrainPhantom;
import org.lesionlink.phantom.ColinTemplate;
import org.lesionlink.phantom.PhantomCase;
import org.lesionlink.phantom.PhantomWriter;
import org.lesionlink.phantom.ScannerDomain;
import org.lesionlink.phantom.SpineParams;
import org.lesionlink.phantom.SpinePhantom;
import org.lesionlink.phantom.TissueModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lesionlink phantom}: writes synthetic brain or spine metastasis cases with their labels
 * (docs/phantoms.md). Case {@code i} depends only on {@code --seed} and {@code i}, so runs with different
 * {@code --first-case} ranges can be spread over machines and still give the same files.
 */
@Command(name = "phantom", mixinStandardHelpOptions = true,
        description = "Generate synthetic brain (T1, T1c, T2, FLAIR; BraTS-METS labels) or spine (T1, T2) metastasis cases.")
final class PhantomCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(PhantomCommand.class);

    @Option(names = "--kind", required = true, paramLabel = "brain|spine", description = "Which phantom.")
    String kind;

    @Option(names = "--cases", required = true, paramLabel = "N", description = "Number of cases to write.")
    int cases;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Run seed (default 0).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder; cases go to DIR/caseNNN/.")
    Path out;

    @Option(names = "--spacing", defaultValue = "1", split = ",", paramLabel = "MM[,MM,MM]",
            description = "Output voxel size in mm, one value or three (default 1).")
    double[] spacing;

    @Option(names = "--template", paramLabel = "DIR|FILE",
            description = "Brain only: folder with Colin27's ch2.nii.gz and ch2bet.nii.gz (ch2better.nii.gz optional), "
                    + "or the path of its ch2.nii.gz (default: /usr/share/mricron/templates).")
    Path template;

    @Option(names = "--first-case", defaultValue = "0", paramLabel = "I", description = "Index of the first case (default 0).")
    int firstCase;

    @Option(names = "--domain", defaultValue = "standard", paramLabel = "standard|shifted",
            description = "Scanner population: standard (the usual mix) or shifted (another site: thick slices, more noise "
                    + "and bias, flatter contrast, weaker enhancement; docs/phantoms.md). Default standard.")
    String domain;

    @Option(names = "--noise", split = ",", paramLabel = "LO,HI", description = "Override the domain's noise sigma range (fraction of unit intensity).")
    double[] noise;

    @Option(names = "--bias", split = ",", paramLabel = "LO,HI", description = "Override the domain's bias-field log-amplitude range.")
    double[] bias;

    @Option(names = "--gamma", split = ",", paramLabel = "LO,HI", description = "Override the domain's contrast-curve exponent range.")
    double[] gamma;

    @Option(names = "--blur", split = ",", paramLabel = "LO,HI", description = "Override the domain's blur sigma range (voxels).")
    double[] blur;

    @Option(names = "--contrast", paramLabel = "C", description = "Brain: tissue contrast towards white matter (1 unchanged).")
    Double contrast;

    @Option(names = "--enhancement", paramLabel = "E", description = "Brain: scale of the T1c enhancement over white matter (1 unchanged).")
    Double enhancement;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String k = Cli.enumName("--kind", kind, "brain", "spine");
        if (cases < 1) {
            throw new IllegalArgumentException("--cases must be at least 1, got " + cases);
        }
        if (firstCase < 0) {
            throw new IllegalArgumentException("--first-case must be at least 0, got " + firstCase);
        }
        double[] s = Cli.threeValues("--spacing", spacing);
        if (k.equals("SPINE") && template != null) {
            throw new IllegalArgumentException("--template is for --kind brain only");
        }
        ScannerDomain d = domain();
        if (k.equals("SPINE") && (contrast != null || enhancement != null)) {
            throw new IllegalArgumentException("--contrast and --enhancement are for --kind brain only");
        }
        Generator generator = k.equals("BRAIN") ? brain(s, d) : new SpinePhantom(SpineParams.defaults(s), d)::generate;
        PhantomWriter writer = new PhantomWriter();
        PrintWriter stdout = spec.commandLine().getOut();
        for (int i = firstCase; i < firstCase + cases; i++) {
            long t0 = System.nanoTime();
            PhantomCase c = generator.generate(seed, i);
            long t1 = System.nanoTime();
            Path dir = writer.write(c, out);
            long t2 = System.nanoTime();
            log.info("{}: generated in {} ms, written in {} ms", dir.getFileName(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            stdout.println(dir);
            stdout.flush();
        }
        return 0;
    }

    /** {@code --domain} with the explicit overrides applied. */
    ScannerDomain domain() {
        ScannerDomain d = ScannerDomain.of(domain);
        if (noise != null) {
            d = d.withNoise(noise);
        }
        if (bias != null) {
            d = d.withBias(bias);
        }
        if (gamma != null) {
            d = d.withGamma(gamma);
        }
        if (blur != null) {
            d = d.withBlur(blur);
        }
        if (contrast != null || enhancement != null) {
            d = d.withContrast(contrast == null ? d.contrast() : contrast, enhancement == null ? d.enhancement() : enhancement);
        }
        return d;
    }

    private Generator brain(double[] s, ScannerDomain d) throws Exception {
        ColinTemplate t = template == null ? ColinTemplate.standard() : ColinTemplate.locate(template);
        long t0 = System.nanoTime();
        double finest = Math.min(s[0], Math.min(s[1], s[2]));
        TissueModel tissues = TissueModel.build(t, Math.min(1.0, finest));
        log.info("tissue model on {} voxels of {} mm in {} ms", java.util.Arrays.toString(tissues.grid().dims()),
                String.format(java.util.Locale.ROOT, "%.2f", tissues.grid().spacing(0)), (System.nanoTime() - t0) / 1_000_000);
        return new BrainPhantom(tissues, BrainParams.defaults(s), d)::generate;
    }

    @FunctionalInterface
    private interface Generator {
        PhantomCase generate(long seed, int caseIndex);
    }
}
