package dev.pier.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pier.io.AtomicFiles;
import dev.pier.repository.ModelConfig;
import dev.pier.repository.ModelConfigParser;
import dev.pier.repository.RepositorySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One model's folder in a Triton-layout repository, as the pipeline reads and changes it: the numeric version folders,
 * their {@code lineage.json}, and the two {@code config.yaml} keys that say what serves ({@code version_policy} and
 * {@code traffic}, which {@code pier serve --model-control poll} follows). A version is published by building it in a
 * hidden folder (which the server's scan skips) and renaming that folder to its number, so the server never sees half a
 * version, and an existing version is never overwritten. Not thread-safe; one pipeline run changes a model at a time.
 */
final class ModelRepository {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,18}");

    private final Path root;
    private final String model;

    ModelRepository(Path root, String model) {
        this.root = root;
        this.model = model;
    }

    Path modelDir() {
        return root.resolve(model);
    }

    Path versionDir(long version) {
        return modelDir().resolve(Long.toString(version));
    }

    Path modelFile(long version) {
        return versionDir(version).resolve(config().defaultModelFilename());
    }

    TreeSet<Long> versions() {
        TreeSet<Long> versions = new TreeSet<>();
        if (!Files.isDirectory(modelDir())) {
            return versions;
        }
        try (Stream<Path> dirs = Files.list(modelDir())) {
            dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> VERSION.matcher(n).matches())
                    .forEach(n -> versions.add(Long.parseLong(n)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + modelDir() + ": " + e.getMessage(), e);
        }
        return versions;
    }

    Optional<Lineage> lineage(long version) {
        Path file = versionDir(version).resolve(Models.LINEAGE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Lineage.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The version whose model file has this hash (by its lineage, else by hashing the file), if any. */
    Optional<Long> versionHolding(String sha256) {
        for (long v : versions().descendingSet()) {
            Optional<Lineage> l = lineage(v);
            if (l.isPresent()
                    ? l.get().modelSha256().equals(sha256)
                    : Files.isRegularFile(modelFile(v))
                            && Hashes.file(modelFile(v)).equals(sha256)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    ModelConfig config() {
        Path file = modelDir().resolve(RepositorySource.CONFIG_FILE);
        return Files.isRegularFile(file) ? ModelConfigParser.parse(file) : ModelConfig.defaults(model);
    }

    /**
     * The version that answers unversioned requests now, as the repository says: the heaviest in {@code traffic},
     * else the newest the version policy serves. Empty when the model has no version.
     */
    Optional<Long> servedVersion() {
        TreeSet<Long> versions = versions();
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        ModelConfig config = config();
        if (!config.traffic().isEmpty()) {
            return config.traffic().entrySet().stream()
                    .filter(e -> versions.contains(e.getKey()))
                    .max(Map.Entry.<Long, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey)
                    .or(() -> Optional.of(versions.last()));
        }
        List<Long> served = config.versionPolicy().aspired(versions); // newest first
        return served.isEmpty() ? Optional.empty() : Optional.of(served.getFirst());
    }

    /**
     * Publishes a new version: the files are copied into a hidden folder, then that folder is renamed to the next
     * free number in one atomic step. Returns the version.
     */
    long publish(Map<String, Path> files, Lineage lineage) throws IOException {
        Files.createDirectories(modelDir());
        Path tmp = modelDir().resolve(".publishing-" + lineage.runId());
        StageCache.delete(tmp);
        Files.createDirectories(tmp);
        try {
            for (Map.Entry<String, Path> f : files.entrySet()) {
                Files.copy(f.getValue(), tmp.resolve(f.getKey()));
            }
            Files.write(tmp.resolve(Models.LINEAGE), JSON.writeValueAsBytes(lineage));
            for (int attempt = 0; attempt < 100; attempt++) {
                long version = versions().isEmpty() ? 1 : versions().last() + 1;
                Path target = versionDir(version);
                if (Files.exists(target)) {
                    continue;
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    return version;
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                    // another publisher took this number; take the next
                }
            }
            throw new IOException("could not find a free version number in " + modelDir());
        } finally {
            StageCache.delete(tmp);
        }
    }

    /** {@code version} alone serves: no traffic split. */
    void serveOnly(long version) {
        editConfig(c -> {
            c.remove("traffic");
            c.putObject("version_policy")
                    .putObject("specific")
                    .putArray("versions")
                    .add(version);
        });
    }

    /** {@code canary} gets {@code percent} of the unversioned requests, {@code stable} the rest; both stay loaded. */
    void split(long stable, long canary, int percent) {
        editConfig(c -> {
            ObjectNode traffic = c.putObject("traffic");
            traffic.put(Long.toString(stable), 100 - percent);
            traffic.put(Long.toString(canary), percent);
            c.putObject("version_policy")
                    .putObject("specific")
                    .putArray("versions")
                    .add(stable)
                    .add(canary);
        });
    }

    /** The canary's share in the current split, if there is one. */
    Optional<Integer> share(long version) {
        return Optional.ofNullable(config().traffic().get(version));
    }

    /** Whether the config pins what serves (a split or a specific policy), so that a new version must be named in it. */
    boolean pinned() {
        ModelConfig c = config();
        return !c.traffic().isEmpty() || c.versionPolicy().specific() != null;
    }

    private void editConfig(java.util.function.Consumer<ObjectNode> edit) {
        Path file = modelDir().resolve(RepositorySource.CONFIG_FILE);
        try {
            ObjectNode config =
                    Files.isRegularFile(file) && !Files.readString(file).isBlank()
                            ? (ObjectNode) YAML.readTree(file.toFile())
                            : YAML.createObjectNode();
            edit.accept(config);
            String text = YAML.writeValueAsString(config);
            ModelConfigParser.parse(text, file.toString()); // never write a config the server would refuse
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }
}
