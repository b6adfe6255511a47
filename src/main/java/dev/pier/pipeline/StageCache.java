package dev.pier.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The run workspace's stage cache: one folder per stage, {@code <workspace>/.pier/cache/<stage>/}, holding the
 * stage's last outputs and {@code stage.json} ({@link StageRecord}). A stage writes into a fresh scratch folder that
 * replaces the old one only when it succeeds, so a failed or interrupted stage leaves the last good outputs and
 * record in place. Not thread-safe: one pipeline run owns a workspace at a time.
 */
final class StageCache {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    static final String RECORD = "stage.json";

    private final Path root;

    StageCache(Path workspace) {
        this.root = workspace.resolve(".pier").resolve("cache");
    }

    Path dir(Stage stage) {
        return root.resolve(stage.id());
    }

    /** The stage's last record whose outputs are all still there with the recorded content. */
    Optional<StageRecord> intact(Stage stage) {
        Path file = dir(stage).resolve(RECORD);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            StageRecord r = JSON.readValue(file.toFile(), StageRecord.class);
            for (Map.Entry<String, String> out : r.outputs().entrySet()) {
                Path f = dir(stage).resolve(out.getKey());
                if (!Files.isRegularFile(f) || !Hashes.file(f).equals(out.getValue())) {
                    return Optional.empty();
                }
            }
            return Optional.of(r);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable record is a stage to rerun, not an error
        }
    }

    /** A fresh, empty scratch folder for the stage to write into. */
    Path scratch(Stage stage) {
        Path tmp = root.resolve("." + stage.id() + ".tmp");
        delete(tmp);
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tmp + ": " + e.getMessage(), e);
        }
        return tmp;
    }

    /** Writes the record into the scratch folder and makes it the stage's folder. */
    void commit(Stage stage, Path scratch, StageRecord record) {
        try {
            AtomicFiles.write(scratch.resolve(RECORD), JSON.writeValueAsBytes(record));
            Path dir = dir(stage);
            Path old = root.resolve("." + stage.id() + ".old");
            delete(old);
            if (Files.exists(dir)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(scratch, dir, StandardCopyOption.ATOMIC_MOVE);
            delete(old);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot store the outputs of stage " + stage.id() + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }
}
