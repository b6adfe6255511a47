package dev.pier.pipeline;

import java.util.Arrays;
import java.util.Locale;

/** The stages of a pipeline, in the order they run. Each one's inputs include the outputs of those before it. */
public enum Stage {
    DATA,
    TRAIN,
    COMPRESS,
    EVALUATE,
    GATES,
    PUBLISH,
    PACKAGE,
    DEPLOY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Stage parse(String name, String option) {
        for (Stage s : values()) {
            if (s.id().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException(option + " '" + name + "' is not a stage; expected one of "
                + Arrays.stream(values()).map(Stage::id).toList());
    }
}
