package dev.pier.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans a Triton-style model repository: {@code root/<model>/config.yaml} (optional) and numeric version
 * folders {@code root/<model>/<version>/model.onnx}. Version folders are positive integers without leading
 * zeros, as in Triton; other folders and stray files are ignored (debug log). Folders whose name is not a
 * valid model name ({@link ModelNames}) are skipped with a warning, so no model name reaches outside the root.
 *
 * <p>Stateless and thread-safe: each {@link #scan()} reads the disk afresh, which is what polling needs.
 * A model whose config is broken, or that has no usable version, becomes {@link SourcedModel.Broken} and the
 * other models are unaffected.
 */
public final class RepositorySource implements ModelSource {
    private static final Logger LOG = LoggerFactory.getLogger(RepositorySource.class);
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
    public static final String CONFIG_FILE = "config.yaml";

    private final Path root;

    public RepositorySource(Path root) {
        this.root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("model repository " + this.root + " is not a directory; expected "
                    + "<root>/<model>/<version>/model.onnx");
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public List<SourcedModel> scan() {
        List<SourcedModel> models = new ArrayList<>();
        for (Path dir : list(root)) {
            String name = dir.getFileName().toString();
            if (!Files.isDirectory(dir) || name.startsWith(".")) {
                LOG.debug("repository {}: ignoring {} (not a model folder)", root, name);
            } else if (!ModelNames.isValid(name)) {
                LOG.warn(
                        "repository {}: ignoring folder '{}': not a valid model name (letters, digits, '_', '-', '.')",
                        root,
                        name);
            } else {
                models.add(scanModel(name, dir));
            }
        }
        return List.copyOf(models);
    }

    /** Reads one model folder. Never throws for a problem of that model: it becomes {@link SourcedModel.Broken}. */
    SourcedModel scanModel(String name, Path dir) {
        ModelConfig config;
        try {
            Path file = dir.resolve(CONFIG_FILE);
            config = Files.isRegularFile(file) ? ModelConfigParser.parse(file) : ModelConfig.defaults(name);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            LOG.warn("model '{}': {}", name, e.getMessage());
            return new SourcedModel.Broken(name, e.getMessage());
        }
        if (config.name() != null && !config.name().equals(name)) {
            return new SourcedModel.Broken(
                    name,
                    dir.resolve(CONFIG_FILE) + ": 'name' is '" + config.name() + "' but the model folder is '" + name
                            + "'; they must be equal");
        }
        TreeSet<Long> onDisk = new TreeSet<>();
        for (Path entry : list(dir)) {
            String file = entry.getFileName().toString();
            if (Files.isDirectory(entry) && VERSION.matcher(file).matches()) {
                onDisk.add(Long.parseLong(file));
            } else if (!file.equals(CONFIG_FILE)) {
                LOG.debug("model '{}': ignoring {} (not a numeric version folder)", name, entry);
            }
        }
        if (onDisk.isEmpty() && !config.isOnnx()) {
            // an ensemble or a processing step has no model file: Triton wants an empty folder "1", Pier does not
            onDisk.add(1L);
        }
        if (onDisk.isEmpty()) {
            return new SourcedModel.Broken(
                    name,
                    "no version folders in " + dir + "; expected numeric folders such as "
                            + dir.resolve("1").resolve(config.defaultModelFilename()));
        }
        List<Long> aspired = config.versionPolicy().aspired(onDisk);
        if (aspired.isEmpty()) {
            return new SourcedModel.Broken(
                    name,
                    "version_policy " + config.versionPolicy() + " selects none of the versions on disk " + onDisk);
        }
        List<AspiredVersion> versions = aspired.stream()
                .map(v -> new AspiredVersion(v, dir.resolve(Long.toString(v)).resolve(config.defaultModelFilename())))
                .toList();
        return new SourcedModel.Aspired(name, config, dir, versions);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
