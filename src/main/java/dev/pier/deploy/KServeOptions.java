package dev.pier.deploy;

import java.util.Objects;
import java.util.Optional;

/**
 * Options of {@link KServeManifests}. Immutable.
 *
 * @param name          InferenceService name (default {@code pier})
 * @param runtimeName   ServingRuntime name (default {@code pier-runtime})
 * @param namespace     namespace written into the manifests; empty means none
 * @param image         the image built by {@code pier package}
 * @param canaryPercent traffic share for the newest revision ({@code canaryTrafficPercent}); empty means all
 * @param minReplicas   predictor minimum replicas (default 1)
 * @param maxReplicas   predictor maximum replicas (default 3)
 * @param storageUri    where KServe's storage initializer fetches the model repository from (mounted at
 *                      {@code /mnt/models}); empty means the models are baked into the image
 * @param resources     container requests and limits
 */
public record KServeOptions(
        String name,
        String runtimeName,
        Optional<String> namespace,
        String image,
        Optional<Integer> canaryPercent,
        int minReplicas,
        int maxReplicas,
        Optional<String> storageUri,
        KubernetesDeployOptions.Resources resources) {

    public KServeOptions {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(canaryPercent, "canaryPercent");
        Objects.requireNonNull(storageUri, "storageUri");
        Objects.requireNonNull(resources, "resources");
        for (String n : new String[] {name, runtimeName}) {
            if (n == null || !n.matches("[a-z]([-a-z0-9]*[a-z0-9])?") || n.length() > 45) {
                throw new IllegalArgumentException("KServe names must start with a letter and hold lower-case "
                        + "letters, digits and '-' (at most 45 characters), got '" + n + "'");
            }
        }
        if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("--image must be an image reference, got '" + image + "'");
        }
        canaryPercent.ifPresent(c -> {
            if (c < 0 || c > 100) {
                throw new IllegalArgumentException("--canary must be a traffic percentage 0..100, got " + c);
            }
        });
        if (minReplicas < 0 || maxReplicas < Math.max(1, minReplicas)) {
            throw new IllegalArgumentException(
                    "replicas must satisfy 0 <= min <= max and max >= 1, got " + minReplicas + ".." + maxReplicas);
        }
    }

    public static KServeOptions defaults(String image) {
        return new KServeOptions(
                "pier",
                "pier-runtime",
                Optional.empty(),
                image,
                Optional.empty(),
                1,
                3,
                Optional.empty(),
                KubernetesDeployOptions.Resources.DEFAULT);
    }
}
