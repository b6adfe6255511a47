package dev.pier.cli;

import dev.pier.data.CsvOptions;
import dev.pier.data.Datasets;
import dev.pier.data.ImageFolderLoader;
import dev.pier.train.ProgressBarListener;
import dev.pier.train.TrainOptions;
import dev.pier.train.TrainingListener;
import dev.pier.train.TrainingResult;
import dev.pier.train.TrainingService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier train}: parses options and calls {@link TrainingService}. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a classifier with DJL (PyTorch, CPU) and export it to ONNX.")
public final class TrainCommand implements Callable<Integer> {
    private static final TrainOptions D = TrainOptions.defaults();

    @Option(
            names = "--dataset",
            required = true,
            description =
                    "mnist:train, mnist:test, mnist:train:N (first N), csv:FILE or a .csv file, images:DIR or a folder of class sub-folders")
    String dataset;

    @Option(
            names = "--arch",
            defaultValue = "mlp:128",
            description =
                    "mlp:128, mlp:300,100, lenet5, lenet5-caffe or a YAML layer file (format: docs/train.md) (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--epochs", defaultValue = "10", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd (default: ${DEFAULT-VALUE})")
    TrainOptions.OptimizerKind optimizer;

    @Option(names = "--lr", defaultValue = "0.001", description = "learning rate (default: ${DEFAULT-VALUE})")
    float lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE})")
    float momentum;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE})")
    float weightDecay;

    @Option(
            names = "--schedule",
            defaultValue = "constant",
            description = "constant, step or cosine (default: ${DEFAULT-VALUE})")
    TrainOptions.Schedule schedule;

    @Option(
            names = "--step-epochs",
            defaultValue = "3",
            description = "step schedule: decay every N epochs (default: ${DEFAULT-VALUE})")
    int stepEpochs;

    @Option(
            names = "--step-gamma",
            defaultValue = "0.1",
            description = "step schedule: decay factor (default: ${DEFAULT-VALUE})")
    float stepGamma;

    @Option(
            names = "--validation-split",
            defaultValue = "0.2",
            description = "fraction held out (default: ${DEFAULT-VALUE})")
    double validationSplit;

    @Option(
            names = "--patience",
            defaultValue = "0",
            description = "early stopping patience in epochs, 0 = off (default: ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--output",
            defaultValue = "model.onnx",
            description = "ONNX model to write (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--log", description = "training log JSON (default: <output stem>.train.json)")
    Path log;

    @Option(names = "--checkpoint-dir", description = "per-epoch checkpoints (default: <output>.checkpoints)")
    Path checkpointDir;

    @Option(names = "--resume", description = "continue from the last checkpoint (replaces --output)")
    boolean resume;

    @Option(names = "--overwrite", description = "replace an existing --output (refused otherwise)")
    boolean overwrite;

    @Option(
            names = "--jitter",
            defaultValue = "0",
            paramLabel = "PIXELS",
            description =
                    "augmentation: random translation of each training image by up to PIXELS in x and y, 0 = off (default: ${DEFAULT-VALUE})")
    int jitter;

    @Option(
            names = "--data-dir",
            description =
                    "folder of MNIST IDX files (default: $PIER_DATA_DIR or ~/.cache/pier/mnist; fetched if missing)")
    Path dataDir;

    @Option(names = "--label-column", description = "CSV label column, name or 0-based index (default: last)")
    String labelColumn;

    @Option(
            names = "--normalize",
            defaultValue = "none",
            description = "CSV feature scaling: none, minmax or standard (default: ${DEFAULT-VALUE})")
    CsvOptions.Normalization normalize;

    @Option(names = "--image-size", description = "resize folder images to WIDTHxHEIGHT, e.g. 28x28")
    String imageSize;

    @Option(names = "--rgb", description = "read folder images as RGB (default: grayscale)")
    boolean rgb;

    @Option(
            names = "--no-profile",
            description =
                    "do not write the reference profile (<stem>.profile.json beside the model, from the validation split) that pier serve uses for drift detection")
    boolean noProfile;

    @Option(
            names = "--no-progress",
            description =
                    "no progress bar, one line per epoch only (the bar is drawn on stderr, and only when it is a terminal)")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        OutputFiles.refuseExisting(output, overwrite || resume, "--output");
        TrainOptions options = D.toBuilder()
                .architecture(arch)
                .epochs(epochs)
                .batchSize(batchSize)
                .optimizer(optimizer)
                .learningRate(lr)
                .momentum(momentum)
                .nesterov(nesterov)
                .weightDecay(weightDecay)
                .schedule(schedule)
                .stepEpochs(stepEpochs)
                .stepGamma(stepGamma)
                .validationSplit(validationSplit)
                .patience(patience)
                .seed(seed)
                .output(output)
                .logFile(log)
                .checkpointDir(checkpointDir)
                .resume(resume)
                .jitter(jitter)
                .build();
        int w = 0;
        int h = 0;
        if (imageSize != null) {
            String[] wh = imageSize.toLowerCase().split("x");
            if (wh.length != 2 || !wh[0].matches("\\d+") || !wh[1].matches("\\d+")) {
                throw new IllegalArgumentException(
                        "--image-size must be WIDTHxHEIGHT like 28x28, got '" + imageSize + "'");
            }
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
        }
        Datasets.Options data = new Datasets.Options(
                dataDir,
                null,
                CsvOptions.defaults().withLabelColumn(labelColumn).withNormalization(normalize),
                new ImageFolderLoader.Options(w, h, rgb));
        TrainingListener listener =
                new ProgressBarListener(System.out, System.err, !noProgress && Terminal.stderrIsTerminal());
        TrainingResult result = new TrainingService(!noProfile).train(dataset, data, options, listener);
        System.out.println("model: " + result.model());
        System.out.println("log: " + result.logFile());
        if (result.profile() != null) {
            System.out.println("profile: " + result.profile());
        }
        Path labels = TrainingService.labelsFile(result.model());
        if (java.nio.file.Files.isRegularFile(labels)) {
            System.out.println("class names: " + labels);
        }
        if (result.metrics().validationAccuracy() != null) {
            System.out.printf(
                    "validation accuracy (epoch %d): %.4f%n",
                    result.metrics().epoch(), result.metrics().validationAccuracy());
        }
        return 0;
    }
}
