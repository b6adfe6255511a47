package dev.pier.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One rule for every command that writes a model: an existing output file is refused unless {@code --overwrite}
 * is given (train, compress and example-model alike), so a typo never replaces a model silently. Stateless.
 */
final class OutputFiles {
    private OutputFiles() {}

    static void refuseExisting(Path output, boolean overwrite, String option) {
        if (!overwrite && Files.exists(output)) {
            throw new IllegalArgumentException(
                    output + " already exists; give --overwrite to replace it, or another " + option);
        }
    }
}
