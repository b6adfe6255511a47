package dev.pier.data;

import dev.pier.api.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads MNIST from its original IDX files into a {@link LabeledData}: pixels scaled to [0,1], labels 0..9.
 * Specs: {@code mnist:train} (60,000 images), {@code mnist:test} (10,000), {@code mnist:train:1000} (the
 * first 1,000). The example shape is {@code [784]} unless asked for {@code [1,28,28]} (channels first) or
 * {@code [28,28,1]} (channels last); for one grayscale channel all three have the same memory layout.
 * Stateless and thread-safe.
 */
public final class Mnist {
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int CLASSES = 10;
    /** The example shapes MNIST can be delivered in. */
    public static final List<Shape> SHAPES = List.of(Shape.of(784), Shape.of(1, 28, 28), Shape.of(28, 28, 1));

    /** The two halves of the distribution. */
    public enum Split {
        TRAIN("train"),
        TEST("t10k");

        final String filePrefix;

        Split(String filePrefix) {
            this.filePrefix = filePrefix;
        }
    }

    private Mnist() {}

    /** True when {@code spec} names MNIST ({@code mnist:...}). */
    public static boolean handles(String spec) {
        return spec.startsWith("mnist:") || spec.equals("mnist");
    }

    /** Loads a spec such as {@code mnist:test:500} from {@code dataDir} (fetched there first if missing). */
    public static LabeledData load(String spec, Path dataDir, Shape exampleShape) throws IOException {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || !parts[0].equals("mnist")) {
            throw badSpec(spec);
        }
        Split split = switch (parts[1]) {
            case "train" -> Split.TRAIN;
            case "test" -> Split.TEST;
            default -> throw badSpec(spec);
        };
        int limit = -1;
        if (parts.length == 3) {
            try {
                limit = Integer.parseInt(parts[2]);
            } catch (NumberFormatException e) {
                throw badSpec(spec);
            }
            if (limit <= 0) {
                throw badSpec(spec);
            }
        }
        return load(split, limit, dataDir, exampleShape);
    }

    /** Loads the first {@code limit} examples of a split ({@code limit < 0}: all of them). */
    public static LabeledData load(Split split, int limit, Path dataDir, Shape exampleShape) throws IOException {
        if (!SHAPES.contains(exampleShape)) {
            throw new IllegalArgumentException(
                    "MNIST example shape " + exampleShape + " is not supported; expected one of " + SHAPES);
        }
        Path dir = MnistFetcher.ensure(dataDir);
        Path imagesFile = dir.resolve(split.filePrefix + "-images-idx3-ubyte");
        Path labelsFile = dir.resolve(split.filePrefix + "-labels-idx1-ubyte");
        IdxReader.Images images = IdxReader.readImages(imagesFile, limit);
        int[] labels = IdxReader.readLabels(labelsFile, limit);
        if (images.rows() != ROWS || images.cols() != COLS) {
            throw new dev.pier.api.InvalidInputException("corrupt MNIST file " + imagesFile + ": images are "
                    + images.rows() + "x" + images.cols() + ", expected 28x28");
        }
        if (images.count() != labels.length) {
            throw new dev.pier.api.InvalidInputException("MNIST files disagree: " + imagesFile + " holds "
                    + images.count() + " images but " + labelsFile + " holds " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= CLASSES) {
                throw new dev.pier.api.InvalidInputException("corrupt MNIST file " + labelsFile + ": label " + labels[i]
                        + " at index " + i + " is not a digit 0..9");
            }
        }
        String name = "mnist:" + split.name().toLowerCase() + (limit > 0 ? ":" + labels.length : "");
        return new LabeledData(name, images.pixels(), exampleShape, labels, CLASSES);
    }

    private static IllegalArgumentException badSpec(String spec) {
        return new IllegalArgumentException("bad MNIST dataset spec '" + spec
                + "': expected mnist:train, mnist:test or mnist:<train|test>:<first N, N > 0>");
    }
}
