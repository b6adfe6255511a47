package dev.pier.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code pier deploy} service: writes manifests into a directory and, when asked, applies them with a
 * client for the current kubeconfig context. Stateless apart from the client supplier.
 */
public final class KubernetesDeployment {

    /** What a deploy did: files written and, when applied, the objects and their fate. */
    public record Result(List<Path> files, List<ManifestApplier.Applied> applied) {}

    /** How to apply: not at all, for real, or as a server-side dry run; and how long to wait for the rollout. */
    public record ApplyMode(boolean apply, boolean dryRun, Duration rolloutTimeout) {
        public static final ApplyMode WRITE_ONLY = new ApplyMode(false, false, Duration.ZERO);
    }

    private final Supplier<KubernetesClient> clients;

    /** Uses the current kubeconfig context (or the in-cluster service account). */
    public KubernetesDeployment() {
        this(() -> new KubernetesClientBuilder().build());
    }

    public KubernetesDeployment(Supplier<KubernetesClient> clients) {
        this.clients = clients;
    }

    public Result deploy(List<? extends HasMetadata> objects, Optional<String> namespace, Path outDir, ApplyMode mode)
            throws IOException {
        List<Path> files = new ManifestWriter().write(objects, outDir);
        if (!mode.apply() && !mode.dryRun()) {
            return new Result(files, List.of());
        }
        try (KubernetesClient client = clients.get()) {
            ClusterPreflight.check(client);
            List<ManifestApplier.Applied> applied = new ManifestApplier(client)
                    .apply(objects, namespace.orElse(null), mode.dryRun(), mode.rolloutTimeout());
            return new Result(files, applied);
        }
    }
}
