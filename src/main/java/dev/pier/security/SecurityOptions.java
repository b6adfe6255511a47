package dev.pier.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Access control of one server. Tokens come from files (never from the command line, where {@code ps} shows
 * them); the first line, trimmed, is the token.
 *
 * @param inferenceToken bearer token every inference and metadata call must send; empty = no auth (default)
 * @param adminToken     bearer token for the repository API ({@code /v2/repository/...}); empty = the inference
 *                       token guards it too
 * @param tlsCert        PEM certificate chain for REST and gRPC; empty = plaintext (default)
 * @param tlsKey         PEM private key matching {@code tlsCert}; both or neither
 * @param publicDocs     whether the API description ({@code /v2/openapi.json}, the {@code /v2/docs} page and its
 *                       assets) is served without the inference token; default false: with a token set, it
 *                       needs the token like every other non-health path (fail closed: the document lists the
 *                       models and their tensors)
 */
public record SecurityOptions(
        Optional<String> inferenceToken,
        Optional<String> adminToken,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        boolean publicDocs) {
    public SecurityOptions {
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key (PEM files); got only "
                    + (tlsCert.isPresent() ? "--tls-cert" : "--tls-key"));
        }
        tlsCert.ifPresent(p -> requireFile("--tls-cert", p));
        tlsKey.ifPresent(p -> requireFile("--tls-key", p));
    }

    /** Docs behind the token (when there is one). */
    public SecurityOptions(
            Optional<String> inferenceToken,
            Optional<String> adminToken,
            Optional<Path> tlsCert,
            Optional<Path> tlsKey) {
        this(inferenceToken, adminToken, tlsCert, tlsKey, false);
    }

    public static SecurityOptions none() {
        return new SecurityOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public SecurityOptions withPublicDocs(boolean open) {
        return new SecurityOptions(inferenceToken, adminToken, tlsCert, tlsKey, open);
    }

    /** Whether any path needs a bearer token; without one the token check has nothing to decide. */
    public boolean tokens() {
        return inferenceToken.isPresent() || adminToken.isPresent();
    }

    public boolean tls() {
        return tlsCert.isPresent();
    }

    /** Reads a token file: the first line, trimmed; fails clearly when missing or empty. */
    public static Optional<String> token(String option, Path file) {
        if (file == null) {
            return Optional.empty();
        }
        requireFile(option, file);
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("")
                    .trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException(
                        option + " " + file + " is empty; expected the token on its first line");
            }
            return Optional.of(token);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static void requireFile(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    option + " " + file.toAbsolutePath() + " does not exist or is not a file");
        }
    }
}
