package org.lesionlink.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lesionlink.inference.ModelPackage;
import org.lesionlink.training.Pretrained;
import org.lesionlink.training.Trainer;
import org.lesionlink.training.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lesionlink finetune}: seed 2's transfer learning. Every fold of a k-fold run starts from one
 * fold of a pretrained model package and trains on local cases; the network, inputs, spacing and patch
 * are the pretrained model's. Writes a model package like {@code train} (plus {@code init.json} naming the
 * pretrained weights).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a pretrained model package (engine djl: LesionLink's unet/segresnet; or torchscript) on "
                + "local cases with k-fold cross-validation and write a model package that `segment` can run.",
                "Cases: DIR/caseNNN/<channel>.nii.gz and DIR/caseNNN/seg.nii.gz, channels as the pretrained model's inputs."})
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "MODEL", description = "Pretrained model: a name in --models or a package folder.")
    String from;

    @Option(names = "--from-fold", defaultValue = "0", paramLabel = "N",
            description = "Which of the pretrained package's folds initialises every new fold (default 0).")
    int fromFold;

    @Option(names = "--models", paramLabel = "DIR", description = "Models directory for --from NAME (default: models/).")
    Path modelsDir;

    @Mixin
    TrainingLoopOptions loop = new TrainingLoopOptions();

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of case folders.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Model package folder to write.")
    Path out;

    @Option(names = "--epochs", defaultValue = "100", paramLabel = "N", description = "Epochs per fold (default 100, seed 2's fine-tuning).")
    int epochs;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Initial learning rate (default: the architecture's, unet and torchscript 1e-2, segresnet 1e-4).")
    Double lr;

    @Option(names = "--freeze-encoder", description = "Keep the encoder's weights fixed (LesionLink's unet/segresnet only).")
    boolean freezeEncoder;

    @Option(names = "--resume", description = "Continue each fold from its last checkpoint (not for torchscript models).")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = config();
        new Trainer(config, null, System.err).run();
        System.err.println("fine-tuned model package written to " + config.out());
        return 0;
    }

    TrainingConfig config() throws java.io.IOException {
        double rate = TrainingLoopOptions.learningRate(lr);
        String loss = loop.lossName();
        ModelPackage pkg = Cli.model(from, modelsDir);
        Pretrained p = Pretrained.open(pkg.folder(), fromFold);
        String arch = p.spec().architecture() == null ? "torchscript" : p.spec().architecture().name();
        int filters = 1; // unused: the network is the package's
        return new TrainingConfig(data, out, arch, loss, p.task(), p.channels(), loop.folds, loop.runFolds(), epochs,
                loop.iterations, loop.batch, p.spec().patchSize(), p.spacing(), filters, loop.seed, loop.deviceChoice(), resume,
                loop.batchDice, !loop.noAugment, loop.threads, new TrainingConfig.FineTune(pkg.folder(), fromFold, freezeEncoder),
                rate, loop.validateEvery, loop.foregroundMode());
    }
}
