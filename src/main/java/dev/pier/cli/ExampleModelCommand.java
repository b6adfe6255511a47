package dev.pier.cli;

import dev.pier.examples.ExampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier example-model}: writes a repository with the reference MLP (random weights) for demos and benchmarks. */
@Command(
        name = "example-model",
        mixinStandardHelpOptions = true,
        description = "Write a model repository holding mnist/1/model.onnx: the reference 784-128-10 MLP with "
                + "seeded random weights, made by Pier's ONNX writer (for demos and benchmarks).")
public final class ExampleModelCommand implements Callable<Integer> {

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Repository folder to create.")
    Path output;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed for the weights (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an existing model file (refused otherwise).")
    boolean overwrite;

    @Option(
            names = "--kind",
            defaultValue = "mlp",
            description =
                    "mlp (mnist/1: 784-128-10) or cnn (cnn/1: a ResNet-18-sized CNN on 3x32x32) (default ${DEFAULT-VALUE}).")
    String kind;

    @Override
    public Integer call() {
        if (!kind.equals("mlp") && !kind.equals("cnn")) {
            throw new IllegalArgumentException("--kind must be mlp or cnn, got '" + kind + "'");
        }
        Path target = output.resolve(kind.equals("mlp") ? "mnist" : "cnn")
                .resolve("1")
                .resolve("model.onnx");
        OutputFiles.refuseExisting(target, overwrite, "--output folder");
        Path written = kind.equals("mlp")
                ? ExampleModels.writeMnistRepository(output, seed)
                : ExampleModels.resnet18SizedCnn(seed).save(createParent(target));
        System.out.println("wrote " + written);
        return 0;
    }

    private static Path createParent(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + file.getParent(), e);
        }
        return file;
    }
}
