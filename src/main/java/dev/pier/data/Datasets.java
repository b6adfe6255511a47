package dev.pier.data;

import dev.pier.api.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a dataset spec to a {@link LabeledData}: {@code mnist:train[:N]} / {@code mnist:test[:N]},
 * {@code csv:<file>} (or any {@code *.csv} path), {@code images:<folder>} (or any folder). Stateless.
 */
public final class Datasets {

    /**
     * @param dataDir     MNIST folder; null means {@link MnistFetcher#defaultDir()}
     * @param mnistShape  example shape for MNIST ({@code [784]}, {@code [1,28,28]} or {@code [28,28,1]}); null means [784]
     * @param csv         CSV options; null means defaults
     * @param images      image-folder options; null means grayscale at the images' own size
     */
    public record Options(Path dataDir, Shape mnistShape, CsvOptions csv, ImageFolderLoader.Options images) {
        public static Options defaults() {
            return new Options(null, null, null, null);
        }
    }

    private Datasets() {}

    public static LabeledData load(String spec, Options options) throws IOException {
        if (Mnist.handles(spec)) {
            return Mnist.load(
                    spec,
                    options.dataDir() != null ? options.dataDir() : MnistFetcher.defaultDir(),
                    options.mnistShape() != null ? options.mnistShape() : Shape.of(784));
        }
        if (spec.startsWith("csv:") || spec.toLowerCase().endsWith(".csv")) {
            Path file = Path.of(spec.startsWith("csv:") ? spec.substring(4) : spec);
            return CsvLoader.load(requireFile(file), options.csv() != null ? options.csv() : CsvOptions.defaults());
        }
        Path folder = Path.of(spec.startsWith("images:") ? spec.substring(7) : spec);
        if (spec.startsWith("images:") || Files.isDirectory(folder)) {
            return ImageFolderLoader.load(
                    folder, options.images() != null ? options.images() : ImageFolderLoader.Options.grayscale());
        }
        throw new IllegalArgumentException("unknown dataset '" + spec + "': expected mnist:train[:N], mnist:test[:N], "
                + "csv:<file>, a .csv file, images:<folder> or an existing image folder (root/<class>/*.png)");
    }

    private static Path requireFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "CSV file not found");
        }
        return file;
    }
}
