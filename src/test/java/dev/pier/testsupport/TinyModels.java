package dev.pier.testsupport;

import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real ONNX models small enough for tests that need a repository to serve, not particular answers. */
public final class TinyModels {
    private TinyModels() {}

    /** Writes {@code repository/name/1/model.onnx}: y = x1 + x2 (one dense layer, 2 inputs, 1 output). */
    public static Path sumOfTwo(Path repository, String name) throws Exception {
        Path file = repository.resolve(name).resolve("1").resolve("model.onnx");
        Files.createDirectories(file.getParent());
        OnnxNetworks.mlp(List.of(new DenseLayer(2, 1, new float[] {1f, 1f}, new float[1], Activation.NONE)))
                .save(file);
        return file;
    }
}
