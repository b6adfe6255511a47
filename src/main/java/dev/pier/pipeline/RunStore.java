package dev.pier.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run records of a workspace: {@code runs/<run-id>/run.json} and {@code run.html}, written atomically. Run ids sort
 * by start time, so the newest is last. Stateless apart from the folder; thread-safe for reading.
 */
public final class RunStore {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Path runs;

    public RunStore(Path workspace) {
        this.runs = workspace.resolve("runs");
    }

    public Path dir(String runId) {
        return runs.resolve(runId);
    }

    public void write(RunRecord record) {
        try {
            AtomicFiles.write(dir(record.runId()).resolve("run.json"), JSON.writeValueAsBytes(record));
            AtomicFiles.writeString(dir(record.runId()).resolve("run.html"), RunHtml.render(record));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the run record of " + record.runId() + ": " + e.getMessage(), e);
        }
    }

    /** All runs, oldest first. */
    public List<RunRecord> list() {
        List<RunRecord> all = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return all;
        }
        try (Stream<Path> dirs = Files.list(runs)) {
            for (Path d : dirs.sorted().toList()) {
                Path f = d.resolve("run.json");
                if (Files.isRegularFile(f)) {
                    all.add(JSON.readValue(f.toFile(), RunRecord.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runs in " + runs + ": " + e.getMessage(), e);
        }
        return all;
    }

    /** A run by its id, a unique prefix of it, or {@code latest}. */
    public RunRecord read(String id) {
        List<RunRecord> all = list();
        if (id.equals("latest")) {
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no runs in " + runs);
            }
            return all.getLast();
        }
        List<RunRecord> match =
                all.stream().filter(r -> r.runId().startsWith(id)).toList();
        if (match.size() != 1) {
            throw new IllegalArgumentException(
                    match.isEmpty()
                            ? "no run '" + id + "' in " + runs + "; pier pipeline runs lists them"
                            : "run '" + id + "' is ambiguous: "
                                    + match.stream().map(RunRecord::runId).toList());
        }
        return match.getFirst();
    }
}
