package org.lesionlink.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lesionlink.phantom.BrainParams;
import org.lesionlink.phantom.BrainPhantom;
import org.lesionlink.phantom.ColinTemplate;
import org.lesionlink.phantom.PhantomCase;
import org.lesionlink.phantom.PhantomWriter;
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
        Generator generator = k.equals("BRAIN") ? brain(s) : new SpinePhantom(SpineParams.defaults(s))::generate;
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

    private Generator brain(double[] s) throws Exception {
        ColinTemplate t = template == null ? ColinTemplate.standard() : ColinTemplate.locate(template);
        long t0 = System.nanoTime();
        double finest = Math.min(s[0], Math.min(s[1], s[2]));
        TissueModel tissues = TissueModel.build(t, Math.min(1.0, finest));
        log.info("tissue model on {} voxels of {} mm in {} ms", java.util.Arrays.toString(tissues.grid().dims()),
                String.format(java.util.Locale.ROOT, "%.2f", tissues.grid().spacing(0)), (System.nanoTime() - t0) / 1_000_000);
        return new BrainPhantom(tissues, BrainParams.defaults(s))::generate;
    }

    @FunctionalInterface
    private interface Generator {
        PhantomCase generate(long seed, int caseIndex);
    }
}
