package dev.pier.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.api.Shape;
import dev.pier.data.Datasets;
import dev.pier.data.LabeledData;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.Evaluator;
import dev.pier.profile.Profiles;
import dev.pier.profile.ReferenceProfile;
import dev.pier.runtime.onnx.OrtEngine;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a classifier on a {@link LabeledData} and exports it to ONNX: the one call the CLI and the
 * quickstart make. {@link #fit} is the lower-level step for callers that hold a {@link DjlNetwork}
 * themselves (fine-tuning an imported model, for instance). Stateless and thread-safe; each call owns the
 * native memory it allocates.
 */
public final class TrainingService {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);

    private final boolean writeProfile;

    /** A service that writes the exported model's reference profile (see {@link #train(LabeledData, TrainOptions, TrainingListener)}). */
    public TrainingService() {
        this(true);
    }

    /** @param writeProfile whether {@link #train} writes {@code <stem>.profile.json} beside the exported model */
    public TrainingService(boolean writeProfile) {
        this.writeProfile = writeProfile;
    }

    /**
     * Loads a dataset spec (see {@link Datasets}) in the layout the architecture needs (MNIST as
     * {@code [1,28,28]} for convolutional networks, {@code [784]} otherwise), then {@link #train}s on it.
     */
    public TrainingResult train(
            String dataset, Datasets.Options dataOptions, TrainOptions options, TrainingListener listener)
            throws IOException {
        boolean images = Architectures.parse(options.architecture(), 10).wantsImages();
        Datasets.Options resolved = dataOptions.mnistShape() != null
                ? dataOptions
                : new Datasets.Options(
                        dataOptions.dataDir(),
                        images ? Shape.of(1, 28, 28) : Shape.of(784),
                        dataOptions.csv(),
                        dataOptions.images());
        return train(Datasets.load(dataset, resolved), options, listener);
    }

    /**
     * Trains, writes the ONNX model to {@code options.output()} and the log JSON, and returns both. Unless
     * built with {@code writeProfile} false, also runs the exported model (ONNX Runtime, the evaluation code
     * path) on the validation split and writes its reference profile for drift detection to
     * {@code <stem>.profile.json} beside the model; with no validation split there is no profile.
     */
    public TrainingResult train(LabeledData data, TrainOptions options, TrainingListener listener) throws IOException {
        Architecture architecture = Architectures.parse(options.architecture(), data.numClasses());
        try (DjlNetwork net = newNetwork(architecture, data, options.seed())) {
            TrainingLog log = fit(net, data, options, listener);
            OnnxExporter.export(net, options.output());
            Path logFile = options.effectiveLogFile();
            writeLog(log, logFile);
            writeClassNames(data, options.output());
            Path profile = writeProfile ? profile(data, options) : null;
            return new TrainingResult(options.output(), logFile, log, log.exported(), profile);
        }
    }

    /** {@code <stem>.labels.txt} beside a model: its class names, one a line, in class index order. */
    public static Path labelsFile(Path model) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".labels.txt");
    }

    /** Class names are what a user reads in predictions; a model's outputs are only indices without them. */
    private static void writeClassNames(LabeledData data, Path model) throws IOException {
        if (data.classNames().isEmpty()) {
            return;
        }
        dev.pier.io.AtomicFiles.write(
                labelsFile(model),
                (String.join("\n", data.classNames()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The validation split of {@code data} that {@link #train} holds out with these options. */
    public static LabeledData validationSplit(LabeledData data, TrainOptions options) {
        int[] val =
                DataSplit.of(data, options.validationSplit(), options.seed()).validation();
        int[] labels = new int[val.length];
        for (int i = 0; i < val.length; i++) {
            labels[i] = data.labels()[val[i]];
        }
        return new LabeledData(
                data.name() + " (validation split " + options.validationSplit() + ")",
                DataSplit.gather(data, val, 0, val.length),
                data.exampleShape(),
                labels,
                data.numClasses(),
                data.scaling(),
                data.classNames());
    }

    private static Path profile(LabeledData data, TrainOptions options) {
        if (options.validationSplit() <= 0) {
            LOG.info(
                    "no validation split, so no reference profile for drift detection; run pier evaluate to write one");
            return null;
        }
        Path file = Profiles.defaultPath(options.output());
        try (OrtEngine engine = new OrtEngine()) {
            ReferenceProfile profile = new Evaluator(engine)
                    .profile(options.output(), raw(validationSplit(data, options)), EvaluateOptions.defaults());
            Profiles.write(profile, file);
            return file;
        } catch (RuntimeException e) {
            // the model is trained and exported; a profile that cannot be built must not fail the run
            LOG.warn("could not write the reference profile {}: {}", file, e.getMessage());
            return null;
        }
    }

    /** The features as read, before any scaling: what the exported model (which scales them itself) is fed. */
    static LabeledData raw(LabeledData data) {
        if (data.scaling() == null) {
            return data;
        }
        return new LabeledData(
                data.name(),
                data.scaling().invert(data.features()),
                data.exampleShape(),
                data.labels(),
                data.numClasses(),
                null,
                data.classNames());
    }

    /** Builds and initialises a network for {@code data}, checking that its output has one value per class. */
    public DjlNetwork newNetwork(Architecture architecture, LabeledData data, long seed) {
        if (architecture.wantsImages() && data.exampleShape().rank() != 3) {
            throw new IllegalArgumentException("architecture " + architecture.name()
                    + " starts with convolutions and needs " + "[channels, height, width] examples, but " + data.name()
                    + " has examples of shape " + data.exampleShape());
        }
        DjlNetwork net =
                DjlNetwork.create(architecture, data.exampleShape(), seed).inputScaling(data.scaling());
        ai.djl.ndarray.types.Shape out = net.block()
                .getOutputShapes(new ai.djl.ndarray.types.Shape[] {DjlNetwork.batchShape(data.exampleShape(), 1)})[0];
        if (out.dimension() != 2 || out.get(1) != data.numClasses()) {
            net.close();
            throw new IllegalArgumentException("architecture " + architecture.name() + " outputs shape " + out
                    + " per batch, but " + data.name() + " has " + data.numClasses()
                    + " classes: the last layer must be dense with "
                    + data.numClasses() + " units");
        }
        return net;
    }

    /** Trains {@code net} in place; it ends up holding the weights to export. */
    public TrainingLog fit(DjlNetwork net, LabeledData data, TrainOptions options, TrainingListener listener)
            throws IOException {
        if (!data.exampleShape().equals(net.exampleShape())) {
            throw new IllegalArgumentException("network expects examples of shape " + net.exampleShape() + " but "
                    + data.name() + " has " + data.exampleShape());
        }
        return new TrainingLoop(net, data, options, listener).run();
    }

    static void writeLog(TrainingLog log, Path file) throws IOException {
        dev.pier.io.AtomicFiles.write(file, JSON.writeValueAsBytes(log));
    }
}
