package dev.pier.deploy;

import dev.pier.io.AtomicFiles;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes manifests as YAML files, one object per file, named {@code NN-kind-name.yaml} so that
 * {@code kubectl apply -f DIR} applies them in order. Each file is written atomically (temp file, then move).
 * Thread-safe (the serializer is immutable after construction).
 */
public final class ManifestWriter {

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** The YAML text of one object. */
    public String toYaml(HasMetadata object) {
        return serialization.asYaml(object);
    }

    /** Writes every object into {@code outDir} (created if missing) and returns the files in apply order. */
    public List<Path> write(List<? extends HasMetadata> objects, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Path> files = new ArrayList<>();
        int i = 0;
        for (HasMetadata object : objects) {
            String file = String.format(Locale.ROOT, "%02d-%s-%s.yaml", ++i,
                    object.getKind().toLowerCase(Locale.ROOT), object.getMetadata().getName());
            Path target = outDir.resolve(file);
            AtomicFiles.writeString(target, toYaml(object));
            files.add(target);
        }
        return files;
    }
}
