package dev.pier.repository;

/**
 * A {@code config.yaml} that cannot be used. The message names the file, the field (as a path such as
 * {@code input[0].dims}) and what was expected, so it can be shown to the user as is.
 */
public final class InvalidModelConfigException extends IllegalArgumentException {
    public InvalidModelConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
