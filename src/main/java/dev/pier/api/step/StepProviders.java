package dev.pier.api.step;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The {@link StepProvider}s on the class path, by platform, found once with {@link ServiceLoader}. Two
 * providers claiming one platform is a configuration error of the class path, reported when first asked.
 */
public final class StepProviders {
    private static volatile Map<String, StepProvider> byPlatform;

    private StepProviders() {}

    /** Every registered platform, sorted. */
    public static java.util.Set<String> platforms() {
        return all().keySet();
    }

    public static Optional<StepProvider> forPlatform(String platform) {
        return Optional.ofNullable(all().get(platform));
    }

    private static Map<String, StepProvider> all() {
        Map<String, StepProvider> found = byPlatform;
        if (found == null) {
            TreeMap<String, StepProvider> map = new TreeMap<>();
            for (StepProvider p : ServiceLoader.load(StepProvider.class, StepProviders.class.getClassLoader())) {
                StepProvider before = map.putIfAbsent(p.platform(), p);
                if (before != null && before.getClass() != p.getClass()) {
                    throw new IllegalStateException("two step providers claim platform '" + p.platform() + "': "
                            + before.getClass().getName() + " and "
                            + p.getClass().getName());
                }
            }
            found = java.util.Collections.unmodifiableMap(map);
            byPlatform = found;
        }
        return found;
    }
}
