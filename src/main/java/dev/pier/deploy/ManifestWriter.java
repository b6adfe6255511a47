package dev.pier.deploy;

import dev.pier.api.InvalidInputException;
import dev.pier.io.AtomicFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes manifests as YAML files, one object per file, named {@code NN-kind-name.yaml} so that
 * {@code kubectl apply -f DIR} applies them in order. Each file is written atomically (temp file, then move).
 *
 * <p>The folder is Pier's: a marker file ({@value #MARKER}, which kubectl skips: it reads only {@code .yaml},
 * {@code .yml} and {@code .json}) lists the files the last run wrote, and the next run removes them before it
 * writes its own, so a run with other flags leaves no stale manifest behind that {@code kubectl apply -f DIR}
 * would apply too. A folder holding anything else is refused rather than mixed with (as
 * {@code helm template --output-dir} users expect of a generated folder). Thread-safe (the serializer is
 * immutable after construction); two runs into one folder at once are not.
 */
public final class ManifestWriter {

    /** Lists the manifests Pier wrote into the folder, one file name a line. */
    public static final String MARKER = ".pier-manifests";

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** The YAML text of one object. */
    public String toYaml(HasMetadata object) {
        return serialization.asYaml(object);
    }

    /**
     * Writes every object into {@code outDir} (created if missing), replacing the manifests an earlier run wrote
     * there, and returns the files in apply order.
     *
     * @throws InvalidInputException when {@code outDir} holds files Pier did not write
     */
    public List<Path> write(List<? extends HasMetadata> objects, Path outDir) throws IOException {
        Set<String> previous = managedFiles(outDir);
        Files.createDirectories(outDir);
        List<String> names = new ArrayList<>();
        int i = 0;
        for (HasMetadata object : objects) {
            names.add(String.format(
                    Locale.ROOT,
                    "%02d-%s-%s.yaml",
                    ++i,
                    object.getKind().toLowerCase(Locale.ROOT),
                    object.getMetadata().getName()));
        }
        for (String stale : previous) {
            if (!names.contains(stale)) {
                Files.deleteIfExists(outDir.resolve(stale));
            }
        }
        // the marker names every file before any is written, so an interrupted run is still cleaned up by the next
        Set<String> marked = new TreeSet<>(names);
        marked.addAll(previous);
        AtomicFiles.writeString(outDir.resolve(MARKER), String.join("\n", marked) + "\n");
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < objects.size(); k++) {
            Path target = outDir.resolve(names.get(k));
            AtomicFiles.writeString(target, toYaml(objects.get(k)));
            files.add(target);
        }
        AtomicFiles.writeString(outDir.resolve(MARKER), String.join("\n", names) + "\n");
        return files;
    }

    /** A manifest of a Pier version that wrote no marker: named as Pier names them and labelled managed-by pier. */
    private static boolean writtenBeforeMarkers(Path file) {
        if (!file.getFileName().toString().matches("\\d{2}-[a-z0-9]+-[a-z0-9.-]+\\.yaml")
                || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            String text = Files.readString(file);
            return text.contains("app.kubernetes.io/managed-by: \"pier\"")
                    || text.contains("app.kubernetes.io/managed-by: pier");
        } catch (IOException e) {
            return false;
        }
    }

    /** The files an earlier run wrote into {@code dir}; refuses a folder with anything else in it. */
    private static Set<String> managedFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return Set.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("--out " + dir + " is a file; manifests go into a folder");
        }
        Set<String> managed = new TreeSet<>();
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker)) {
            for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.contains("/") && !line.contains("\\")) {
                    managed.add(line.strip());
                }
            }
        }
        List<String> foreign;
        try (Stream<Path> entries = Files.list(dir)) {
            foreign = entries.filter(p -> {
                        String n = p.getFileName().toString();
                        return !n.equals(MARKER) && !managed.contains(n) && !writtenBeforeMarkers(p);
                    })
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(ManifestWriter::writtenBeforeMarkers)
                    .forEach(p -> managed.add(p.getFileName().toString()));
        }
        if (!foreign.isEmpty()) {
            throw new InvalidInputException("--out " + dir + " holds files pier did not write ("
                    + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
                    + (foreign.size() > 5 ? ", ..." : "") + "); kubectl apply -f would apply them too. "
                    + "Give an empty or new folder, or one an earlier pier deploy wrote");
        }
        return managed;
    }
}
