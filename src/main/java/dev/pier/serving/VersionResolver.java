package dev.pier.serving;

import dev.pier.api.ModelNotFoundException;
import dev.pier.repository.ModelConfig;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Which version serves a request: the pure resolve step of the core, run by the {@link ModelManager} under its
 * lock in the same pass that pins the version, so a request needs one acquire whatever its routing.
 * A request that names a version gets it. One that names none gets a version drawn by the {@code traffic} weights
 * of the newest AVAILABLE version's config among the weighted versions that are AVAILABLE (a weighted version not
 * loaded is skipped and the rest renormalised; none loaded, or no weights: the newest AVAILABLE version, the
 * version policy's choice), and the {@code shadow_version}, when it is AVAILABLE and not the chosen one, gets a
 * copy. Version labels map a label to a version. Stateless; no threads, clocks or models, so it is tested alone.
 */
public final class VersionResolver {

    /** The version that serves and the version that gets a shadow copy, if any. */
    public record Choice(long version, OptionalLong shadow) {}

    private VersionResolver() {}

    /**
     * @param available AVAILABLE versions, oldest first; not empty
     * @param newest    config of the newest AVAILABLE version (traffic weights, shadow version)
     * @param random    draws the traffic ticket
     */
    public static Choice resolve(List<Long> available, ModelConfig newest, RandomGenerator random) {
        long chosen = pick(newest.traffic(), available, random).orElse(available.getLast());
        Long shadow = newest.shadowVersion();
        return new Choice(
                chosen,
                shadow != null && shadow != chosen && available.contains(shadow)
                        ? OptionalLong.of(shadow)
                        : OptionalLong.empty());
    }

    /**
     * A version drawn by weight among the weighted AVAILABLE ones; empty when none of them is available. Tickets
     * are laid out in version order (oldest first), so a given ticket always picks the same version.
     */
    static OptionalLong pick(Map<Long, Integer> traffic, List<Long> available, RandomGenerator random) {
        long total = 0;
        for (long v : available) {
            total += traffic.getOrDefault(v, 0);
        }
        if (total == 0) {
            return OptionalLong.empty();
        }
        long ticket = random.nextLong(total);
        for (long v : available) {
            ticket -= traffic.getOrDefault(v, 0);
            if (ticket < 0) {
                return OptionalLong.of(v);
            }
        }
        return OptionalLong.empty();
    }

    /** The version a TF Serving version label names; 404 naming the labels there are when it names none. */
    public static long label(String model, Map<String, Long> labels, String label) {
        Long version = labels.get(label);
        if (version == null) {
            throw new ModelNotFoundException("model '" + model + "' has no version label '" + label
                    + "'; its labels are " + labels + " (config.yaml 'version_labels')");
        }
        return version;
    }
}
