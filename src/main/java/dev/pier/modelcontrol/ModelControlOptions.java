package dev.pier.modelcontrol;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How models are controlled after start-up.
 *
 * @param mode         {@link Mode#NONE} (default: what was there at start-up is served until exit),
 *                     {@link Mode#POLL} (the repository is re-scanned every {@code pollInterval}; new versions
 *                     roll in, removed ones roll out) or {@link Mode#EXPLICIT} (only models loaded through the
 *                     repository API are served)
 * @param pollInterval time between scans in POLL mode (default 2 s, must be >= 50 ms)
 * @param startupModels in EXPLICIT mode, the models loaded at start-up (Triton's {@code --load-model}); default none
 */
public record ModelControlOptions(Mode mode, Duration pollInterval, List<String> startupModels) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    /** Triton's model control modes. */
    public enum Mode {
        NONE,
        POLL,
        EXPLICIT;

        /** Parses {@code none|poll|explicit} (any case) with a message naming the choices. */
        public static Mode parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--model-control must be one of none, poll, explicit; got '" + text + "'", e);
            }
        }
    }

    public ModelControlOptions {
        if (mode == null) {
            throw new IllegalArgumentException("model control mode is required");
        }
        if (pollInterval == null || pollInterval.toMillis() < 50) {
            throw new IllegalArgumentException("--poll-interval must be at least 50ms, got " + pollInterval);
        }
        startupModels = List.copyOf(startupModels);
        if (!startupModels.isEmpty() && mode != Mode.EXPLICIT) {
            throw new IllegalArgumentException(
                    "--load-model only applies with --model-control explicit (other modes load every model)");
        }
    }

    public static ModelControlOptions defaults() {
        return new ModelControlOptions(Mode.NONE, DEFAULT_POLL_INTERVAL, List.of());
    }
}
