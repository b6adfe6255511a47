package dev.pier.predict;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * One {@code pier predict} call. Exactly one of {@code inputFile} (JSON body, bare JSON array or .npy) and
 * {@code images} is given. {@code url}: {@code http://host:port} for REST (default http://localhost:8501),
 * {@code host:port} or {@code grpc://host:port} for gRPC (default port 8500). {@code inputName} (nullable)
 * names the input a .npy, bare array or images feed (default: the model's only input). {@code binary} sends
 * V2 REST tensors in the binary extension. {@code topK} (default 3) classes per row in the table. {@code invert}
 * turns images' pixels into {@code max - pixel} before sending: a dark digit on white paper becomes MNIST's
 * light digit on black.
 */
public record PredictOptions(
        String url,
        String model,
        OptionalLong version,
        Protocol protocol,
        Path inputFile,
        List<Path> images,
        String inputName,
        boolean binary,
        OutputFormat format,
        int topK,
        Duration timeout,
        boolean invert) {
    public enum Protocol {
        V2,
        TFSERVING,
        GRPC
    }

    public enum OutputFormat {
        JSON,
        TABLE
    }

    public PredictOptions {
        images = images == null ? List.of() : List.copyOf(images);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("--model is required");
        }
        if ((inputFile == null) == images.isEmpty()) {
            throw new IllegalArgumentException("give exactly one of --input FILE (.json or .npy) and --image FILE...");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        }
        if (invert && images.isEmpty()) {
            throw new IllegalArgumentException("--invert applies to --image inputs only");
        }
        if (binary && protocol != Protocol.V2) {
            throw new IllegalArgumentException("--binary applies to the V2 REST protocol only, not " + protocol);
        }
    }
}
