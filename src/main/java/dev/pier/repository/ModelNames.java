package dev.pier.repository;

import java.util.regex.Pattern;

/**
 * Model names as Pier accepts them from a repository folder, a config file or a request. The rules keep a
 * name a single, harmless path segment, so that no request can reach outside the repository: letters,
 * digits, {@code _ - .}, at most 128 characters, no {@code ..}, not starting with a dot.
 */
public final class ModelNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private ModelNames() {}

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..");
    }

    /** Returns the name, or throws IllegalArgumentException that says what is allowed. */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid model name '" + name + "': expected 1-128 letters, digits, "
                    + "'_', '-' or '.', not starting with '.' and without '..'");
        }
        return name;
    }
}
